package io.cloudpilot.plugin.k8sresources;

import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /k8s/resources/deployments/list|detail} on the sandbox cluster, instant mode.
 */
@CloudPilotTest
class DeploymentsTest {

    private static CloudPilotTestServer server;

    @Test
    void listShowsReplicasAndRolloutState() {
        ApiResponse r = server.client().get("/k8s/resources/deployments/list");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(server.sandbox().client().apps().deployments().inAnyNamespace().list().getItems().size(),
                d.path("total").asInt());
        JsonNode cart = Items.find(d.path("deployments"), "name", "cart");
        assertEquals(2, cart.path("desired_replicas").asInt());
        assertEquals(1, cart.path("ready_replicas").asInt());
        assertEquals(1, cart.path("available_replicas").asInt());
        assertEquals(1, cart.path("unavailable_replicas").asInt());
        assertEquals("1/2", cart.path("ready").asString());
        JsonNode ledger = Items.find(d.path("deployments"), "name", "ledger");
        assertEquals("stalled", ledger.path("rollout_status").asString());
        assertEquals(0, ledger.path("ready_replicas").asInt(), "readyReplicas absent upstream is 0");
        assertEquals("Recreate", Items.find(d.path("deployments"), "name", "prometheus").path("strategy_type").asString());
        JsonNode istiod = Items.find(d.path("deployments"), "name", "istiod");
        assertEquals("complete", istiod.path("rollout_status").asString());
        assertEquals(List.of("docker.io/istio/pilot:1.22.1"), Items.texts(istiod.path("images")));
    }

    @Test
    void listFiltersByNamespaceAndLabels() {
        JsonNode shop = server.client().get("/k8s/resources/deployments/list?namespace=shop&sort_by=name").data();
        assertEquals(List.of("cart", "catalog", "frontend", "frontend-v2"), Items.strings(shop.path("deployments"), "name"));
        JsonNode frontends = server.client().get("/k8s/resources/deployments/list?label_selector=app%3Dfrontend").data();
        assertThat(Items.strings(frontends.path("deployments"), "name")).as(frontends.toString()).contains("frontend");
    }

    @Test
    void unavailableDeploymentInDetail() {
        ApiResponse r = server.client().get("/k8s/resources/deployments/detail?namespace=shop&deployment_name=cart");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(2, d.path("replicas").path("desired").asInt());
        assertEquals(1, d.path("replicas").path("available").asInt());
        assertEquals("False", Items.find(d.path("conditions"), "type", "Available").path("status").asString());
        assertEquals(List.of("cart-5b7f9d6c8"), Items.strings(d.path("replicasets"), "name"));
        assertEquals("1", d.path("replicasets").path(0).path("revision").asString());
        assertTrue(d.path("replicasets").path(0).path("is_current").asBoolean());
        assertEquals(List.of("cart-5b7f9d6c8-h4j6k", "cart-5b7f9d6c8-z9x8c"), Items.strings(d.path("pods"), "name"));
        assertEquals("CrashLoopBackOff", Items.find(d.path("pods"), "name", "cart-5b7f9d6c8-z9x8c").path("status").asString());
        List<String> codes = Items.codes(d.path("health"));
        assertTrue(codes.containsAll(List.of("ReplicasUnavailable", "DeploymentUnavailable", "PodCrashLoopBackOff")), codes.toString());
        assertEquals("critical", d.path("health").path("status").asString());
        assertEquals("app=cart,version=v1", d.path("selector_text").asString());
        assertEquals("25%", d.path("strategy").path("max_surge").asString());
    }

    @Test
    void replicaSetsRevisionsAndHpa() {
        JsonNode d = server.client().get("/k8s/resources/deployments/detail?namespace=shop&deployment_name=frontend").data();
        assertEquals(List.of("frontend-7d4b9c8f6", "frontend-5f6c7d8b9"), Items.strings(d.path("replicasets"), "name"),
                "newest revision first");
        JsonNode current = d.path("replicasets").path(0);
        assertEquals("2", current.path("revision").asString());
        assertEquals(3, current.path("ready").asInt());
        assertTrue(current.path("is_current").asBoolean());
        assertFalse(d.path("replicasets").path(1).path("is_current").asBoolean());
        assertEquals(0, d.path("replicasets").path(1).path("desired").asInt());
        assertEquals(3, d.path("pods").size(), "frontend-v2's pod belongs to another Deployment");
        assertEquals(List.of("frontend"), Items.texts(d.path("hpas")));
        assertEquals("healthy", d.path("health").path("status").asString());
        assertEquals(100, d.path("health").path("score").asInt());
        assertEquals("complete", d.path("rollout_status").asString());
    }

    @Test
    void stalledRolloutIsCritical() {
        JsonNode d = server.client().get("/k8s/resources/deployments/detail?namespace=payments&deployment_name=ledger").data();
        assertEquals("stalled", d.path("rollout_status").asString());
        JsonNode stalled = Items.find(d.path("health").path("findings"), "code", "ProgressDeadlineExceeded");
        assertEquals("critical", stalled.path("severity").asString());
        JsonNode unavailable = Items.find(d.path("health").path("findings"), "code", "ReplicasUnavailable");
        assertEquals(50, unavailable.path("deduction").asInt());
        assertThat(Items.codes(d.path("health"))).as(d.path("health").toString()).contains("PodUnschedulable");
        assertEquals(0, d.path("health").path("score").asInt(), "deductions add up past 100: " + d.path("health"));
    }

    @Test
    void missingDeployment() {
        ApiResponse missing = server.client().get("/k8s/resources/deployments/detail?namespace=shop&deployment_name=basket");
        assertEquals(404, missing.status(), missing.toString());
        assertThat(missing.message()).as(missing.message()).contains("basket");
        ApiResponse noName = server.client().get("/k8s/resources/deployments/detail?namespace=shop");
        assertEquals(400, noName.status());
        assertThat(noName.message()).as(noName.message()).contains("deployment_name");
    }
}
