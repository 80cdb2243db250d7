package io.cloudpilot.conformance;

import java.time.Duration;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API server process is ended (by its pid) while CloudPilot serves the cluster: reads answer 503 within the
 * configured bounds, never an empty list; when the API server is back (same port, same etcd), reads recover.
 */
@Order(8)
@ExtendWith(ConformanceCluster.class)
class ApiServerOutageTest {

    static final String CLUSTER = "real";
    /** cluster.call-timeout below, plus slack for a loaded 2-core machine */
    static final Duration BOUND = Duration.ofSeconds(6 + 10);

    private static CloudPilotTestServer server;
    private static ControlPlane plane;

    @BeforeAll
    static void start() {
        plane = ConformanceCluster.plane();
        server = CloudPilotTestServer.builder().mode("server").sandbox(false).pluginDirs(Plugins.dirs())
                .config("cluster.connect-timeout", "PT2S")
                .config("cluster.request-timeout", "PT4S")
                .config("cluster.call-timeout", "PT6S")
                .config("cluster.retries", "0")
                .config("cluster.circuit.delay", "PT2S")
                .config("cache.stale-max-age", "PT0S")
                .start();
        ApiResponse added = server.client().post("/k8s/cluster/add", """
                {"name": "%s", "api_server": "%s", "token": "%s", "ca_data": "%s"}
                """.formatted(CLUSTER, plane.url(), plane.adminToken(), plane.caData()));
        assertEquals(200, added.status(), added.toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aDeadApiServerIs503WithinTheBoundAndRecovers() throws Exception {
        String path = "/k8s/resources/pods/list?namespace=shop&force_refresh=true&cluster_name=" + CLUSTER;
        ApiResponse before = server.client().get(path);
        assertEquals(200, before.status(), before.toString());
        assertEquals(3, before.data().path("total").asInt());

        plane.stopApiServer();
        try {
            for (String p : new String[] {path, "/k8s/cluster/info?force_refresh=true&cluster_name=" + CLUSTER,
                    "/api/istio/gateway/list?force_refresh=true&cluster_name=" + CLUSTER}) {
                long start = System.nanoTime();
                ApiResponse down = server.client().get(p);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertEquals(503, down.status(), p + " " + down);
                assertTrue(down.errorType().equals("ClusterUnavailable") || down.errorType().equals("ClusterTimeout"),
                        down.toString());
                assertTrue(down.message().contains("'" + CLUSTER + "'"), down.message());
                assertTrue(took.compareTo(BOUND) < 0, p + " answered in " + took.toMillis() + " ms, bound " + BOUND);
            }
            // without force_refresh and without stale entries: 503 as well, never the old list as if fresh
            ApiResponse cached = server.client().get("/k8s/resources/nodes/list?cluster_name=" + CLUSTER);
            assertEquals(503, cached.status(), cached.toString());
        } finally {
            plane.startApiServer();
        }
        Wait.until("CloudPilot reads the cluster again", Duration.ofSeconds(60),
                () -> server.client().get(path).status() == 200, () -> server.client().get(path));
        ApiResponse after = server.client().get(path);
        assertEquals(3, after.data().path("total").asInt(), after.toString());
    }
}
