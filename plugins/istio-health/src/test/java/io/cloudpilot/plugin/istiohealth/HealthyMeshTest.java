package io.cloudpilot.plugin.istiohealth;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.Pod;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sandbox with its data-plane problems fixed (the pod without a sidecar gone, the old sidecars upgraded, the
 * unready workloads of the mesh scaled to what is ready) scores healthy, in instant mode.
 */
@CloudPilotTest
class HealthyMeshTest {

    private static CloudPilotTestServer server;

    @BeforeAll
    static void start() {
        var admin = server.sandbox().client();
        admin.pods().inNamespace("shop").withName("catalog-6c9f8b7d5-l5k3j").delete();
        for (Pod p : admin.pods().inNamespace("payments").withLabel("app", "payments-api").list().getItems()) {
            admin.pods().inNamespace("payments").withName(p.getMetadata().getName()).edit(pod -> {
                pod.getSpec().getContainers().stream().filter(c -> c.getName().equals("istio-proxy"))
                        .forEach(c -> c.setImage("docker.io/istio/proxyv2:1.22.1"));
                return pod;
            });
        }
        // payments/ledger has 0 of 1 replicas ready, shop/cart 1 of 2
        admin.apps().deployments().inNamespace("payments").withName("ledger").edit(d -> {
            d.getSpec().setReplicas(0);
            return d;
        });
        admin.apps().deployments().inNamespace("shop").withName("cart").edit(d -> {
            d.getSpec().setReplicas(1);
            return d;
        });
    }

    @Test
    void healthyMeshScoresHealthy() {
        ApiResponse r = server.client().get("/istio/health/summary");
        assertEquals(200, r.status(), r.toString());
        assertEquals("healthy", r.data().path("status").asString(), r.toString());
        assertEquals(100.0, r.data().path("score").asDouble());
        assertEquals(0, r.data().path("penalty").asInt());
        assertEquals(0, r.data().path("data_plane").path("unready_workloads").asInt(), r.toString());
        assertEquals(0, r.data().path("top_issues").size());
        assertEquals(100.0, r.data().path("data_plane").path("sidecar_coverage_percent").asDouble(), 0.001);
        assertEquals("full", r.data().path("confidence").asString());
    }
}
