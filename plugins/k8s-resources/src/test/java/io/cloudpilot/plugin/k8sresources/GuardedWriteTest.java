package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Scaling runs under the cluster's fault-tolerance policy like reads do: writes that fail (while reads succeed)
 * open the circuit, and an open circuit then answers reads and writes at once, without calling the cluster.
 */
@CloudPilotTest(config = {
        "cluster.retries=0",
        "cluster.circuit.volume=3",
        "cluster.circuit.error-ratio=30",
        "cluster.circuit.delay=PT60S",
        "cache.stale-max-age=PT0S"})
class GuardedWriteTest {

    private static CloudPilotTestServer server;

    @Test
    void failingWritesOpenTheCircuit() {
        String body = "{\"namespace\":\"shop\",\"deployment_name\":\"frontend\",\"replicas\":4}";
        // only the write fails: the reads scaling makes first (the Deployment, its HPAs) succeed, so the circuit
        // opens only if the write itself counts against it
        server.sandbox().setFailingWrites(true);
        for (int i = 0; i < 2; i++) {
            ApiResponse r = server.client().post("/k8s/resources/deployments/scaling", body);
            assertEquals(503, r.status(), r.toString());
            assertEquals("ClusterUnavailable", r.errorType());
        }
        server.sandbox().setFailingWrites(false);
        long before = server.sandbox().requestCount();
        ApiResponse write = server.client().post("/k8s/resources/deployments/scaling", body);
        assertEquals(503, write.status(), write.toString());
        assertThat(write.message()).as(write.message()).contains("circuit open");
        ApiResponse read = server.client().get("/k8s/resources/nodes/list?force_refresh=true");
        assertEquals(503, read.status(), read.toString());
        assertEquals(before, server.sandbox().requestCount(), "an open circuit calls the cluster for neither");
    }
}
