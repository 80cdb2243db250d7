package io.cloudpilot.testkit;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A slow or failing cluster answers 503 within the configured bounds; a cluster that keeps failing opens its
 * circuit (no more upstream calls) and closes it after a successful probe. Nothing stale is served here
 * ({@code cache.stale-max-age=0}).
 */
@CloudPilotTest(config = {
        "cache.stale-max-age=PT0S",
        "cluster.retries=0",
        "cluster.request-timeout=PT1S",
        "cluster.call-timeout=PT2S",
        "cluster.circuit.volume=4",
        "cluster.circuit.error-ratio=50",
        "cluster.circuit.delay=PT2S",
        "cloudpilot.request-timeout=PT3S"
})
class FaultToleranceTest {

    private static CloudPilotTestServer server;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) throws Exception {
        server.pluginDirs(PluginJars.helloPluginDirectory());
    }

    @AfterEach
    void healthyAgain() throws Exception {
        server.sandbox().setFailing(false);
        server.sandbox().setLatency(Duration.ZERO);
        Thread.sleep(2100); // let any open circuit reach half-open
        server.client().get("/hello/nodes?force_refresh=true");
    }

    /**
     * The cluster's request timeout (1 s) is what cuts a hanging read: the answer says so, not the call timeout (2 s)
     * or the request deadline (3 s), which would cut it later. Control: a cluster slower than nothing but well within
     * the bound answers.
     */
    @Test
    void hangingClusterIs503FromTheRequestTimeout() {
        assertEquals(200, server.client().get("/hello/nodes").status(), "warm: the cluster's client exists");
        server.sandbox().setLatency(Duration.ofMillis(100));
        ApiResponse slowButInTime = server.client().get("/hello/nodes?force_refresh=true");
        assertEquals(200, slowButInTime.status(), "100 ms is within the 1 s request timeout: " + slowButInTime);

        server.sandbox().setLatency(Duration.ofSeconds(20));
        ApiResponse r = server.client().get("/hello/nodes?force_refresh=true");
        assertEquals(503, r.status(), r.toString());
        assertEquals("ClusterTimeout", r.errorType());
        assertEquals("Cluster 'sandbox' did not answer in time; it may be overloaded or unreachable.", r.message(),
                "cut by cluster.request-timeout, not by the call timeout ('within 2 s') or the deadline ('within 3 s')");
    }

    @Test
    void failingClusterIs503() {
        server.sandbox().setFailing(true);
        ApiResponse r = server.client().get("/hello/nodes?force_refresh=true");
        assertEquals(503, r.status(), r.toString());
        assertEquals("ClusterUnavailable", r.errorType());
        assertThat(r.message()).as(r.message()).contains("sandbox");
    }

    @Test
    void circuitOpensThenClosesAfterAProbe() throws Exception {
        server.sandbox().setFailing(true);
        for (int i = 0; i < 4; i++) {
            server.client().get("/hello/nodes?force_refresh=true");
        }
        long before = server.sandbox().requestCount();
        ApiResponse open = server.client().get("/hello/nodes?force_refresh=true");
        assertEquals(503, open.status());
        assertThat(open.message()).as(open.message()).contains("circuit open");
        assertEquals(before, server.sandbox().requestCount(), "an open circuit makes no upstream call");
        ApiResponse metrics = server.client().get("/metrics");
        assertThat(metrics.raw()).as("circuit state exported").contains("cloudpilot_cluster_circuit_state{cluster=\"sandbox\"");

        server.sandbox().setFailing(false);
        Thread.sleep(2200);
        ApiResponse probe = server.client().get("/hello/nodes?force_refresh=true");
        assertEquals(200, probe.status(), "half-open probe succeeds: " + probe);
        assertEquals(200, server.client().get("/hello/nodes?force_refresh=true").status(), "circuit closed again");
    }

    @Test
    void slowRequestIsCutByTheRequestDeadline() {
        long start = System.nanoTime();
        ApiResponse r = server.client().get("/hello/slow?ms=10000");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(503, r.status(), r.toString());
        assertEquals("ClusterTimeout", r.errorType());
        assertThat(r.message()).as(r.message()).contains("within 3 s");
        assertTrue(millis < 8_000, "cut at about 3 s by cloudpilot.request-timeout, took " + millis + " ms");
        ApiResponse next = server.client().get("/hello/greeting");
        assertEquals(200, next.status(), "the next request is not hit by the deadline's interrupt: " + next);
    }
}
