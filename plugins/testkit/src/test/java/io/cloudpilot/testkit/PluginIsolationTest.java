package io.cloudpilot.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Plugins from plugin directories are isolated from the platform and from each other (each has its own
 * class loader, child-first, sharing only the provided APIs), every call into one runs with its class loader as the
 * context class loader, and a plugin that is refused never runs any of its code.
 */
class PluginIsolationTest {

    private static final Map<String, String> SPI_1 = Map.of("Plugin-Spi-Version", "1");

    private static CloudPilotTestServer server;
    private static Path plugins;
    private static Path openDir;

    @BeforeAll
    static void start() throws Exception {
        plugins = Files.createTempDirectory("plugins-");
        // two plugins, each bundling its own version of one library
        plugin(plugins.resolve("alpha"), "alpha", "1", true);
        plugin(plugins.resolve("beta"), "beta", "2", false);
        // refused on their files: none of their code may run
        single(plugins.resolve("zz-alpha-twin.jar"), "ext.twin", "alpha", "twin", SPI_1);
        single(plugins.resolve("sleeper.jar"), "ext.sleeper", "sleeper", "sleeper", SPI_1);
        single(plugins.resolve("future.jar"), "ext.future", "future", "future", Map.of("Plugin-Spi-Version", "99"));
        Path open = single(plugins.resolve("open.jar"), "ext.open", "open", "open", SPI_1);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-rw-rw-"));
        // a plugin that bundles its own copy of an API the platform provides (here the JAX-RS API jar)
        Path bundler = plugins.resolve("bundler");
        single(bundler.resolve("bundler.jar"), "ext.bundler", "bundler", "bundler", SPI_1);
        Path jaxrs = Path.of(jakarta.ws.rs.Path.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Files.copy(jaxrs, bundler.resolve(jaxrs.getFileName()));
        // a plugin directory anyone may write to
        openDir = Files.createTempDirectory("open-plugins-");
        single(openDir.resolve("gamma.jar"), "ext.gamma", "gamma", "gamma", SPI_1);
        Files.setPosixFilePermissions(openDir, PosixFilePermissions.fromString("rwxrwxrwx"));

        server = CloudPilotTestServer.builder().pluginDirs(plugins, openDir)
                .config("plugins.sleeper.enabled", "false").start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void eachPluginGetsItsOwnVersionOfABundledLibrary() {
        assertEquals("1", probe("alpha").path("library").asString());
        assertEquals("2", probe("beta").path("library").asString());
    }

    @Test
    void aPluginsCopyOfAPlatformLibraryIsNotReplacedByThePlatformsCopy() {
        // alpha bundles its own com.github.benmanes.caffeine.cache.Caffeine; the platform runs the real Caffeine
        assertEquals("alpha's own copy", probe("alpha").path("shadowed").asString());
    }

    @Test
    void aPluginCannotLoadAPlatformInternalClass() {
        assertEquals("not visible", probe("alpha", "io.cloudpilot.platform.wiring.Platform").path("class_visible").asString());
        assertEquals("not visible", probe("alpha", "io.helidon.webserver.WebServer").path("class_visible").asString());
        assertEquals("visible", probe("alpha", "io.cloudpilot.spi.Clusters").path("class_visible").asString(),
                "the SPI is provided");
        assertEquals("visible", probe("alpha", "io.fabric8.kubernetes.api.model.Pod").path("class_visible").asString(),
                "the fabric8 model is provided");
    }

    @Test
    void requestsAndStartRunWithThePluginsContextClassLoader() {
        JsonNode probe = probe("alpha");
        assertTrue(probe.path("request_in_own_loader").asBoolean(), probe.toString());
        assertTrue(probe.path("start_in_own_loader").asBoolean(), probe.toString());
    }

    @Test
    void healthContributionsRunWithTheContributorsContextClassLoader() {
        // alpha's request calls beta's contributor, as the health summary calls every plugin's
        ApiResponse r = server.client().get("/alpha/contributions");
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.data().path("beta").asBoolean(), "beta's contributor ran in beta's loader: " + r.data());
        assertTrue(r.data().path("alpha").asBoolean(), r.data().toString());
    }

    @Test
    void aPluginContextForAClassNoPluginDeclaredIsAnErrorNotAGuess() {
        // looked up, not injected into a declared resource: there is no owner, so no context (once: "platform")
        ApiResponse r = server.client().get("/alpha/lookup");
        assertEquals(500, r.status(), r.toString());
        assertEquals("InternalError", r.errorType(), r.toString());
    }

    @Test
    void aPluginBundlingAProvidedApiIsRefusedWithTheReason() {
        JsonNode bundler = plugin("bundler");
        assertEquals("failed", bundler.path("status").asString(), bundler.toString());
        String reason = bundler.path("reason").asString();
        assertThat(reason).as(reason).contains("bundles jakarta.ws.rs.", "provided");
        assertNull(System.getProperty("cloudpilot.test.ran.bundler"), "its code never ran");
    }

    @Test
    void aDuplicateIdIsRefusedBeforeAnyOfItsCodeRuns() {
        JsonNode twin = plugins("zz-alpha-twin.jar");
        assertEquals("failed", twin.path("status").asString(), twin.toString());
        assertThat(twin.path("reason").asString()).as(twin.toString()).contains("duplicate plugin id 'alpha'");
        assertNull(System.getProperty("cloudpilot.test.ran.twin"), "its code never ran");
    }

    @Test
    void aDisabledOrTooNewPluginNeverRuns() {
        assertEquals("disabled", plugin("sleeper").path("status").asString());
        assertNull(System.getProperty("cloudpilot.test.ran.sleeper"));
        assertEquals("failed", plugin("future").path("status").asString());
        assertNull(System.getProperty("cloudpilot.test.ran.future"));
    }

    @Test
    void aJarOrDirectoryWritableByOthersIsRefused() {
        JsonNode open = plugins("open.jar");
        assertEquals("failed", open.path("status").asString(), open.toString());
        assertThat(open.path("reason").asString()).as(open.toString()).contains("writable by others");
        assertNull(System.getProperty("cloudpilot.test.ran.open"));
        JsonNode gamma = plugins("gamma.jar");
        assertEquals("failed", gamma.path("status").asString(), gamma.toString());
        assertThat(gamma.path("reason").asString()).as(gamma.toString()).contains(openDir.toString() + " is writable by others");
        assertNull(System.getProperty("cloudpilot.test.ran.gamma"));
        assertEquals(404, server.client().get("/gamma/probe").status());
    }

    private static JsonNode probe(String id) {
        return probe(id, "io.cloudpilot.spi.Plugin");
    }

    private static JsonNode probe(String id, String className) {
        ApiResponse r = server.client().get("/" + id + "/probe?class=" + className);
        assertEquals(200, r.status(), r.toString());
        return r.data();
    }

    private static JsonNode plugin(String id) {
        JsonNode all = server.client().get("/plugins").data().path("plugins");
        return StreamSupport.stream(all.spliterator(), false).filter(p -> p.path("id").asString().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("plugin " + id + " not listed: " + all));
    }

    /** The plugin listed from this jar or directory. */
    private static JsonNode plugins(String fileName) {
        JsonNode all = server.client().get("/plugins").data().path("plugins");
        return StreamSupport.stream(all.spliterator(), false)
                .filter(p -> p.path("source").asString().endsWith("/" + fileName))
                .findFirst().orElseThrow(() -> new AssertionError(fileName + " not listed: " + all));
    }

    /** A plugin directory: the plugin's jar and its library {@code lib.shared.Version} returning {@code version}. */
    private static void plugin(Path dir, String id, String version, boolean shadowCaffeine) throws Exception {
        Path lib = PluginJars.build(dir.resolve("shared-lib-" + version + ".jar"), Map.of("lib.shared.Version", """
                package lib.shared;
                public final class Version {
                    public static String value() { return "%s"; }
                }
                """.formatted(version)), Map.of(), null);
        List<Path> libraries = List.of(lib);
        if (shadowCaffeine) {
            libraries = List.of(lib, PluginJars.build(dir.resolve("caffeine-copy.jar"),
                    Map.of("com.github.benmanes.caffeine.cache.Caffeine", """
                            package com.github.benmanes.caffeine.cache;
                            public final class Caffeine {
                                public static String origin() { return "alpha's own copy"; }
                            }
                            """), Map.of(), null));
        }
        String pkg = "ext." + id;
        String shadowed = shadowCaffeine ? "com.github.benmanes.caffeine.cache.Caffeine.origin()" : "\"none\"";
        PluginJars.build(dir.resolve(id + ".jar"), Map.of(
                pkg + ".ProbePlugin", """
                        package %1$s;
                        import java.util.*;
                        import io.cloudpilot.spi.*;
                        public class ProbePlugin implements Plugin {
                            static volatile boolean startInOwnLoader;
                            public String id() { return "%2$s"; }
                            public Set<Class<?>> resources() { return Set.of(ProbeResource.class); }
                            public List<HealthContributor> healthContributors() {
                                return List.of(new HealthContributor() {
                                    public String id() { return "%2$s"; }
                                    public Contribution contribute(ClusterContext cluster, boolean forceRefresh) {
                                        boolean own = Thread.currentThread().getContextClassLoader()
                                                == ProbePlugin.class.getClassLoader();
                                        return new Contribution(List.of(), Map.of("own_loader", own));
                                    }
                                });
                            }
                            public void start(PluginContext context) {
                                startInOwnLoader = Thread.currentThread().getContextClassLoader()
                                        == ProbePlugin.class.getClassLoader();
                            }
                        }
                        """.formatted(pkg, id),
                pkg + ".ProbeResource", """
                        package %1$s;
                        import java.util.*;
                        import jakarta.inject.Inject;
                        import jakarta.ws.rs.*;
                        import io.cloudpilot.spi.*;
                        @Path("/%2$s")
                        @Produces("application/json")
                        public class ProbeResource {
                            @Inject PluginContext context;
                            @Inject Clusters clusters;
                            public record Probe(String library, String shadowed, boolean requestInOwnLoader,
                                                boolean startInOwnLoader, String classVisible) {}
                            @GET @Path("/probe")
                            public Probe probe(@QueryParam("class") String name) {
                                String visible;
                                try {
                                    Class.forName(name, false, ProbeResource.class.getClassLoader());
                                    visible = "visible";
                                } catch (ClassNotFoundException e) {
                                    visible = "not visible";
                                }
                                return new Probe(lib.shared.Version.value(), %3$s,
                                        Thread.currentThread().getContextClassLoader() == ProbeResource.class.getClassLoader(),
                                        ProbePlugin.startInOwnLoader, visible);
                            }
                            @GET @Path("/lookup")
                            public Map<String, String> lookup() {
                                PluginContext found = jakarta.enterprise.inject.spi.CDI.current()
                                        .select(PluginContext.class).get();
                                return Map.of("plugin_id", found.pluginId());
                            }
                            @GET @Path("/contributions")
                            public Map<String, Object> contributions() {
                                ClusterContext cluster = clusters.resolve(null);
                                Map<String, Object> ownLoader = new TreeMap<>();
                                for (HealthContributor c : context.healthContributors()) {
                                    Object own = c.contribute(cluster, false).details().get("own_loader");
                                    if (own != null) {
                                        ownLoader.put(c.id(), own);
                                    }
                                }
                                return ownLoader;
                            }
                        }
                        """.formatted(pkg, id, shadowed)),
                Map.of("Plugin-Id", id, "Plugin-Spi-Version", "1"), pkg + ".ProbePlugin", libraries);
    }

    /** A one-jar plugin whose class initialiser records that its code ran. */
    private static Path single(Path jar, String pkg, String id, String marker, Map<String, String> manifest)
            throws Exception {
        Map<String, String> attributes = new java.util.HashMap<>(manifest);
        attributes.put("Plugin-Id", id);
        return PluginJars.build(jar, Map.of(pkg + ".MarkerPlugin", """
                package %1$s;
                public class MarkerPlugin implements io.cloudpilot.spi.Plugin {
                    static { System.setProperty("cloudpilot.test.ran.%3$s", "yes"); }
                    public String id() { return "%2$s"; }
                }
                """.formatted(pkg, id, marker)), attributes, pkg + ".MarkerPlugin");
    }
}
