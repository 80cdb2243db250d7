package io.cloudpilot.platform.cache;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.cloudpilot.platform.cluster.ClusterGuards;
import io.cloudpilot.platform.cluster.KubeClusterContext;
import io.cloudpilot.platform.registry.MockCluster;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lists read by the cache itself ({@link CompactLists}) against a Kubernetes API over HTTP: what views read is kept
 * with the values the cluster sent, what none reads is never built, equal values are shared, the list is read-only,
 * and failures come out as fabric8's do. The expected values are the objects this test created.
 */
class CompactListsTest {

    private static final String TOKEN = "compact-lists-token";
    private static MockCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = MockCluster.start(TOKEN, "v1.33.0");
        client = client(TOKEN);
        for (String name : List.of("cart-1", "cart-2", "cart-3")) {
            client.pods().inNamespace("shop").resource(pod("shop", name, "cart", "10.0.0." + name.charAt(5)))
                    .create();
        }
        client.pods().inNamespace("payments").resource(pod("payments", "ledger-1", "ledger", "10.0.1.1")).create();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KubernetesClient client(String token) {
        return cluster.client(token);
    }

    /** A pod as a controller writes it: env, probes, volumes, managed fields, the last-applied annotation. */
    private static Pod pod(String namespace, String name, String app, String ip) {
        return new PodBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name)
                .addToLabels("app", app).addToLabels("pod-template-hash", "5b7f9d6c8")
                .addToAnnotations(LeanObjects.LAST_APPLIED, "{\"kind\":\"Pod\",\"spec\":{\"containers\":[]}}")
                .addToAnnotations("sidecar.istio.io/status", "{\"containers\":[\"istio-proxy\"]}")
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(app + "-5b7f9d6c8")
                .withUid("uid-" + app).withController(true).endOwnerReference()
                .addNewManagedField().withManager("kube-controller-manager").withOperation("Update").endManagedField()
                .endMetadata()
                .withNewSpec().withNodeName("worker-1").withServiceAccountName("default")
                .addNewContainer().withName(app).withImage("ghcr.io/acme/" + app + ":1.2.3")
                .addNewEnv().withName("LOG_LEVEL").withValue("info").endEnv()
                .addNewPort().withContainerPort(8080).withName("http").withProtocol("TCP").endPort()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(8080).endHttpGet()
                .endReadinessProbe()
                .withNewResources().addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("memory", new Quantity("256Mi")).endResources()
                .endContainer()
                .addNewVolume().withName("config").withNewConfigMap().withName(app + "-config").endConfigMap().endVolume()
                .endSpec()
                .withNewStatus().withPhase("Running").withPodIP(ip).withQosClass("Burstable")
                .addNewCondition().withType("Ready").withStatus("True").withLastProbeTime("2026-01-01T00:00:00Z")
                .endCondition()
                .addNewContainerStatus().withName(app).withReady(true).withRestartCount(2)
                .withContainerID("containerd://0123456789abcdef").withImageID("ghcr.io/acme/" + app + "@sha256:9f8e")
                .withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState()
                .endContainerStatus()
                .endStatus()
                .build();
    }

    private static Function<String, ClusterContext> context(KubernetesClient c) {
        return name -> new KubeClusterContext(name, c);
    }

    private static List<Pod> pods(String namespace, String labelSelector) {
        CompactLists lists = new CompactLists(context(client));
        return lists.<Pod>read(client, CompactLists.Kind.PODS, namespace, labelSelector, "", null).items();
    }

    @Test
    void keepsWhatViewsReadWithTheClustersValues() {
        List<Pod> pods = pods("", "");
        assertEquals(Set.of("ledger-1", "cart-1", "cart-2", "cart-3"),
                pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()));
        Pod cart = pods.stream().filter(p -> p.getMetadata().getName().equals("cart-2")).findFirst().orElseThrow();
        assertEquals("shop", cart.getMetadata().getNamespace());
        assertEquals(Map.of("app", "cart", "pod-template-hash", "5b7f9d6c8"), cart.getMetadata().getLabels());
        assertEquals("ReplicaSet", cart.getMetadata().getOwnerReferences().getFirst().getKind());
        assertEquals("{\"containers\":[\"istio-proxy\"]}",
                cart.getMetadata().getAnnotations().get("sidecar.istio.io/status"));
        assertEquals("worker-1", cart.getSpec().getNodeName());
        Container c = cart.getSpec().getContainers().getFirst();
        assertEquals("ghcr.io/acme/cart:1.2.3", c.getImage());
        assertEquals(new Quantity("100m"), c.getResources().getRequests().get("cpu"));
        assertEquals("256Mi", c.getResources().getLimits().get("memory").toString());
        assertEquals(8080, c.getPorts().getFirst().getContainerPort());
        assertEquals("Running", cart.getStatus().getPhase());
        assertEquals("10.0.0.2", cart.getStatus().getPodIP());
        assertEquals("Ready", cart.getStatus().getConditions().getFirst().getType());
        assertEquals(2, cart.getStatus().getContainerStatuses().getFirst().getRestartCount());
        assertEquals("2026-01-01T00:00:00Z",
                cart.getStatus().getContainerStatuses().getFirst().getState().getRunning().getStartedAt());
    }

    @Test
    void dropsWhatNoViewReads() {
        Pod cart = pods("shop", "").getFirst();
        assertFalse(cart.getMetadata().getAnnotations().containsKey(LeanObjects.LAST_APPLIED));
        assertTrue(cart.getMetadata().getManagedFields() == null || cart.getMetadata().getManagedFields().isEmpty());
        Container c = cart.getSpec().getContainers().getFirst();
        assertTrue(c.getEnv().isEmpty(), "env");
        assertNull(c.getReadinessProbe(), "probes");
        assertTrue(cart.getSpec().getVolumes().isEmpty(), "volumes");
        assertNull(cart.getStatus().getContainerStatuses().getFirst().getContainerID());
        assertNull(cart.getStatus().getConditions().getFirst().getLastProbeTime());
        assertTrue(cart.getAdditionalProperties().isEmpty());
        assertTrue(c.getAdditionalProperties().isEmpty());
    }

    @Test
    void equalValuesAreOneInstanceAndTheListIsReadOnly() {
        List<Pod> shop = pods("shop", "");
        assertEquals(3, shop.size());
        Pod a = shop.get(0);
        Pod b = shop.get(1);
        assertSame(a.getMetadata().getLabels(), b.getMetadata().getLabels(), "labels of one ReplicaSet");
        assertSame(a.getMetadata().getNamespace(), b.getMetadata().getNamespace());
        assertSame(a.getSpec().getContainers().getFirst().getImage(), b.getSpec().getContainers().getFirst().getImage());
        assertSame(a.getSpec().getContainers().getFirst().getResources().getRequests(),
                b.getSpec().getContainers().getFirst().getResources().getRequests());
        assertThrows(UnsupportedOperationException.class, () -> shop.add(a));
        assertThrows(UnsupportedOperationException.class, () -> a.getMetadata().getLabels().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> a.getSpec().getContainers().add(new Container()));
    }

    @Test
    void namespaceAndSelectorsGoToTheCluster() {
        assertEquals(List.of("ledger-1"), pods("payments", "").stream().map(p -> p.getMetadata().getName()).toList());
        assertEquals(List.of("ledger-1"), pods("", "app=ledger").stream().map(p -> p.getMetadata().getName()).toList());
    }

    @Test
    void aRefusedListFailsAsFabric8Fails() {
        try (KubernetesClient wrong = client("not-the-token")) {
            CompactLists lists = new CompactLists(context(wrong));
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> lists.read(wrong, CompactLists.Kind.PODS, "", "", "", null));
            assertEquals(401, e.getCode());
        }
    }

    @Test
    void theCacheReadsListsOfCompactKindsItselfAndObjectsThroughThePlugin() {
        CaffeineResourceCache.Settings settings = new CaffeineResourceCache.Settings(Duration.ofSeconds(30), Map.of(),
                Duration.ZERO, 100, Duration.ofSeconds(5), true);
        ClusterGuards guards = new ClusterGuards(new ClusterGuards.Settings(Duration.ofSeconds(20), 4, 4, 6, 50,
                Duration.ofSeconds(10), 1));
        CaffeineResourceCache cache = new CaffeineResourceCache(settings, guards, context(client));
        AtomicInteger pluginLoads = new AtomicInteger();
        List<Pod> list = cache.get(CacheKey.list("test", CacheKind.PODS, "shop"), false, () -> {
            pluginLoads.incrementAndGet();
            return client.pods().inNamespace("shop").list().getItems();
        });
        assertEquals(3, list.size());
        assertEquals(0, pluginLoads.get(), "lists of pods are read by the platform");
        assertTrue(list.getFirst().getSpec().getContainers().getFirst().getEnv().isEmpty(), "compact");
        Pod full = cache.get(CacheKey.object("test", CacheKind.PODS, "shop", "cart-1"), false, () -> {
            pluginLoads.incrementAndGet();
            return client.pods().inNamespace("shop").withName("cart-1").get();
        });
        assertEquals(1, pluginLoads.get(), "an object is read by the plugin's loader");
        assertEquals("LOG_LEVEL", full.getSpec().getContainers().getFirst().getEnv().getFirst().getName(), "full");
        assertEquals(Duration.ofSeconds(5), settings.ttl(CacheKey.object("test", CacheKind.PODS, "shop", "cart-1")));
        assertEquals(Duration.ofSeconds(30), settings.ttl(CacheKey.list("test", CacheKind.PODS, "shop")));
        assertEquals(Duration.ofSeconds(30), settings.ttl(CacheKey.object("test", CacheKind.CONFIGMAPS, "shop", "x")));
        try (KubernetesClient wrong = client("not-the-token")) {
            ApiException refused = assertThrows(ApiException.class, () -> new CaffeineResourceCache(settings, guards,
                    context(wrong)).get(CacheKey.list("test", CacheKind.PODS, ""), false, List::of));
            assertEquals("Forbidden", refused.errorType(), "the cluster's 401, mapped as for any read");
        }
    }
}
