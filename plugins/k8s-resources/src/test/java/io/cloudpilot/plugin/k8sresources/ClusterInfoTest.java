package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /k8s/cluster/info} in instant mode, on the sandbox cluster.
 */
@CloudPilotTest
class ClusterInfoTest {

    private static CloudPilotTestServer server;

    @Test
    void reportsVersionNodesAndIstio() {
        ApiResponse r = server.client().get("/k8s/cluster/info");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals("sandbox", d.path("cluster_name").asString());
        assertEquals("instant", d.path("mode").asString());
        assertTrue(d.path("cluster_version").asString().startsWith("v1.30"), d.toString());
        assertEquals(4, d.path("node_count").asInt());
        assertEquals(3, d.path("ready_nodes").asInt());
        assertEquals(1, d.path("not_ready_nodes").asInt());
        JsonNode worker3 = StreamSupport.stream(d.path("nodes").spliterator(), false)
                .filter(n -> n.path("name").asString().equals("worker-3")).findFirst().orElseThrow();
        assertEquals("NotReady", worker3.path("status").asString(), "Ready condition Unknown is NotReady, as kubectl");
        assertTrue(d.path("istio_installed").asBoolean());
        assertEquals("v1", d.path("api_groups").path("networking.istio.io").path(0).asString());
    }

    @Test
    void clusterNameMustBeTheInstantCluster() {
        assertEquals(200, server.client().get("/k8s/cluster/info?cluster_name=sandbox").status());
        ApiResponse other = server.client().get("/k8s/cluster/info?cluster_name=production");
        assertEquals(404, other.status());
        assertEquals("ClusterNotFound", other.errorType());
        assertThat(other.message()).as(other.message()).contains("sandbox");
    }

    @Test
    void answersCarryCacheHeaders() {
        ApiResponse r = server.client().get("/k8s/cluster/info?force_refresh=true");
        assertEquals("BYPASS", r.header("X-Cache").orElseThrow());
        assertTrue(r.header("Age").isPresent());
    }
}
