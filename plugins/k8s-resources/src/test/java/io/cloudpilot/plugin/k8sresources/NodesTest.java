package io.cloudpilot.plugin.k8sresources;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /k8s/resources/nodes/list|detail|capacity} on the sandbox cluster, instant mode.
 */
@CloudPilotTest(config = {"cache.stale-max-age=PT0S", "cluster.retries=0", "cluster.circuit.volume=1000"})
class NodesTest {

    private static CloudPilotTestServer server;

    @Test
    void listShowsEveryNodeWithStatusRolesAndAllocatable() {
        ApiResponse r = server.client().get("/k8s/resources/nodes/list");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals("sandbox", d.path("cluster_name").asString());
        assertEquals(4, d.path("total").asInt());
        assertEquals(4, d.path("count").asInt());
        assertEquals(List.of("control-plane-1", "worker-1", "worker-2", "worker-3"), Items.strings(d.path("nodes"), "name"));
        JsonNode cp = Items.find(d.path("nodes"), "name", "control-plane-1");
        assertEquals("control-plane", cp.path("roles").path(0).asString());
        assertEquals("node-role.kubernetes.io/control-plane", cp.path("taints").path(0).path("key").asString());
        assertEquals("10.0.0.10", cp.path("internal_ip").asString());
        assertEquals("v1.30.2", cp.path("kubelet_version").asString());
        assertEquals("3800m", cp.path("allocatable").path("cpu").asString());
        assertEquals(3.8, cp.path("cpu_allocatable_cores").asDouble(), 1e-9);
        assertEquals(16290832L * 1024, cp.path("memory_allocatable_bytes").asLong());
        JsonNode w3 = Items.find(d.path("nodes"), "name", "worker-3");
        assertEquals("NotReady", w3.path("status").asString(), "its Ready condition is Unknown: kubectl says NotReady");
        assertTrue(w3.path("unschedulable").asBoolean());
        assertEquals("worker", Items.find(d.path("nodes"), "name", "worker-1").path("roles").path(0).asString());
    }

    @Test
    void listPagesSortsAndFiltersUpstream() {
        JsonNode d = server.client().get("/k8s/resources/nodes/list?sort_by=name&sort_order=desc&page=2&page_size=3").data();
        assertEquals(List.of("control-plane-1"), Items.strings(d.path("nodes"), "name"));
        assertEquals(1, d.path("count").asInt());
        assertEquals(4, d.path("total").asInt());
        assertEquals(2, d.path("page").asInt());
        assertEquals(3, d.path("page_size").asInt());

        long before = server.sandbox().requestCount("GET", "/api/v1/nodes");
        JsonNode cordoned = server.client().get("/k8s/resources/nodes/list?field_selector=spec.unschedulable%3Dtrue").data();
        assertEquals(List.of("worker-3"), Items.strings(cordoned.path("nodes"), "name"));
        assertEquals(before + 1, server.sandbox().requestCount("GET", "/api/v1/nodes"), "the selector went upstream");
        JsonNode cp = server.client().get("/k8s/resources/nodes/list?label_selector=node-role.kubernetes.io/control-plane").data();
        assertEquals(List.of("control-plane-1"), Items.strings(cp.path("nodes"), "name"));
    }

    @Test
    void badListParametersAre400() {
        ApiResponse sel = server.client().get("/k8s/resources/nodes/list?label_selector=a%3D%3D%3Db");
        assertEquals(400, sel.status(), sel.toString());
        assertThat(sel.message()).as(sel.message()).contains("label_selector");
        ApiResponse sort = server.client().get("/k8s/resources/nodes/list?sort_by=colour");
        assertEquals(400, sort.status());
        assertThat(sort.message()).as(sort.message()).contains("sort_by");
        ApiResponse size = server.client().get("/k8s/resources/nodes/list?page_size=1001");
        assertEquals(400, size.status());
        assertThat(size.message()).as(size.message()).contains("page_size");
    }

    @Test
    void notReadyNodeIsExplained() {
        ApiResponse r = server.client().get("/k8s/resources/nodes/detail?node_name=worker-3");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals("NotReady", d.path("status").asString());
        JsonNode ready = Items.find(d.path("conditions"), "type", "Ready");
        assertEquals("Unknown", ready.path("status").asString(), "the kubelet stopped reporting");
        assertEquals("NodeStatusUnknown", ready.path("reason").asString());
        assertFalse(ready.path("last_heartbeat_time").isNull(), "heartbeat times are real values");
        JsonNode health = d.path("health");
        assertEquals("critical", health.path("status").asString());
        JsonNode notReady = Items.find(health.path("findings"), "code", "NodeNotReady");
        assertEquals("critical", notReady.path("severity").asString());
        assertEquals(50, notReady.path("deduction").asInt());
        assertThat(Items.codes(health)).as(health.toString()).contains("NodeUnschedulable");
        assertEquals(35, health.path("score").asInt(), "one NotReady penalty (50) and cordoned (15): " + health);
        assertTrue(d.path("usage").isNull());
        assertThat(d.path("usage_unavailable_reason").asString()).as(d.toString()).contains("no sample");
        assertEquals(List.of("kube-proxy-s5v7w"), Items.strings(d.path("pods"), "name"));
    }

    @Test
    void memoryPressureAndLiveUsage() {
        JsonNode d = server.client().get("/k8s/resources/nodes/detail?node_name=worker-2").data();
        assertEquals("Ready", d.path("status").asString());
        JsonNode pressure = Items.find(d.path("health").path("findings"), "code", "MemoryPressure");
        assertThat(pressure.path("message").asString()).as(pressure.toString()).contains("KubeletHasInsufficientMemory");
        assertEquals("warning", d.path("health").path("status").asString());
        double memPercent = d.path("usage").path("memory_percent").asDouble();
        assertTrue(memPercent > 90 && memPercent < 100, "the sandbox runs worker-2 at ~94% memory: " + d.path("usage"));
        assertThat(Items.codes(d.path("health"))).contains("HighMemoryUsage");
        assertTrue(d.path("usage_unavailable_reason").isNull());
    }

    @Test
    void allocatedRequestsMatchTheFixture() {
        List<Pod> pods = server.sandbox().client().pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> "worker-1".equals(p.getSpec().getNodeName()))
                .toList();
        List<Pod> running = pods.stream()
                .filter(p -> !"Succeeded".equals(p.getStatus().getPhase()) && !"Failed".equals(p.getStatus().getPhase()))
                .toList();
        BigDecimal cpu = running.stream().map(p -> Items.requested(p, "cpu")).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal mem = running.stream().map(p -> Items.requested(p, "memory")).reduce(BigDecimal.ZERO, BigDecimal::add);
        double cpuPercent = cpu.multiply(BigDecimal.valueOf(100)).divide(new BigDecimal("3.8"), 1, RoundingMode.HALF_UP)
                .doubleValue();
        double memPercent = mem.multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(16290832L * 1024), 1, RoundingMode.HALF_UP).doubleValue();

        JsonNode d = server.client().get("/k8s/resources/nodes/detail?node_name=worker-1").data();
        JsonNode a = d.path("allocated");
        assertEquals(12, d.path("pods").size(), "every pod bound to worker-1, any phase");
        assertEquals(10, running.size());
        assertEquals(10, a.path("pod_count").asInt(), "Succeeded and Failed pods hold nothing");
        assertEquals(cpu.doubleValue(), a.path("cpu_requests_cores").asDouble(), 0.0005);
        assertEquals(mem.longValue(), a.path("memory_requests_bytes").asLong());
        assertEquals(cpuPercent, a.path("cpu_requests_percent").asDouble(), 1e-9);
        assertEquals(memPercent, a.path("memory_requests_percent").asDouble(), 1e-9);
        assertTrue(cpuPercent > 0);

        JsonNode cap = server.client().get("/k8s/resources/nodes/capacity?node_name=worker-1").data();
        assertEquals(1, cap.path("count").asInt());
        assertEquals("worker-1", cap.path("node_name").asString());
        assertEquals(a, cap.path("capacity_info").path(0).path("allocated"));
        assertEquals(4.0, cap.path("capacity_info").path(0).path("resources").path("cpu_capacity_cores").asDouble(), 1e-9);
    }

    @Test
    void aNodeDetailShowsAPodBoundAfterItWasFirstRead() {
        String detail = "/k8s/resources/nodes/detail?node_name=worker-3";
        int before = server.client().get(detail).data().path("pods").size();
        var pods = server.sandbox().client().pods().inNamespace("default");
        pods.resource(new PodBuilder().withNewMetadata().withName("late-arrival").withNamespace("default").endMetadata()
                .withNewSpec().withNodeName("worker-3").addNewContainer().withName("app").withImage("busybox:1.36")
                .endContainer().endSpec().withNewStatus().withPhase("Running").endStatus().build()).create();
        try {
            JsonNode after = server.client().get(detail + "&force_refresh=true").data();
            assertEquals(before + 1, after.path("pods").size(), after.path("pods").toString());
            assertEquals("late-arrival", Items.find(after.path("pods"), "name", "late-arrival").path("name").asString());
            JsonNode warm = server.client().get(detail).data();
            assertEquals(before + 1, warm.path("pods").size(), "the warm detail is of the new pod list");
        } finally {
            pods.withName("late-arrival").delete();
            server.client().get(detail + "&force_refresh=true");
        }
    }

    @Test
    void capacityOfAllNodesMakesOnePodList() {
        long podLists = server.sandbox().requestCount("GET", "/api/v1/pods");
        long namespacedPodReads = server.sandbox().requestCount("GET", "/api/v1/namespaces");
        ApiResponse r = server.client().get("/k8s/resources/nodes/capacity?force_refresh=true");
        assertEquals(200, r.status(), r.toString());
        assertEquals(List.of("control-plane-1", "worker-1", "worker-2", "worker-3"),
                Items.strings(r.data().path("capacity_info"), "node_name"));
        assertEquals(4, r.data().path("count").asInt());
        assertEquals(podLists + 1, server.sandbox().requestCount("GET", "/api/v1/pods"), "one pod list for all nodes");
        assertEquals(namespacedPodReads, server.sandbox().requestCount("GET", "/api/v1/namespaces"));
        JsonNode w3 = Items.find(r.data().path("capacity_info"), "node_name", "worker-3");
        assertTrue(w3.path("usage").isNull());
        assertFalse(Items.find(r.data().path("capacity_info"), "node_name", "worker-1").path("usage").isNull());
    }

    @Test
    void capacityIsPagedAndSortedLikeTheLists() {
        ApiResponse first = server.client().get("/k8s/resources/nodes/capacity?page_size=3");
        assertEquals(200, first.status(), first.toString());
        assertEquals(List.of("control-plane-1", "worker-1", "worker-2"),
                Items.strings(first.data().path("capacity_info"), "node_name"));
        assertEquals(3, first.data().path("count").asInt());
        assertEquals(4, first.data().path("total").asInt());
        assertEquals(1, first.data().path("page").asInt());
        assertEquals(3, first.data().path("page_size").asInt());
        JsonNode second = server.client().get("/k8s/resources/nodes/capacity?page_size=3&page=2").data();
        assertEquals(List.of("worker-3"), Items.strings(second.path("capacity_info"), "node_name"));
        // worker-1 runs the most non-terminated pods of the fixtures (10 of its 12), worker-3 the fewest (1)
        JsonNode busiest = server.client().get("/k8s/resources/nodes/capacity?sort_by=pod_count&sort_order=desc").data();
        assertEquals(List.of("worker-1", "worker-2", "control-plane-1", "worker-3"),
                Items.strings(busiest.path("capacity_info"), "node_name"));
        ApiResponse bad = server.client().get("/k8s/resources/nodes/capacity?sort_by=colour");
        assertEquals(400, bad.status(), bad.toString());
        assertTrue(bad.message().contains("sort_by"), bad.message());
    }

    @Test
    void warmDetailMakesNoUpstreamCall() {
        server.client().get("/k8s/resources/nodes/detail?node_name=worker-1&force_refresh=true");
        long before = server.sandbox().requestCount();
        ApiResponse r = server.client().get("/k8s/resources/nodes/detail?node_name=worker-1");
        assertEquals("HIT", r.header("X-Cache").orElseThrow());
        assertEquals(before, server.sandbox().requestCount());
    }

    @Test
    void missingAndInvalidNodes() {
        ApiResponse missing = server.client().get("/k8s/resources/nodes/detail?node_name=worker-9");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("NotFound", missing.errorType());
        assertThat(missing.message()).as(missing.message()).contains("worker-9");
        ApiResponse capMissing = server.client().get("/k8s/resources/nodes/capacity?node_name=worker-9");
        assertEquals(404, capMissing.status(), capMissing.toString());
        ApiResponse absent = server.client().get("/k8s/resources/nodes/detail");
        assertEquals(400, absent.status());
        assertThat(absent.message()).as(absent.message()).contains("node_name");
        ApiResponse invalid = server.client().get("/k8s/resources/nodes/detail?node_name=Worker_1");
        assertEquals(400, invalid.status());
        assertThat(invalid.message()).as(invalid.message()).contains("node_name");
    }

    @Test
    void unreachableClusterIs503() {
        server.sandbox().setFailing(true);
        try {
            ApiResponse r = server.client().get("/k8s/resources/nodes/list?force_refresh=true");
            assertEquals(503, r.status(), r.toString());
            assertEquals("ClusterUnavailable", r.errorType());
        } finally {
            server.sandbox().setFailing(false);
        }
    }
}
