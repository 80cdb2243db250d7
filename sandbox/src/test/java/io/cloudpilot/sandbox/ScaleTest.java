package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scale subresource and the simulated controllers behind it; every test gets a fresh cluster. */
class ScaleTest {

    private static final String FRONTEND_SCALE = "/apis/apps/v1/namespaces/shop/deployments/frontend/scale";

    private SandboxCluster cluster;
    private KubernetesClient client;

    @BeforeEach
    void start() {
        cluster = SandboxCluster.start();
        client = cluster.client();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void getReturnsAnAutoscalingV1Scale() {
        Map<String, Object> scale = Http.json(Http.get(cluster, FRONTEND_SCALE));
        assertEquals("Scale", scale.get("kind"));
        assertEquals("autoscaling/v1", scale.get("apiVersion"));
        assertEquals(3, ((Number) Json.at(scale, "spec", "replicas")).intValue());
        assertEquals(3, ((Number) Json.at(scale, "status", "replicas")).intValue());
        assertEquals("app=frontend,version=v1", Json.at(scale, "status", "selector"));
        Scale typed = client.apps().deployments().inNamespace("shop").withName("cart").scale();
        assertEquals(2, typed.getSpec().getReplicas());
        assertEquals("app=cart,version=v1", typed.getStatus().getSelector());
        assertEquals(404, Http.get(cluster, "/apis/apps/v1/namespaces/shop/deployments/nope/scale").statusCode());
    }

    @Test
    void scaleUpWithTheClientCreatesPodsAndUpdatesStatus() {
        Deployment before = deployment("frontend");
        Deployment after = client.apps().deployments().inNamespace("shop").withName("frontend").scale(5);
        assertEquals(5, after.getSpec().getReplicas());
        Deployment read = deployment("frontend");
        assertEquals(5, read.getSpec().getReplicas());
        assertEquals(before.getMetadata().getGeneration() + 1, read.getMetadata().getGeneration());
        assertEquals(read.getMetadata().getGeneration(), read.getStatus().getObservedGeneration());
        assertEquals(5, read.getStatus().getReplicas());
        assertEquals(5, read.getStatus().getReadyReplicas());
        assertEquals(5, read.getStatus().getAvailableReplicas());
        assertEquals(before.getMetadata().getUid(), read.getMetadata().getUid());
        assertEquals(before.getSpec().getTemplate(), read.getSpec().getTemplate());
        List<Pod> pods = client.pods().inNamespace("shop").withLabel("app", "frontend").withLabel("version", "v1")
                .list().getItems();
        assertEquals(5, pods.size());
        assertTrue(pods.stream().allMatch(p -> "Running".equals(p.getStatus().getPhase())));
        ReplicaSet rs = client.apps().replicaSets().inNamespace("shop").withName("frontend-7d4b9c8f6").get();
        assertEquals(5, rs.getSpec().getReplicas());
        assertEquals(5, rs.getStatus().getReadyReplicas());
        assertEquals(6, client.endpoints().inNamespace("shop").withName("frontend").get().getSubsets().get(0)
                .getAddresses().size());
        assertTrue(client.v1().events().inNamespace("shop").withField("involvedObject.name", "frontend").list()
                .getItems().stream().anyMatch(e -> e.getMessage().equals(
                        "Scaled up replica set frontend-7d4b9c8f6 to 5 from 3")));
    }

    @Test
    void scaleDownRemovesTheUnhealthyPodFirst() {
        client.apps().deployments().inNamespace("shop").withName("cart").scale(1);
        List<Pod> pods = client.pods().inNamespace("shop").withLabel("app", "cart").list().getItems();
        assertEquals(List.of("cart-5b7f9d6c8-h4j6k"), pods.stream().map(p -> p.getMetadata().getName()).toList());
        Deployment cart = deployment("cart");
        assertEquals(1, cart.getStatus().getReadyReplicas());
        assertNull(cart.getStatus().getUnavailableReplicas());
        assertEquals("True", cart.getStatus().getConditions().stream().filter(c -> c.getType().equals("Available"))
                .findFirst().orElseThrow().getStatus());
    }

    @Test
    void putOfAScaleBody() {
        String body = """
                {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"catalog","namespace":"shop"},
                 "spec":{"replicas":4}}""";
        HttpResponse<String> r = Http.send(cluster, "PUT", "/apis/apps/v1/namespaces/shop/deployments/catalog/scale",
                "application/json", body, true);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(4, ((Number) Json.at(Http.json(r), "spec", "replicas")).intValue());
        assertEquals(4, ((Number) Json.at(Http.json(r), "status", "replicas")).intValue());
        Deployment catalog = deployment("catalog");
        assertEquals(4, catalog.getSpec().getReplicas());
        assertEquals("catalog", catalog.getMetadata().getName());
        assertEquals(4, catalog.getStatus().getReplicas());
    }

    @Test
    void staleResourceVersionIsAConflict() {
        String body = """
                {"kind":"Scale","apiVersion":"autoscaling/v1","metadata":{"name":"catalog","resourceVersion":"1"},
                 "spec":{"replicas":4}}""";
        HttpResponse<String> r = Http.send(cluster, "PUT", "/apis/apps/v1/namespaces/shop/deployments/catalog/scale",
                "application/json", body, true);
        assertEquals(409, r.statusCode());
        assertEquals("Conflict", Http.json(r).get("reason"));
        assertEquals(2, deployment("catalog").getSpec().getReplicas());
    }

    @Test
    void mergeAndJsonPatchOfTheScale() {
        HttpResponse<String> merge = Http.send(cluster, "PATCH", FRONTEND_SCALE, "application/merge-patch+json",
                "{\"spec\":{\"replicas\":2}}", true);
        assertEquals(200, merge.statusCode(), merge.body());
        assertEquals(2, deployment("frontend").getSpec().getReplicas());
        assertEquals(2, client.pods().inNamespace("shop").withLabel("app", "frontend").withLabel("version", "v1").list()
                .getItems().size());
        HttpResponse<String> json = Http.send(cluster, "PATCH", FRONTEND_SCALE, "application/json-patch+json",
                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":6}]", true);
        assertEquals(200, json.statusCode(), json.body());
        assertEquals(6, deployment("frontend").getSpec().getReplicas());
        Scale scale = client.apps().deployments().inNamespace("shop").withName("frontend").scale();
        scale.getSpec().setReplicas(3);
        Scale replaced = client.apps().deployments().inNamespace("shop").withName("frontend").scale(scale);
        assertEquals(3, replaced.getSpec().getReplicas());
        assertEquals(3, deployment("frontend").getSpec().getReplicas());
        assertEquals(3, deployment("frontend").getStatus().getReplicas());
    }

    @Test
    void dryRunChangesNothing() {
        String rv = deployment("payments", "payments-api").getMetadata().getResourceVersion();
        HttpResponse<String> r = Http.send(cluster, "PATCH",
                "/apis/apps/v1/namespaces/payments/deployments/payments-api/scale?dryRun=All",
                "application/merge-patch+json", "{\"spec\":{\"replicas\":7}}", true);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(7, ((Number) Json.at(Http.json(r), "spec", "replicas")).intValue());
        Deployment after = deployment("payments", "payments-api");
        assertEquals(2, after.getSpec().getReplicas());
        assertEquals(rv, after.getMetadata().getResourceVersion());
        assertEquals(2, client.pods().inNamespace("payments").withLabel("app", "payments-api").list().getItems().size());
        HttpResponse<String> put = Http.send(cluster, "PUT",
                "/apis/apps/v1/namespaces/payments/deployments/payments-api/scale?dryRun=All", "application/json",
                "{\"kind\":\"Scale\",\"apiVersion\":\"autoscaling/v1\",\"spec\":{\"replicas\":0}}", true);
        assertEquals(0, ((Number) Json.at(Http.json(put), "spec", "replicas")).intValue());
        assertEquals(2, deployment("payments", "payments-api").getSpec().getReplicas());
    }

    @Test
    void scaleToZeroAndBack() {
        client.apps().deployments().inNamespace("monitoring").withName("prometheus").scale(0);
        Deployment zero = deployment("monitoring", "prometheus");
        assertEquals(0, zero.getStatus().getReplicas());
        assertNull(zero.getStatus().getReadyReplicas());
        assertTrue(client.pods().inNamespace("monitoring").withLabel("app", "prometheus").list().getItems().isEmpty());
        client.apps().deployments().inNamespace("monitoring").withName("prometheus").scale(1);
        List<Pod> pods = client.pods().inNamespace("monitoring").withLabel("app", "prometheus").list().getItems();
        assertEquals(1, pods.size());
        assertEquals("Running", pods.get(0).getStatus().getPhase());
        assertEquals("worker-1", pods.get(0).getSpec().getNodeName());
        assertTrue(pods.get(0).getMetadata().getName().startsWith("prometheus-8d7c6b5f4-"));
        assertNotEquals("prometheus-8d7c6b5f4-n6m8v", pods.get(0).getMetadata().getName());
        assertEquals(1, deployment("monitoring", "prometheus").getStatus().getReadyReplicas());
    }

    @Test
    void negativeReplicasAreInvalid() {
        HttpResponse<String> r = Http.send(cluster, "PATCH", FRONTEND_SCALE, "application/merge-patch+json",
                "{\"spec\":{\"replicas\":-1}}", true);
        assertEquals(422, r.statusCode());
        assertEquals(3, deployment("frontend").getSpec().getReplicas());
    }

    private Deployment deployment(String name) {
        return deployment("shop", name);
    }

    private Deployment deployment(String ns, String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }
}
