package io.cloudpilot.plugin.istioworkloads;

import java.util.List;
import java.util.Map;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /istio/workloads/{istiod,gateway}/detail} in instant mode, on the sandbox cluster.
 */
@CloudPilotTest
class WorkloadDetailTest {

    private static CloudPilotTestServer server;

    private static List<String> codes(JsonNode health) {
        return Json.strings(health.path("findings"), "code");
    }

    @Test
    void istiodDetailMatchesTheCluster() {
        ApiResponse r = server.client().get("/istio/workloads/istiod/detail");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals("sandbox", d.path("cluster_name").asString());
        assertEquals("istio-system", d.path("namespace").asString());
        assertEquals(1, d.path("count").asInt());
        JsonNode w = d.path("workloads").path(0);
        assertEquals("istiod", w.path("name").asString());
        assertEquals("1.22.1", w.path("version").asString());
        assertEquals("default", w.path("revision").asString());
        assertEquals(1, w.path("replicas").path("desired").asInt());
        assertEquals(1, w.path("replicas").path("ready").asInt());
        assertEquals(1, w.path("replicas").path("available").asInt());
        assertEquals(1, w.path("replicas").path("updated").asInt());

        JsonNode discovery = Json.find(w.path("containers"), "name", "discovery");
        assertEquals("500m", discovery.path("resources").path("requests").path("cpu").asString());
        assertEquals("2Gi", discovery.path("resources").path("requests").path("memory").asString());
        assertEquals(0, discovery.path("resources").path("limits").size());
        assertEquals("Running", discovery.path("state").asString());
        assertEquals(2L * 1024 * 1024 * 1024, w.path("resources").path("per_pod").path("memory_requests_bytes").asLong());
        assertTrue(w.path("resources").path("per_pod").path("cpu_limits_cores").isNull(), "no CPU limit is unbounded, not 0");

        JsonNode pod = w.path("pods").path(0);
        assertEquals("istiod-5c8b7d9f6-vk7xh", pod.path("name").asString());
        assertEquals("worker-1", pod.path("node_name").asString());
        assertEquals("10.244.1.5", pod.path("pod_ip").asString());
        assertTrue(pod.path("ready").asBoolean());

        assertEquals("istiod", w.path("service_info").path("name").asString());
        assertEquals("ClusterIP", w.path("service_info").path("type").asString());
        assertEquals(List.of("grpc-xds", "https-dns", "https-webhook", "http-monitoring"),
                Json.strings(w.path("service_info").path("ports"), "name"));
        assertEquals("15017", Json.find(w.path("service_info").path("ports"), "name", "https-webhook")
                .path("target_port").asString());

        JsonNode health = w.path("health");
        JsonNode limits = Json.find(health.path("findings"), "code", "NoResourceLimits");
        assertEquals("warning", limits.path("severity").asString());
        assertThat(limits.path("message").asString()).as(limits.toString()).contains("discovery");
        assertThat(codes(health)).doesNotContain("ControlPlaneDown");
        assertEquals(100 - WorkloadHealth.NO_LIMITS, health.path("score").asInt());
        assertEquals("warning", health.path("status").asString());
        assertEquals("RollingUpdate", w.path("configuration").path("strategy").path("type").asString());
    }

    @Test
    void gatewayDetailShowsRestartsAndExternalAddress() {
        ApiResponse r = server.client().get("/istio/workloads/gateway/detail?namespace=istio-system");
        assertEquals(200, r.status(), r.toString());
        JsonNode w = r.data().path("workloads").path(0);
        assertEquals("istio-ingressgateway", w.path("name").asString());
        assertEquals("1.22.1", w.path("version").asString());
        assertEquals(2, w.path("replicas").path("ready").asInt());
        assertEquals(2, w.path("pods").size());

        JsonNode restarted = Json.find(w.path("pods"), "name", "istio-ingressgateway-6f9d8c7b5-f5g7h");
        assertEquals(3, restarted.path("restart_count").asInt());
        JsonNode proxy = Json.find(restarted.path("containers"), "name", "istio-proxy");
        assertEquals("OOMKilled", proxy.path("last_state").path("reason").asString());
        assertEquals(137, proxy.path("last_state").path("exit_code").asInt());
        assertEquals(0, Json.find(w.path("pods"), "name", "istio-ingressgateway-6f9d8c7b5-q4w6z").path("restart_count").asInt());

        JsonNode svc = w.path("service_info");
        assertEquals("LoadBalancer", svc.path("type").asString());
        assertEquals("203.0.113.10", svc.path("load_balancer_ip").asString());
        assertEquals(List.of("203.0.113.10"), Json.list(svc.path("external_addresses")).stream().map(JsonNode::asString).toList());
        assertEquals(30443, Json.find(svc.path("ports"), "name", "https").path("node_port").asInt());

        JsonNode health = w.path("health");
        JsonNode restarts = Json.find(health.path("findings"), "code", "RestartingContainers");
        assertThat(restarts.path("message").asString()).as(restarts.toString()).contains("istio-ingressgateway-6f9d8c7b5-f5g7h/istio-proxy restarted 3 times");
        assertThat(codes(health)).as(health.toString()).contains("OOMKilled");
        assertThat(codes(health)).as(health.toString()).doesNotContain("GatewayNoExternalAddress");
        assertEquals(100 - WorkloadHealth.RESTARTS - WorkloadHealth.OOM_KILLED, health.path("score").asInt());
        assertEquals("Unhealthy", w.path("recent_warning_events").path(0).path("reason").asString());
    }

    @Test
    void namespaceWithoutIstioIs404SayingWhereItLooked() {
        for (String component : List.of("istiod", "gateway")) {
            ApiResponse r = server.client().get("/istio/workloads/" + component + "/detail?namespace=shop");
            assertEquals(404, r.status(), r.toString());
            assertEquals("NotFound", r.errorType(), "Istio is installed, in istio-system: " + r);
            assertTrue(r.message().contains("'shop'") && r.message().contains("sandbox")
                    && r.message().contains("namespace=istio-system"), r.message());
            assertThat(r.message()).as(r.message()).contains(component.equals("istiod") ? "app=istiod or istio=pilot" : "istio=ingressgateway");
        }
    }

    @Test
    void invalidNamespaceIs400() {
        ApiResponse r = server.client().get("/istio/workloads/istiod/detail?namespace=Not_Valid");
        assertEquals(400, r.status(), r.toString());
        assertThat(r.message()).as(r.message()).contains("namespace");
    }

    @Test
    void severalGatewaysAreEachReported() {
        KubernetesClient admin = server.sandbox().client();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("edge").endMetadata().build()).create();
        for (String name : List.of("edge-gateway-a", "edge-gateway-b")) {
            boolean up = name.endsWith("a");
            admin.apps().deployments().inNamespace("edge").resource(new DeploymentBuilder()
                    .withNewMetadata().withName(name).withLabels(Map.of("istio", "ingressgateway", "app", name)).endMetadata()
                    .withNewSpec().withReplicas(1)
                    .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name, "istio", "ingressgateway")).endMetadata()
                    .withNewSpec().addNewContainer().withName("istio-proxy").withImage("docker.io/istio/proxyv2:1.22.1")
                    .endContainer().endSpec().endTemplate().endSpec()
                    .withNewStatus().withReplicas(1).withReadyReplicas(up ? 1 : null).withAvailableReplicas(up ? 1 : null)
                    .withUpdatedReplicas(1).endStatus()
                    .build()).create();
        }
        admin.services().inNamespace("edge").resource(new ServiceBuilder()
                .withNewMetadata().withName("edge-gateway-a").endMetadata()
                .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", "edge-gateway-a"))
                .addNewPort().withName("http2").withPort(80).endPort().endSpec().build()).create();

        ApiResponse r = server.client().get("/istio/workloads/gateway/detail?namespace=edge");
        assertEquals(200, r.status(), r.toString());
        assertEquals(2, r.data().path("count").asInt());
        assertEquals(List.of("edge-gateway-a", "edge-gateway-b"), Json.strings(r.data().path("workloads"), "name"));
        JsonNode a = r.data().path("workloads").path(0);
        JsonNode b = r.data().path("workloads").path(1);
        JsonNode pending = Json.find(a.path("health").path("findings"), "code", "GatewayNoExternalAddress");
        assertEquals("warning", pending.path("severity").asString());
        assertEquals("critical", Json.find(b.path("health").path("findings"), "code", "GatewayDown").path("severity").asString());
        assertThat(codes(b.path("health"))).as(b.path("health").toString()).contains("GatewayNoService");
        assertEquals("critical", r.data().path("health").path("status").asString());
        // both workloads' findings are in the combined health, each naming its workload
        assertTrue(Json.strings(r.data().path("health").path("findings"), "message").stream()
                .anyMatch(m -> m.contains("edge-gateway-a")));
    }

    @Test
    void everyIstiodRevisionIsReportedWithOnlyItsOwnPods() {
        KubernetesClient admin = server.sandbox().client();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("mesh").endMetadata().build()).create();
        // as Istio installs them: the default istiod selects istio=pilot, which the canary's pods carry too
        revision(admin, "istiod", Map.of("istio", "pilot"), Map.of("app", "istiod", "istio", "pilot", "istio.io/rev", "default"),
                "1.22.1", "a1b2c3d4e");
        revision(admin, "istiod-canary", Map.of("app", "istiod", "istio.io/rev", "canary"),
                Map.of("app", "istiod", "istio", "pilot", "istio.io/rev", "canary"), "1.23.0", "f6g7h8j9k");

        ApiResponse r = server.client().get("/istio/workloads/istiod/detail?namespace=mesh");
        assertEquals(200, r.status(), r.toString());
        assertEquals(2, r.data().path("count").asInt());
        JsonNode stable = Json.find(r.data().path("workloads"), "name", "istiod");
        JsonNode canary = Json.find(r.data().path("workloads"), "name", "istiod-canary");
        assertEquals("default", stable.path("revision").asString());
        assertEquals("1.22.1", stable.path("version").asString());
        assertEquals("canary", canary.path("revision").asString());
        assertEquals("1.23.0", canary.path("version").asString());
        assertEquals(List.of("istiod-a1b2c3d4e-x1"), Json.strings(stable.path("pods"), "name"));
        assertEquals(List.of("istiod-canary-f6g7h8j9k-x1"), Json.strings(canary.path("pods"), "name"));
    }

    private static void revision(KubernetesClient admin, String name, Map<String, String> selector,
                                 Map<String, String> labels, String version, String hash) {
        var d = admin.apps().deployments().inNamespace("mesh").resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(selector).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("discovery").withImage("docker.io/istio/pilot:" + version)
                .endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).withUpdatedReplicas(1).endStatus()
                .build()).create();
        var rs = admin.apps().replicaSets().inNamespace("mesh").resource(new ReplicaSetBuilder()
                .withNewMetadata().withName(name + "-" + hash).withLabels(labels)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("Deployment").withName(name)
                .withUid(d.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(selector).endSelector().endSpec()
                .build()).create();
        admin.pods().inNamespace("mesh").resource(new PodBuilder()
                .withNewMetadata().withName(name + "-" + hash + "-x1").withLabels(labels)
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(rs.getMetadata().getName())
                .withUid(rs.getMetadata().getUid()).withController(true).endOwnerReference().endMetadata()
                .withNewSpec().addNewContainer().withName("discovery").withImage("docker.io/istio/pilot:" + version)
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus()
                .build()).create();
    }

    @Test
    void cacheKeysKeepWorkloadsAndNamespacesApart() {
        // both workloads read fresh, one after the other: neither may overwrite the other's cached pods
        long pods = server.sandbox().requestCount("GET", "/api/v1/namespaces/istio-system/pods");
        assertEquals("BYPASS", server.client().get("/istio/workloads/gateway/detail?force_refresh=true")
                .header("X-Cache").orElseThrow());
        assertEquals(pods + 1, server.sandbox().requestCount("GET", "/api/v1/namespaces/istio-system/pods"),
                "one pod read per workload, under its own selector");
        server.client().get("/istio/workloads/istiod/detail?force_refresh=true");

        ApiResponse gateway = server.client().get("/istio/workloads/gateway/detail");
        assertEquals("HIT", gateway.header("X-Cache").orElseThrow());
        assertEquals("gateway", gateway.data().path("component").asString());
        JsonNode gw = gateway.data().path("workloads").path(0);
        assertEquals("istio-ingressgateway", gw.path("name").asString());
        assertEquals(List.of("istio-ingressgateway-6f9d8c7b5-f5g7h", "istio-ingressgateway-6f9d8c7b5-q4w6z"),
                Json.strings(gw.path("pods"), "name"));
        ApiResponse istiod = server.client().get("/istio/workloads/istiod/detail");
        assertEquals("HIT", istiod.header("X-Cache").orElseThrow());
        assertEquals(List.of("istiod-5c8b7d9f6-vk7xh"), Json.strings(istiod.data().path("workloads").path(0).path("pods"), "name"));
        assertNotEquals(istiod.data().path("workloads").path(0).path("uid").asString(), gw.path("uid").asString());

        // another namespace never gets istio-system's cached answer
        assertEquals(404, server.client().get("/istio/workloads/istiod/detail?namespace=payments").status());
    }

    @Test
    void warmDetailMakesNoUpstreamCall() {
        server.client().get("/istio/workloads/gateway/detail?force_refresh=true");
        long before = server.sandbox().requestCount();
        ApiResponse r = server.client().get("/istio/workloads/gateway/detail");
        assertEquals("HIT", r.header("X-Cache").orElseThrow());
        assertEquals(before, server.sandbox().requestCount());
    }
}
