package io.cloudpilot.plugin.istioconfig;

import java.util.List;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an analysis keeps of its snapshot: the Istio objects (lists and details are served from them), not the pods,
 * services, secrets and namespaces it was validated against. Keeping those held a second copy of a 10,000-pod list
 * after every forced read (docs/performance.md).
 */
class ConfigSnapshotTest {

    @Test
    void aValidatedSnapshotKeepsTheIstioObjectsOnly() {
        List<GenericKubernetesResource> gateways = List.of(new GenericKubernetesResource());
        List<GenericKubernetesResource> virtualServices = List.of(new GenericKubernetesResource());
        List<GenericKubernetesResource> destinationRules = List.of(new GenericKubernetesResource());
        List<GenericKubernetesResource> serviceEntries = List.of();
        ConfigSnapshot full = new ConfigSnapshot("c1", "v1beta1", gateways, virtualServices, destinationRules,
                serviceEntries, List.of(new ServiceBuilder().build()), List.of(new PodBuilder().build()),
                List.of(new SecretBuilder().build()), List.of(new NamespaceBuilder().build()), "mesh", List.of("x"));

        ConfigSnapshot kept = full.validated();

        assertSame(gateways, kept.gateways());
        assertSame(virtualServices, kept.virtualServices());
        assertSame(destinationRules, kept.destinationRules());
        assertSame(serviceEntries, kept.serviceEntries());
        assertTrue(kept.pods().isEmpty() && kept.services().isEmpty() && kept.secrets().isEmpty()
                && kept.namespaces().isEmpty(), kept.toString());
        assertEquals(List.of("c1", "v1beta1", "mesh", List.of("x")),
                List.of(kept.cluster(), kept.version(), kept.meshConfig(), kept.unavailable()));
    }
}
