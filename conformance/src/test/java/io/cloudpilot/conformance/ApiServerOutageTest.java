package io.cloudpilot.conformance;

import java.time.Duration;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.cloudpilot.testkit.Wait;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API server process is ended (by its pid) while CloudPilot serves the cluster: reads answer 503 within the
 * configured bounds, never an empty list, and a list read before the outage is not served once its TTL has passed;
 * when the API server is back (same port, same etcd), reads recover.
 */
@Order(8)
@ExtendWith(ConformanceCluster.class)
class ApiServerOutageTest {

    static final String CLUSTER = "real";
    /** cluster.call-timeout below, plus slack for a loaded 2-core machine */
    static final Duration BOUND = Duration.ofSeconds(6 + 10);
    /** How long a node list is fresh; expired entries are never served ({@code cache.stale-max-age=PT0S}). */
    static final Duration NODES_TTL = Duration.ofSeconds(3);

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
                .config("cache.ttl.nodes", "PT" + NODES_TTL.toSeconds() + "S")
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

        // the node list read while the API server is up: once from the cluster, then from the cache (control)
        String nodes = "/k8s/resources/nodes/list?cluster_name=" + CLUSTER;
        int nodeCount = plane.admin().nodes().list().getItems().size();
        long readAt = System.nanoTime();
        ApiResponse fresh = server.client().get(nodes);
        assertEquals(200, fresh.status(), fresh.toString());
        assertEquals(nodeCount, fresh.data().path("total").asInt(), fresh.toString());
        ApiResponse cachedWhileUp = server.client().get(nodes);
        assertEquals("HIT", cachedWhileUp.header("X-Cache").orElse(""), "within its TTL the list is the cache's: "
                + cachedWhileUp);

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
                assertThat(down.message()).as(down.message()).contains("'" + CLUSTER + "'");
                assertTrue(took.compareTo(BOUND) < 0, p + " answered in " + took.toMillis() + " ms, bound " + BOUND);
            }
            // the list read before the outage has passed its TTL: without stale entries it is a 503, never the old
            // list as if fresh
            long wait = readAt + NODES_TTL.toNanos() - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000 + 1);
            }
            ApiResponse expired = server.client().get(nodes);
            assertEquals(503, expired.status(), "the node list read before the outage expired: " + expired);
        } finally {
            plane.startApiServer();
        }
        // the pods the API server has, read through CloudPilot again; not "the first 200": the circuit counts its
        // last calls (cluster.circuit.volume), so a first success that fills the window with half failures opens it
        // for cluster.circuit.delay, and the next read is a 503 until then
        Wait.until("CloudPilot reads the cluster's pods again", Duration.ofSeconds(60), () -> {
            ApiResponse after = server.client().get(path);
            return after.status() == 200 && after.data().path("total").asInt() == 3;
        }, () -> server.client().get(path));
    }
}
