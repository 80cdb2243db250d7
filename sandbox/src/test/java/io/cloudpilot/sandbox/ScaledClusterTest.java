package io.cloudpilot.sandbox;

import java.util.List;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SandboxCluster#startScaled}: the default fixtures plus the generated bulk, consistent enough for every
 * endpoint (owners, Services with Endpoints, Istio objects routing to existing Services).
 */
class ScaledClusterTest {

    private static SandboxCluster cluster;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.startScaled(0, 200, 10, 30);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    private static List<GenericKubernetesResource> istio(String kind, String plural) {
        return cluster.client().genericKubernetesResources(new ResourceDefinitionContext.Builder()
                .withGroup("networking.istio.io").withVersion("v1").withKind(kind).withPlural(plural)
                .withNamespaced(true).build()).inAnyNamespace().list().getItems();
    }

    @Test
    void addsTheGeneratedObjectsToTheDefaultFixtures() {
        KubernetesClient client = cluster.client();
        assertEquals(28 + 200, client.pods().inAnyNamespace().list().getItems().size());
        assertEquals(4 + 10, client.nodes().list().getItems().size());
        assertEquals(20, client.apps().deployments().inNamespace("bench-01").list().getItems().size());
        assertEquals(20, client.services().inNamespace("bench-01").list().getItems().size());
        assertEquals(4 + 30, istio("VirtualService", "virtualservices").size());
        assertEquals(5 + 30, istio("DestinationRule", "destinationrules").size());
        assertEquals(100, client.v1().events().inNamespace("bench-01").list().getItems().size());
    }

    @Test
    void generatedPodsLookReal() {
        List<Pod> pods = cluster.client().pods().inNamespace("bench-01").list().getItems();
        assertEquals(200, pods.size());
        Pod running = pods.stream().filter(p -> "Running".equals(p.getStatus().getPhase())).findFirst().orElseThrow();
        assertFalse(running.getMetadata().getManagedFields().isEmpty(), "managedFields as a real API server keeps them");
        assertEquals("ReplicaSet", running.getMetadata().getOwnerReferences().getFirst().getKind());
        assertEquals(2, running.getSpec().getContainers().size());
        assertNotNull(running.getSpec().getNodeName());
        assertTrue(pods.stream().anyMatch(p -> "Pending".equals(p.getStatus().getPhase())), "some pods are Pending");
        Endpoints endpoints = cluster.client().endpoints().inNamespace("bench-01").withName("app-0").get();
        assertFalse(endpoints.getSubsets().getFirst().getAddresses().isEmpty(), "Services have their endpoints");
    }
}
