package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster info and overview in server mode: the sandbox registered as cluster {@code sandbox}.
 */
class ServerModeTest {

    private static CloudPilotTestServer server;

    @BeforeAll
    static void start() {
        server = CloudPilotTestServer.builder().mode("server").start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void clusterNameIsRequired() {
        ApiResponse r = server.client().get("/k8s/overview/cluster");
        assertEquals(400, r.status(), r.toString());
        assertEquals("ValidationError", r.errorType());
        assertTrue(r.message().contains("cluster_name"), r.message());
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
