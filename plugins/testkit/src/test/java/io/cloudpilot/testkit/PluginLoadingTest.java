package io.cloudpilot.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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
        assertTrue(hello.path("paths").toString().contains("GET /hello/greeting"), hello.toString());
        assertTrue(hello.path("reason").isNull());
    }

    @Test
    void duplicateIdIsReportedAndTheFirstKept() {
        JsonNode twin = plugin("hello", "failed");
        assertTrue(twin.path("source").asString().endsWith("zz-second-hello.jar"), twin.toString());
        assertTrue(twin.path("reason").asString().contains("duplicate plugin id 'hello'"), twin.toString());
        assertTrue(twin.path("reason").asString().contains("hello.jar"), "names where the first came from: " + twin);
    }

    @Test
    void newerSpiVersionIsRefused() {
        JsonNode future = plugin("future", "failed");
        assertTrue(future.path("reason").asString().contains("SPI version 99"), future.toString());
        assertEquals(404, server.client().get("/future/greeting").status(), "a refused plugin is not mounted");
    }

    @Test
    void jarWithoutPluginServiceIsReported() {
        JsonNode orphan = plugin("orphan", "failed");
        assertTrue(orphan.path("reason").asString().contains("no Plugin service"), orphan.toString());
    }

    @Test
    void pluginWhoseStartThrowsIsReportedAndNotMounted() {
        JsonNode boom = plugin("boom", "failed");
        assertTrue(boom.path("reason").asString().contains("start failed: IllegalStateException: licence file missing"),
                boom.toString());
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
        assertTrue(r.raw().contains("/hello/greeting"), "plugin in its own class loader is documented");
        assertTrue(r.raw().contains("/greeter/greeting"));
    }

    private static JsonNode plugin(String id, String status) {
        ApiResponse r = server.client().get("/plugins");
        return StreamSupport.stream(r.data().path("plugins").spliterator(), false)
                .filter(p -> p.path("id").asString().equals(id) && p.path("status").asString().equals(status))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + status + " plugin " + id + " in " + r));
    }
}
