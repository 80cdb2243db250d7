package io.cloudpilot.plugin.k8sresources;

import java.time.Duration;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overview waits for seven concurrent reads (the toolkit's {@code Reads}): when the platform's request deadline
 * ({@code cloudpilot.request-timeout}) passes during that wait, the answer is 503 {@code ClusterTimeout} at about the
 * deadline, not a 500 nor a wait for the cluster's own timeouts, and the next overview is served.
 */
@CloudPilotTest
class OverviewDeadlineTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /** What the bound may overrun by on a busy 2-core machine. */
    private static final Duration SLACK = Duration.ofSeconds(2);

    private static CloudPilotTestServer server;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) {
        server.config("cache.stale-max-age", "PT0S")
                .config("cluster.retries", "0")
                .config("cluster.request-timeout", "PT10S")
                .config("cluster.call-timeout", "PT10S")
                .config("cluster.circuit.volume", "1000")
                .config("cloudpilot.request-timeout", "PT" + DEADLINE.toSeconds() + "S");
    }

    @Test
    void overviewCutByTheDeadlineIs503ThenServed() {
        server.sandbox().setLatency(Duration.ofSeconds(6));
        long start = System.nanoTime();
        ApiResponse r = server.client().get("/k8s/overview/cluster?force_refresh=true");
        long millis = (System.nanoTime() - start) / 1_000_000;
        server.sandbox().setLatency(Duration.ZERO);
        assertEquals(503, r.status(), r.toString());
        assertEquals("ClusterTimeout", r.errorType(), r.toString());
        long bound = DEADLINE.plus(SLACK).toMillis();
        assertTrue(millis < bound, "503 after " + millis + " ms, bound " + bound + " ms");

        ApiResponse next = server.client().get("/k8s/overview/cluster?force_refresh=true");
        assertEquals(200, next.status(), next.toString());
    }
}
