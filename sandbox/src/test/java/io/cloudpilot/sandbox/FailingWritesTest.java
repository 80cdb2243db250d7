package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.client.KubernetesClientException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code setFailingWrites}: reads keep working, writes get HTTP 500 until it is switched off.
 */
class FailingWritesTest {

    @Test
    void readsWorkWritesFail() {
        try (SandboxCluster cluster = SandboxCluster.start()) {
            var deployments = cluster.client().apps().deployments().inNamespace("shop");
            cluster.setFailingWrites(true);
            assertEquals(3, deployments.withName("frontend").get().getSpec().getReplicas());
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> deployments.withName("frontend").scale(5));
            assertEquals(500, e.getCode());
            assertEquals(3, deployments.withName("frontend").get().getSpec().getReplicas(), "nothing changed");
            cluster.setFailingWrites(false);
            deployments.withName("frontend").scale(5);
            assertEquals(5, deployments.withName("frontend").get().getSpec().getReplicas());
        }
    }
}
