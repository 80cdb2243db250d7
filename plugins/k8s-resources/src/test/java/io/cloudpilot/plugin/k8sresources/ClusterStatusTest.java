package io.cloudpilot.plugin.k8sresources;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;

import io.cloudpilot.sandbox.FaultProxy;
import io.cloudpilot.sandbox.SandboxCluster;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /k8s/cluster/list} keeps each cluster's reachability, {@code last_error}, {@code checked_at} and
 * {@code server_version} current from CloudPilot's real calls: a cluster registered without a check ({@code unknown})
 * becomes reachable once read, unreachable while it answers 503, reachable again when it recovers, and the registry's
 * database holds the same (what other replicas list).
 */
@CloudPilotTest(mode = "server", config = {
        "cache.stale-max-age=PT0S",
        "cluster.retries=0",
        "cluster.circuit.volume=1000"})
class ClusterStatusTest {

    private static CloudPilotTestServer server;
    private static SandboxCluster cluster;
    private static FaultProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        cluster = SandboxCluster.start();
        proxy = FaultProxy.start(cluster);
        server.registerCluster("flaky", proxy.writeKubeconfig(server.dataDir().resolve("flaky-kubeconfig.yaml")));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode listed() {
        ApiResponse list = server.client().get("/k8s/cluster/list");
        assertEquals(200, list.status(), list.toString());
        for (JsonNode c : list.data().path("clusters")) {
            if (c.path("name").asString().equals("flaky")) {
                return c;
            }
        }
        throw new AssertionError("flaky is not listed: " + list);
    }

    @Test
    void reachabilityFollowsTheRealCalls() throws Exception {
        assertEquals("unknown", listed().path("reachability").asString(), "registered without a check");

        ApiResponse info = server.client().get("/k8s/cluster/info?cluster_name=flaky&force_refresh=true");
        assertEquals(200, info.status(), info.toString());
        JsonNode up = listed();
        assertEquals("reachable", up.path("reachability").asString(), up.toString());
        assertEquals(cluster.client().getKubernetesVersion().getGitVersion(), up.path("server_version").asString(),
                "the version GET /k8s/cluster/info read");
        assertTrue(up.path("last_error").isNull(), up.toString());
        Instant firstCheck = Instant.parse(up.path("checked_at").asString());

        proxy.set(FaultProxy.Fault.SERVER_ERROR);
        Thread.sleep(1100); // checked_at has whole seconds
        ApiResponse failed = server.client().get("/k8s/resources/nodes/list?cluster_name=flaky&force_refresh=true");
        assertEquals(503, failed.status(), failed.toString());
        JsonNode down = listed();
        assertEquals("unreachable", down.path("reachability").asString(), down.toString());
        assertThat(down.path("last_error").asString()).as(down.toString()).contains("503");
        assertTrue(Instant.parse(down.path("checked_at").asString()).isAfter(firstCheck), down.toString());
        assertEquals(up.path("server_version").asString(), down.path("server_version").asString(),
                "the last version seen is kept");
        assertEquals("unreachable", stored("flaky"), "written to the registry, where other replicas read it");

        proxy.set(FaultProxy.Fault.NONE);
        ApiResponse recovered = server.client().get("/k8s/resources/nodes/list?cluster_name=flaky&force_refresh=true");
        assertEquals(200, recovered.status(), recovered.toString());
        JsonNode again = listed();
        assertEquals("reachable", again.path("reachability").asString(), again.toString());
        assertTrue(again.path("last_error").isNull(), again.toString());
        assertEquals("reachable", stored("flaky"));
    }

    /** The reachability the registry's database holds, once the background write has landed (within 10 s). */
    private static String stored(String name) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        String expected = listed().path("reachability").asString();
        String value = null;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + server.dataDir().resolve("cloudpilot.db"))) {
            while (Instant.now().isBefore(deadline)) {
                try (PreparedStatement p = c.prepareStatement("SELECT reachability FROM clusters WHERE name = ?")) {
                    p.setString(1, name);
                    try (ResultSet rs = p.executeQuery()) {
                        value = rs.next() ? rs.getString(1) : null;
                    }
                }
                if (expected.equals(value)) {
                    return value;
                }
                Thread.sleep(100);
            }
        }
        return value;
    }
}
