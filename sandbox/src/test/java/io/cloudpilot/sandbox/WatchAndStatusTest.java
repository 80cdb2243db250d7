package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WatchAndStatusTest {

    @Test
    void informerSyncsAndSeesChanges() throws Exception {
        try (SandboxCluster cluster = SandboxCluster.start()) {
            KubernetesClient client = cluster.client();
            List<String> added = new CopyOnWriteArrayList<>();
            List<String> deleted = new CopyOnWriteArrayList<>();
            SharedIndexInformer<Pod> informer = client.pods().inNamespace("shop").inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod pod) {
                    added.add(pod.getMetadata().getName());
                }

                @Override
                public void onUpdate(Pod oldPod, Pod newPod) {
                }

                @Override
                public void onDelete(Pod pod, boolean unknown) {
                    deleted.add(pod.getMetadata().getName());
                }
            }, 0);
            assertTrue(informer.hasSynced());
            assertEquals(9, informer.getStore().list().size());
            client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withName("extra").endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("c:1").endContainer().endSpec().build())
                    .create();
            client.pods().inNamespace("shop").withName("catalog-migrate-7xk2d").delete();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((!added.contains("extra") || !deleted.contains("catalog-migrate-7xk2d")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(added.contains("extra"), added.toString());
            assertTrue(deleted.contains("catalog-migrate-7xk2d"), deleted.toString());
            assertEquals(9, informer.getStore().list().size());
        }
    }

    @Test
    void informerOnOneObjectAndOnAnIstioVersion() throws Exception {
        try (SandboxCluster cluster = SandboxCluster.start()) {
            KubernetesClient client = cluster.client();
            SharedIndexInformer<Pod> one = client.pods().inNamespace("shop").withName("cart-5b7f9d6c8-h4j6k")
                    .inform();
            assertEquals(List.of("cart-5b7f9d6c8-h4j6k"), one.getStore().list().stream()
                    .map(p -> p.getMetadata().getName()).toList());
            client.pods().inNamespace("shop").withName("cart-5b7f9d6c8-h4j6k").edit(p -> new PodBuilder(p)
                    .editMetadata().addToLabels("seen", "yes").endMetadata().build());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !"yes".equals(one.getStore().list().get(0).getMetadata()
                    .getLabels().get("seen"))) {
                Thread.sleep(20);
            }
            assertEquals("yes", one.getStore().list().get(0).getMetadata().getLabels().get("seen"));
            assertEquals(1, one.getStore().list().size());
            var ctx = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                    .withGroup("networking.istio.io").withVersion("v1beta1").withKind("DestinationRule")
                    .withPlural("destinationrules").withNamespaced(true).build();
            var rules = client.genericKubernetesResources(ctx).inAnyNamespace().inform();
            assertEquals(5, rules.getStore().list().size());
        }
    }

    @Test
    void closingWatchesNeitherStallsTheServerNorItsShutdown() throws Exception {
        SandboxCluster cluster = SandboxCluster.start();
        try {
            KubernetesClient client = cluster.client();
            for (int round = 0; round < 5; round++) {
                List<SharedIndexInformer<Pod>> informers = new CopyOnWriteArrayList<>();
                for (String ns : List.of("shop", "payments", "kube-system", "istio-system", "monitoring")) {
                    informers.add(client.pods().inNamespace(ns).inform());
                }
                // changes in flight while the watches close
                client.pods().inNamespace("shop").withName("cart-5b7f9d6c8-h4j6k").edit(p -> new PodBuilder(p)
                        .editMetadata().addToAnnotations("round", "r").endMetadata().build());
                informers.forEach(SharedIndexInformer::close);
                long t0 = System.nanoTime();
                assertEquals(4, client.nodes().list().getItems().size());
                long millis = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(millis < 5_000, "a request after closing watches took " + millis + " ms");
            }
            client.pods().inNamespace("shop").inform();
            client.pods().inNamespace("payments").inform();
        } finally {
            long t0 = System.nanoTime();
            cluster.close();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(millis < 5_000, "close took " + millis + " ms");
        }
    }

    @Test
    void statusSubresourceChangesOnlyTheStatus() {
        try (SandboxCluster cluster = SandboxCluster.start()) {
            KubernetesClient client = cluster.client();
            Pod pod = client.pods().inNamespace("shop").withName("cart-5b7f9d6c8-h4j6k").get();
            Pod changed = new PodBuilder(pod).editMetadata().addToLabels("ignored", "yes").endMetadata()
                    .editStatus().withPhase("Failed").endStatus().build();
            Pod updated = client.pods().inNamespace("shop").resource(changed).updateStatus();
            assertEquals("Failed", updated.getStatus().getPhase());
            Pod read = client.pods().inNamespace("shop").withName("cart-5b7f9d6c8-h4j6k").get();
            assertEquals("Failed", read.getStatus().getPhase());
            assertTrue(!read.getMetadata().getLabels().containsKey("ignored"));
            assertEquals(pod.getMetadata().getUid(), read.getMetadata().getUid());
            assertEquals(pod.getMetadata().getCreationTimestamp(), read.getMetadata().getCreationTimestamp());
            Namespace shop = client.namespaces().withName("shop").get();
            assertEquals("enabled", shop.getMetadata().getLabels().get("istio-injection"));
        }
    }
}
