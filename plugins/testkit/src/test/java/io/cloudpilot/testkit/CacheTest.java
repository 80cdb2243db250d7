package io.cloudpilot.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shared cache, seen from outside: X-Cache and Age, TTL, force_refresh, single flight, stale on error.
 * Upstream calls are counted on the sandbox API server.
 */
@CloudPilotTest(config = {"cache.ttl=PT2S", "cache.stale-max-age=PT60S", "cluster.retries=0"})
class CacheTest {

    private static CloudPilotTestServer server;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) throws Exception {
        server.pluginDirs(PluginJars.helloPluginDirectory());
    }

    @AfterEach
    void healthyAgain() {
        server.sandbox().setFailing(false);
    }

    private static long nodeLists() {
        return server.sandbox().requestCount("GET", "/api/v1/nodes");
    }

    @Test
    void missThenHitThenBypass() {
        server.client().get("/hello/nodes?force_refresh=true");
        long before = nodeLists();
        ApiResponse hit = server.client().get("/hello/nodes");
        assertEquals(200, hit.status(), hit.toString());
        assertEquals("HIT", hit.header("X-Cache").orElseThrow());
        assertEquals(4, hit.data().path("nodes").asInt());
        assertEquals(before, nodeLists(), "a hit makes no upstream call");
        ApiResponse bypass = server.client().get("/hello/nodes?force_refresh=true");
        assertEquals("BYPASS", bypass.header("X-Cache").orElseThrow());
        assertEquals("0", bypass.header("Age").orElseThrow());
        assertEquals(before + 1, nodeLists(), "force_refresh reads the cluster");
    }

    @Test
    void entriesExpireAfterTheirTtl() throws Exception {
        server.client().get("/hello/nodes?force_refresh=true");
        Thread.sleep(1100);
        ApiResponse aged = server.client().get("/hello/nodes");
        assertEquals("HIT", aged.header("X-Cache").orElseThrow());
        assertTrue(Integer.parseInt(aged.header("Age").orElseThrow()) >= 1, "Age counts from the read");
        Thread.sleep(1200);
        long before = nodeLists();
        ApiResponse expired = server.client().get("/hello/nodes");
        assertEquals("MISS", expired.header("X-Cache").orElseThrow());
        assertEquals(before + 1, nodeLists());
    }

    @Test
    void concurrentColdRequestsMakeOneUpstreamCall() throws Exception {
        server.sandbox().setLatency(java.time.Duration.ofMillis(400));
        try {
            Thread.sleep(2100); // let the entry expire
            long before = nodeLists();
            int n = 20;
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ApiResponse>> answers = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
                for (int i = 0; i < n; i++) {
                    answers.add(pool.submit(() -> {
                        go.await();
                        return server.client().get("/hello/nodes");
                    }));
                }
                go.countDown();
                for (Future<ApiResponse> a : answers) {
                    assertEquals(200, a.get().status());
                    assertEquals(4, a.get().data().path("nodes").asInt());
                }
            }
            assertEquals(before + 1, nodeLists(), "20 concurrent misses, one LIST on the API server");
        } finally {
            server.sandbox().setLatency(java.time.Duration.ZERO);
        }
    }

    @Test
    void failingClusterIsAnsweredFromTheStaleEntry() throws Exception {
        ApiResponse fresh = server.client().get("/hello/nodes?force_refresh=true");
        assertEquals(200, fresh.status());
        Thread.sleep(2100);
        server.sandbox().setFailing(true);
        ApiResponse stale = server.client().get("/hello/nodes");
        assertEquals(200, stale.status(), stale.toString());
        assertEquals("STALE", stale.header("X-Cache").orElseThrow());
        assertEquals(4, stale.data().path("nodes").asInt(), "the last good answer, not zeros");
        assertTrue(Integer.parseInt(stale.header("Age").orElseThrow()) >= 2);
    }
}
