package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cluster info and overview in server mode: the sandbox registered as cluster {@code sandbox}.
 */
@CloudPilotTest(mode = "server")
class ServerModeTest {

    private static CloudPilotTestServer server;

    @Test
    void clusterNameIsRequired() {
        ApiResponse r = server.client().get("/k8s/overview/cluster");
        assertEquals(400, r.status(), r.toString());
        assertEquals("ValidationError", r.errorType());
        assertThat(r.message()).as(r.message()).contains("cluster_name");
    }

    @Test
    void unknownClusterIs404() {
        ApiResponse r = server.client().get("/k8s/cluster/info?cluster_name=production");
        assertEquals(404, r.status(), r.toString());
        assertEquals("ClusterNotFound", r.errorType());
    }

    @Test
    void registeredClusterIsServed() {
        ApiResponse info = server.client().get("/k8s/cluster/info?cluster_name=sandbox");
        assertEquals(200, info.status(), info.toString());
        assertEquals("server", info.data().path("mode").asString());
        assertEquals(4, info.data().path("node_count").asInt());
        ApiResponse overview = server.client().get("/k8s/overview/cluster?cluster_name=sandbox");
        assertEquals(200, overview.status(), overview.toString());
        assertEquals(28, overview.data().path("workloads").path("pods").path("total").asInt());
    }
}
