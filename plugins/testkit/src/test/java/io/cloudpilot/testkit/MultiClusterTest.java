package io.cloudpilot.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.cloudpilot.sandbox.SandboxCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server mode with two clusters: one hangs, then refuses connections; the other keeps answering meanwhile.
 */
@CloudPilotTest(mode = "server", config = {
        "cache.stale-max-age=PT0S",
        "cluster.retries=0",
        "cluster.connect-timeout=PT1S",
        "cluster.request-timeout=PT2S",
        "cluster.call-timeout=PT3S",
        "cluster.circuit.volume=1000"
})
class MultiClusterTest {

    private static CloudPilotTestServer server;
    private static SandboxCluster other;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) throws Exception {
        server.pluginDirs(PluginJars.helloPluginDirectory());
    }

    @BeforeAll
    static void start() throws Exception {
        other = SandboxCluster.start();
        server.registerCluster("other", other);
    }

    @AfterAll
    static void stop() {
        if (other != null) {
            other.close();
        }
    }

    @Test
    void hangingClusterDoesNotSlowTheOther() throws Exception {
        assertEquals(200, server.client().get("/hello/nodes?cluster_name=other").status());
        other.setLatency(Duration.ofSeconds(30));
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<ApiResponse>> slow = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                slow.add(pool.submit(() -> server.client().get("/hello/nodes?cluster_name=other&force_refresh=true")));
            }
            Thread.sleep(300); // the slow calls are in flight
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                ApiResponse healthy = server.client().get("/hello/nodes?cluster_name=sandbox&force_refresh=true");
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(200, healthy.status(), healthy.toString());
                assertTrue(millis < 1500, "the healthy cluster answered in " + millis + " ms while the other hangs");
            }
            for (Future<ApiResponse> f : slow) {
                ApiResponse r = f.get();
                assertEquals(503, r.status(), r.toString());
                assertEquals("ClusterTimeout", r.errorType());
                assertThat(r.message()).as(r.message()).contains("'other'");
            }
        } finally {
            other.setLatency(Duration.ZERO);
        }
    }

    @Test
    void refusedConnectionIs503Quickly() {
        SandboxCluster doomed = SandboxCluster.start();
        server.registerCluster("doomed", doomed);
        assertEquals(200, server.client().get("/hello/nodes?cluster_name=doomed").status());
        doomed.close();
        long start = System.nanoTime();
        ApiResponse r = server.client().get("/hello/nodes?cluster_name=doomed&force_refresh=true");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, r.status(), r.toString());
        assertEquals("ClusterUnavailable", r.errorType());
        assertTrue(millis < 3000, "a closed port fails fast, not after fabric8's retry chain: " + millis + " ms");
        assertEquals(200, server.client().get("/hello/nodes?cluster_name=sandbox&force_refresh=true").status());
    }

    @Test
    void metricsCountRequestsAndUpstreamCallsPerCluster() {
        server.client().get("/hello/nodes?cluster_name=sandbox&force_refresh=true");
        String metrics = server.client().get("/metrics").raw();
        assertTrue(metrics.contains("cloudpilot_upstream_calls_total{cluster=\"sandbox\",kind=\"nodes\",mp_scope=\"application\",outcome=\"ok\"}")
                || metrics.matches("(?s).*cloudpilot_upstream_calls_total\\{[^}]*cluster=\"sandbox\"[^}]*kind=\"nodes\"[^}]*outcome=\"ok\".*"),
                "upstream calls by cluster, kind and outcome");
        assertTrue(metrics.matches("(?s).*cloudpilot_http_requests_total\\{[^}]*code=\"200\"[^}]*endpoint=\"/hello/nodes\".*"),
                "requests by endpoint and code");
        assertThat(metrics).as("cache outcomes").contains("cloudpilot_cache_requests_total");
    }
}
