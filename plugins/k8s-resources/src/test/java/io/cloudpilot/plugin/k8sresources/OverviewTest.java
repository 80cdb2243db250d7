package io.cloudpilot.plugin.k8sresources;

import java.time.Duration;
import java.time.Instant;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /k8s/overview/cluster} on the sandbox cluster, in instant mode.
 */
@CloudPilotTest(config = {
        "cache.stale-max-age=PT0S",
        "cluster.retries=0",
        "cluster.circuit.volume=1000" // the failing-cluster test must not open the circuit for the others
})
class OverviewTest {

    private static CloudPilotTestServer server;

    @Test
    void countsMatchTheCluster() {
        var admin = server.sandbox().client();
        ApiResponse r = server.client().get("/k8s/overview/cluster");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals("sandbox", d.path("cluster_name").asString());
        assertEquals(4, d.path("nodes").path("total").asInt());
        assertEquals(3, d.path("nodes").path("ready").asInt());
        assertEquals(1, d.path("nodes").path("not_ready").asInt());

        var pods = admin.pods().inAnyNamespace().list().getItems();
        JsonNode p = d.path("workloads").path("pods");
        assertEquals(pods.size(), p.path("total").asInt());
        assertEquals(pods.stream().filter(x -> "Running".equals(x.getStatus().getPhase())).count(), p.path("running").asLong());
        assertEquals(pods.stream().filter(x -> "Pending".equals(x.getStatus().getPhase())).count(), p.path("pending").asLong());
        assertTrue(p.path("pending").asInt() >= 1 && p.path("succeeded").asInt() >= 1 && p.path("failed").asInt() >= 1,
                "the sandbox has pods in every phase: " + p);
        assertEquals(admin.apps().deployments().inAnyNamespace().list().getItems().size(),
                d.path("workloads").path("deployments").asInt());
        assertEquals(admin.services().inAnyNamespace().list().getItems().size(), d.path("discovery").path("services").asInt());
        assertEquals(admin.secrets().inAnyNamespace().list().getItems().size(), d.path("configs").path("secrets").asInt());
        assertEquals(admin.configMaps().inAnyNamespace().list().getItems().size(),
                d.path("configs").path("configmaps").asInt());
        assertEquals(admin.namespaces().list().getItems().size(), d.path("configs").path("namespaces").asInt());
        assertEquals(0, d.path("unavailable").size());
    }

    @Test
    void resourcesAreInCoresAndBytes() {
        JsonNode res = server.client().get("/k8s/overview/cluster").data().path("resources");
        double cpuRequests = res.path("cpu_requests_cores").asDouble();
        long memRequests = res.path("memory_requests_bytes").asLong();
        assertTrue(cpuRequests > 0 && cpuRequests < res.path("cpu_allocatable_cores").asDouble(), res.toString());
        assertTrue(memRequests > 64L * 1024 * 1024, "memory in bytes, not GB: " + res);
        assertTrue(memRequests < res.path("memory_allocatable_bytes").asLong(), res.toString());
        assertTrue(res.path("cpu_limits_cores").asDouble() >= cpuRequests, res.toString());
        double pct = res.path("cpu_requests_percent").asDouble();
        assertEquals(Math.round(cpuRequests * 1000 / res.path("cpu_allocatable_cores").asDouble()) / 10.0, pct, 0.11);
    }

    @Test
    void unreachableClusterIs503NeverZeros() {
        server.sandbox().setFailing(true);
        try {
            ApiResponse r = server.client().get("/k8s/overview/cluster?force_refresh=true");
            assertEquals(503, r.status(), r.toString());
            assertEquals("ClusterUnavailable", r.errorType());
        } finally {
            server.sandbox().setFailing(false);
        }
    }

    @Test
    void warmOverviewMakesNoUpstreamCall() {
        server.client().get("/k8s/overview/cluster?force_refresh=true");
        long before = server.sandbox().requestCount();
        ApiResponse r = server.client().get("/k8s/overview/cluster");
        assertEquals("HIT", r.header("X-Cache").orElseThrow());
        assertEquals(before, server.sandbox().requestCount());
    }

    @Test
    void readAtIsWhenTheDataWasReadAsAgeSays() throws Exception {
        Instant before = Instant.now();
        ApiResponse fresh = server.client().get("/k8s/overview/cluster?force_refresh=true");
        Instant after = Instant.now();
        assertEquals(200, fresh.status(), fresh.toString());
        Instant readAt = Instant.parse(fresh.data().path("read_at").asString());
        assertTrue(!readAt.isBefore(before.minusMillis(1)) && !readAt.isAfter(after), readAt + " within the request");

        Thread.sleep(2200);
        ApiResponse cached = server.client().get("/k8s/overview/cluster");
        Instant answered = Instant.now();
        assertEquals("HIT", cached.header("X-Cache").orElseThrow());
        assertEquals(fresh.data().path("read_at").asString(), cached.data().path("read_at").asString(),
                "read_at does not move while the answer comes from the cache");
        long age = Long.parseLong(cached.header("Age").orElseThrow());
        assertTrue(age >= 2, "Age " + age);
        long sinceReadAt = Duration.between(readAt, answered).toSeconds();
        assertTrue(Math.abs(sinceReadAt - age) <= 1, "Age " + age + " counts from read_at " + readAt + " (" + sinceReadAt
                + " s before the answer)");
    }
}
