package io.cloudpilot.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request's state (its audit, its cache outcome) stays with the request: a plugin's pool thread that was first
 * created while serving one request does not keep that request's state for later ones, and the reads a plugin makes
 * in parallel through {@code ResourceCache.parallelReads()} still count for the request that made them
 * (docs/decisions/0043).
 */
class RequestStateTest {

    private static CloudPilotTestServer server;

    @BeforeAll
    static void start() throws Exception {
        Path plugins = Files.createTempDirectory("plugins-");
        PluginJars.build(plugins.resolve("state.jar"), Map.of(
                "ext.state.StatePlugin", """
                        package ext.state;
                        public class StatePlugin implements io.cloudpilot.spi.Plugin {
                            public String id() { return "state"; }
                            public java.util.Set<Class<?>> resources() { return java.util.Set.of(StateResource.class); }
                        }
                        """,
                "ext.state.StateResource", """
                        package ext.state;
                        import java.util.concurrent.*;
                        import jakarta.inject.Inject;
                        import jakarta.ws.rs.*;
                        import io.cloudpilot.spi.*;
                        @Path("/state")
                        @Produces("application/json")
                        public class StateResource {
                            /** The plugin's own pool: its one thread is created by the first request that submits. */
                            static final ExecutorService POOL = Executors.newSingleThreadExecutor(r -> {
                                Thread t = new Thread(r, "state-pool");
                                t.setDaemon(true);
                                return t;
                            });
                            @Inject PluginContext context;
                            @Inject ResourceCache cache;
                            @Inject Clusters clusters;
                            public record Done(String object, int nodes) {}
                            /** Records an audit entry on the plugin's pool thread. */
                            @GET @Path("/pool")
                            public Done pool(@QueryParam("object") String object) throws Exception {
                                return POOL.submit(() -> note(object)).get();
                            }
                            /** Records an audit entry on a task of the cache's parallel reads. */
                            @GET @Path("/parallel")
                            public Done parallel(@QueryParam("object") String object) throws Exception {
                                try (ExecutorService reads = cache.parallelReads()) {
                                    return reads.submit(() -> note(object)).get();
                                }
                            }
                            /** Lists the nodes through the cache on a task of the cache's parallel reads. */
                            @GET @Path("/parallel-nodes")
                            public Done parallelNodes() throws Exception {
                                try (ExecutorService reads = cache.parallelReads()) {
                                    return reads.submit(this::nodes).get();
                                }
                            }
                            /** Lists the nodes through the cache on the plugin's pool thread. */
                            @GET @Path("/pool-nodes")
                            public Done poolNodes() throws Exception {
                                return POOL.submit(this::nodes).get();
                            }
                            private Done note(String object) {
                                context.audit().record(new AuditLog.Entry("state.note", null, null, object, null, null, "ok"));
                                return new Done(object, 0);
                            }
                            private Done nodes() {
                                ClusterContext cluster = clusters.resolve(null);
                                java.util.List<?> nodes = cache.get(CacheKey.list(cluster.name(), CacheKind.NODES, ""),
                                        false, () -> cluster.client().nodes().list().getItems());
                                return new Done(null, nodes.size());
                            }
                        }
                        """), Map.of("Plugin-Id", "state", "Plugin-Spi-Version", "1"), "ext.state.StatePlugin");
        server = CloudPilotTestServer.builder().pluginDirs(plugins).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPoolThreadFirstCreatedInARequestDoesNotKeepThatRequestsAudit() {
        // the first request creates the pool's thread; the second records on it after the first was answered
        assertEquals(200, server.client().get("/state/pool?object=first-pool-note").status());
        assertEquals(200, server.client().get("/state/pool?object=second-pool-note").status());

        // recorded outside any request: written at once, as the system's, never into a request already answered
        JsonNode second = entry("second-pool-note").orElseThrow(() -> new AssertionError(
                "the entry recorded on the pool thread after its first request is lost: " + entries()));
        assertEquals("system", second.path("principal").asString(), second.toString());
        JsonNode first = entry("first-pool-note").orElseThrow(() -> new AssertionError(
                "the entry recorded on the pool thread during its first request is lost: " + entries()));
        assertEquals("system", first.path("principal").asString(), first.toString());
    }

    @Test
    void aParallelReadTaskRecordsIntoItsRequestsAudit() {
        assertEquals(200, server.client().get("/state/parallel?object=parallel-note").status());

        JsonNode entry = entry("parallel-note").orElseThrow(() -> new AssertionError(
                "the entry recorded in a parallel read is lost: " + entries()));
        assertEquals("anonymous", entry.path("principal").asString(), entry.toString());
        assertEquals("GET", entry.path("method").asString(), entry.toString());
        assertEquals("/state/parallel", entry.path("path").asString(), entry.toString());
        assertEquals(200, entry.path("status").asInt(), entry.toString());
    }

    @Test
    void aParallelReadCountsForItsRequestsCacheHeadersAndAPoolThreadsReadDoesNot() {
        int nodes = server.sandbox().client().nodes().list().getItems().size(); // the API server's own answer
        ApiResponse miss = server.client().get("/state/parallel-nodes");
        assertEquals(nodes, miss.data().path("nodes").asInt(), miss.toString());
        assertEquals(Optional.of("MISS"), miss.header("X-Cache"), miss.toString());
        ApiResponse hit = server.client().get("/state/parallel-nodes");
        assertEquals(Optional.of("HIT"), hit.header("X-Cache"), hit.toString());
        assertTrue(hit.header("Age").isPresent(), hit.toString());

        // the same read on the plugin's own thread is outside the request: no header claims what it did
        ApiResponse pool = server.client().get("/state/pool-nodes");
        assertEquals(nodes, pool.data().path("nodes").asInt(), pool.toString());
        assertEquals(Optional.empty(), pool.header("X-Cache"), pool.toString());
    }

    private static Optional<JsonNode> entry(String object) {
        return entries().stream().filter(e -> object.equals(e.path("object").asString())).findFirst();
    }

    private static List<JsonNode> entries() {
        ApiResponse audit = server.client().get("/audit?page_size=1000");
        assertEquals(200, audit.status(), audit.toString());
        return StreamSupport.stream(audit.data().path("entries").spliterator(), false).toList();
    }
}
