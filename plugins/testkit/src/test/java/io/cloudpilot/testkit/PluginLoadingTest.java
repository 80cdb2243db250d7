package io.cloudpilot.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugin jars that are not on the class path, dropped into a plugin directory: the good ones are served, each
 * broken one is reported with its reason, and none stops the server.
 */
class PluginLoadingTest {

    private static CloudPilotTestServer server;
    private static Path pluginDir;

    @BeforeAll
    static void start() throws Exception {
        pluginDir = Files.createTempDirectory("plugins-");
        Map<String, String> good = Map.of("Plugin-Id", "hello", "Plugin-Spi-Version", "1");
        PluginJars.build(pluginDir.resolve("hello.jar"), PluginJars.helloPlugin("ext.hello", "hello", ""), good,
                "ext.hello.HelloPlugin");
        // a plugin directory: its jars share one class loader
        PluginJars.build(pluginDir.resolve("greeter").resolve("greeter.jar"),
                PluginJars.helloPlugin("ext.greeter", "greeter", ""),
                Map.of("Plugin-Id", "greeter", "Plugin-Spi-Version", "1"), "ext.greeter.HelloPlugin");
        PluginJars.build(pluginDir.resolve("zz-second-hello.jar"), PluginJars.helloPlugin("ext.twin", "hello", ""),
                good, "ext.twin.HelloPlugin");
        PluginJars.build(pluginDir.resolve("future.jar"), PluginJars.helloPlugin("ext.future", "future", ""),
                Map.of("Plugin-Id", "future", "Plugin-Spi-Version", "99"), "ext.future.HelloPlugin");
        PluginJars.build(pluginDir.resolve("orphan.jar"), PluginJars.helloPlugin("ext.orphan", "orphan", ""),
                Map.of("Plugin-Id", "orphan", "Plugin-Spi-Version", "1"), null);
        PluginJars.build(pluginDir.resolve("boom.jar"),
                PluginJars.helloPlugin("ext.boom", "boom", "throw new IllegalStateException(\"licence file missing\");"),
                Map.of("Plugin-Id", "boom", "Plugin-Spi-Version", "1"), "ext.boom.HelloPlugin");
        server = CloudPilotTestServer.builder().pluginDirs(pluginDir).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pluginJarOutsideTheClassPathIsServed() {
        ApiResponse r = server.client().get("/hello/greeting");
        assertEquals(200, r.status(), r.toString());
        assertEquals(200, r.code());
        assertEquals("hello", r.data().path("greeting_text").asString());
        assertEquals("hello", r.data().path("plugin_id").asString(), "the plugin's own context is injected");
        assertEquals("INSTANT", r.data().path("mode").asString(), "platform services are injected");
    }

    @Test
    void pluginDirectoryIsServed() {
        ApiResponse r = server.client().get("/greeter/greeting");
        assertEquals(200, r.status(), r.toString());
        assertEquals("greeter", r.data().path("plugin_id").asString());
    }

    @Test
    void loadedPluginIsListedWithSourceAndPaths() {
        JsonNode hello = plugin("hello", "loaded");
        assertTrue(hello.path("source").asString().endsWith("hello.jar"), hello.toString());
        assertEquals("1.2.3", hello.path("version").asString());
        assertThat(hello.path("paths").toString()).as(hello.toString()).contains("GET /hello/greeting");
        assertTrue(hello.path("reason").isNull());
    }

    @Test
    void duplicateIdIsReportedAndTheFirstKept() {
        JsonNode twin = plugin("hello", "failed");
        assertTrue(twin.path("source").asString().endsWith("zz-second-hello.jar"), twin.toString());
        assertThat(twin.path("reason").asString()).as(twin.toString()).contains("duplicate plugin id 'hello'");
        assertThat(twin.path("reason").asString()).as("names where the first came from: " + twin).contains("hello.jar");
    }

    @Test
    void newerSpiVersionIsRefused() {
        JsonNode future = plugin("future", "failed");
        assertThat(future.path("reason").asString()).as(future.toString()).contains("SPI version 99");
        assertEquals(404, server.client().get("/future/greeting").status(), "a refused plugin is not mounted");
    }

    @Test
    void jarWithoutPluginServiceIsReported() {
        JsonNode orphan = plugin("orphan", "failed");
        assertThat(orphan.path("reason").asString()).as(orphan.toString()).contains("no Plugin service");
    }

    @Test
    void pluginWhoseStartThrowsIsReportedAndNotMounted() {
        JsonNode boom = plugin("boom", "failed");
        assertThat(boom.path("reason").asString()).as(boom.toString()).contains("start failed: IllegalStateException: licence file missing");
        ApiResponse r = server.client().get("/boom/greeting");
        assertEquals(404, r.status());
        assertEquals("NotFound", r.errorType());
    }

    @Test
    void serverStillServesThePlatform() {
        ApiResponse r = server.client().get("/plugins");
        assertEquals(200, r.status());
        assertTrue(r.data().path("loaded").asInt() >= 2, r.toString());
        assertEquals(r.data().path("plugins").size(), r.data().path("count").asInt());
    }

    @Test
    void pluginEndpointsAppearInOpenApi() {
        ApiResponse r = server.client().get("/openapi?format=JSON");
        assertEquals(200, r.status());
        assertThat(r.raw()).as("plugin in its own class loader is documented").contains("/hello/greeting");
        assertThat(r.raw()).contains("/greeter/greeting");
    }

    private static JsonNode plugin(String id, String status) {
        ApiResponse r = server.client().get("/plugins");
        return StreamSupport.stream(r.data().path("plugins").spliterator(), false)
                .filter(p -> p.path("id").asString().equals(id) && p.path("status").asString().equals(status))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + status + " plugin " + id + " in " + r));
    }
}
