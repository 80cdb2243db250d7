package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** List queries: field and label selectors, ordering, paging, and the versions a group is served at. */
class QueryTest {

    private static SandboxCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.start();
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void fieldSelectorSpecNodeName() {
        List<String> names = names(client.pods().inAnyNamespace().withField("spec.nodeName", "control-plane-1").list()
                .getItems());
        assertEquals(List.of("coredns-7db6d8ff4d-4xk2p", "etcd-control-plane-1", "kube-apiserver-control-plane-1",
                "kube-controller-manager-control-plane-1", "kube-proxy-8xbzq", "kube-scheduler-control-plane-1"), names);
        assertEquals(List.of("kube-proxy-s5v7w"), names(client.pods().inAnyNamespace()
                .withField("spec.nodeName", "worker-3").list().getItems()));
        assertEquals(List.of("ledger-5d6f7c8b9-p2l4k"), names(client.pods().inAnyNamespace()
                .withField("spec.nodeName", "").list().getItems()));
    }

    @Test
    void fieldSelectorStatusPhaseAndNegation() {
        assertEquals(List.of("exporter-69c8d7f5b4-c3v5b", "ledger-5d6f7c8b9-p2l4k"), names(client.pods().inAnyNamespace()
                .withField("status.phase", "Pending").list().getItems()));
        assertEquals(4, client.pods().inAnyNamespace().withoutField("status.phase", "Running").list().getItems().size());
        assertEquals(List.of("catalog-migrate-7xk2d"), names(client.pods().inNamespace("shop")
                .withField("status.phase", "Succeeded").list().getItems()));
        // comma-AND of several requirements, with == and !=
        PodList list = client.pods().inAnyNamespace().withFields(Map.of("spec.nodeName", "worker-2")).withoutField(
                "metadata.namespace", "shop").list();
        assertEquals(List.of("istio-ingressgateway-6f9d8c7b5-f5g7h", "kube-proxy-p9r2t",
                "prometheus-8d7c6b5f4-n6m8v", "payments-api-7f8c9d6b4-w3e5q"), names(list.getItems()));
        Map<String, Object> raw = Http.json(Http.get(cluster,
                "/api/v1/pods?fieldSelector=status.phase%3D%3DRunning,spec.nodeName%3Dworker-2,metadata.namespace%3Dshop"));
        assertEquals(4, ((List<?>) raw.get("items")).size());
    }

    @Test
    void fieldSelectorOnEvents() {
        var events = client.v1().events().inNamespace("shop").withField("involvedObject.name", "cart-5b7f9d6c8-z9x8c")
                .list().getItems();
        assertEquals(5, events.size());
        assertTrue(events.stream().allMatch(e -> e.getInvolvedObject().getName().equals("cart-5b7f9d6c8-z9x8c")));
        assertEquals(2, client.v1().events().inAnyNamespace().withField("involvedObject.kind", "Node")
                .withField("involvedObject.name", "worker-3").list().getItems().size());
        String podUid = client.pods().inNamespace("monitoring").withName("exporter-69c8d7f5b4-c3v5b").get()
                .getMetadata().getUid();
        assertEquals(6, client.v1().events().inNamespace("monitoring").withField("involvedObject.uid", podUid).list()
                .getItems().size());
        assertTrue(client.v1().events().inAnyNamespace().withField("type", "Warning").list().getItems().stream()
                .allMatch(e -> e.getType().equals("Warning")));
        assertEquals(3, client.v1().events().inAnyNamespace().withField("involvedObject.namespace", "istio-system")
                .withField("involvedObject.kind", "Pod").list().getItems().size());
    }

    @Test
    void unsupportedFieldIsRejectedLikeARealApiServer() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.pods().inAnyNamespace()
                .withField("spec.containers", "x").list());
        assertEquals(400, e.getCode());
        assertTrue(e.getMessage().contains("field label not supported: spec.containers"), e.getMessage());
    }

    @Test
    void setBasedLabelSelectors() {
        assertEquals(6, client.pods().inNamespace("shop").withLabelIn("app", "frontend", "cart").list().getItems().size());
        assertEquals(List.of("catalog-6c9f8b7d5-b2n4m", "catalog-6c9f8b7d5-l5k3j", "catalog-migrate-7xk2d"),
                names(client.pods().inNamespace("shop").withLabelNotIn("app", "frontend", "cart").list().getItems()));
        assertEquals(List.of("frontend-v2-6b8d5f7c9-q7r2s"), names(client.pods().inNamespace("shop")
                .withLabel("app", "frontend").withLabel("version", "v2").list().getItems()));
        assertEquals(3, client.pods().inNamespace("shop").withLabel("app", "frontend").withLabelNotIn("version", "v2")
                .list().getItems().size());
        assertEquals(1, client.pods().inNamespace("shop").withoutLabel("security.istio.io/tlsMode").withLabel("app",
                "catalog").list().getItems().size());
    }

    @Test
    void listsAreSortedAndTyped() {
        Map<String, Object> list = Http.json(Http.get(cluster, "/api/v1/namespaces/shop/pods"));
        assertEquals("PodList", list.get("kind"));
        assertEquals("v1", list.get("apiVersion"));
        assertNotNull(((Map<?, ?>) list.get("metadata")).get("resourceVersion"));
        List<String> names = names(client.pods().inAnyNamespace().list().getItems());
        List<String> keys = client.pods().inAnyNamespace().list().getItems().stream()
                .map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName()).toList();
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        assertEquals(sorted, keys);
        assertEquals(28, names.size());
        assertEquals("DeploymentList", Http.json(Http.get(cluster, "/apis/apps/v1/deployments")).get("kind"));
    }

    @Test
    void pagingWithLimitAndContinue() {
        PodList first = client.pods().inAnyNamespace().list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                .withLimit(10L).build());
        assertEquals(10, first.getItems().size());
        assertNotNull(first.getMetadata().getContinue());
        assertEquals(18L, first.getMetadata().getRemainingItemCount());
        List<Pod> all = new ArrayList<>(first.getItems());
        String token = first.getMetadata().getContinue();
        while (token != null) {
            PodList page = client.pods().inAnyNamespace().list(new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                    .withLimit(10L).withContinue(token).build());
            all.addAll(page.getItems());
            token = page.getMetadata().getContinue();
        }
        assertEquals(names(client.pods().inAnyNamespace().list().getItems()), names(all));
        HttpResponse<String> bad = Http.get(cluster, "/api/v1/pods?limit=5&continue=garbage");
        assertEquals(400, bad.statusCode());
    }

    @Test
    void istioObjectsAtEveryVersion() {
        for (String version : List.of("v1", "v1beta1", "v1alpha3")) {
            ResourceDefinitionContext ctx = new ResourceDefinitionContext.Builder().withGroup("networking.istio.io")
                    .withVersion(version).withKind("VirtualService").withPlural("virtualservices").withNamespaced(true)
                    .build();
            List<GenericKubernetesResource> items = client.genericKubernetesResources(ctx).inNamespace("shop").list()
                    .getItems();
            assertEquals(List.of("cart", "frontend", "ghost"), names(items), version);
            assertTrue(items.stream().allMatch(i -> i.getApiVersion().equals("networking.istio.io/" + version)));
            GenericKubernetesResource one = client.genericKubernetesResources(ctx).inNamespace("shop").withName("cart")
                    .get();
            assertEquals("networking.istio.io/" + version, one.getApiVersion());
        }
        Map<String, Object> raw = Http.json(Http.get(cluster,
                "/apis/networking.istio.io/v1beta1/namespaces/istio-system/gateways/shop-gateway"));
        assertEquals("networking.istio.io/v1beta1", raw.get("apiVersion"));
        assertEquals("Gateway", raw.get("kind"));
        assertEquals("GatewayList", Http.json(Http.get(cluster, "/apis/networking.istio.io/v1alpha3/gateways"))
                .get("kind"));
        // a typed lookup that needs discovery, as the product does it
        assertEquals(5, client.genericKubernetesResources("networking.istio.io/v1", "Gateway").inAnyNamespace().list()
                .getItems().size());
    }

    @Test
    void eventsK8sIoServesTheCoreEvents() {
        List<Event> events = client.events().v1().events().inNamespace("payments").list().getItems();
        assertEquals(client.v1().events().inNamespace("payments").list().getItems().size(), events.size());
        Event scheduling = events.stream().filter(e -> e.getReason().equals("FailedScheduling")).findFirst().orElseThrow();
        assertEquals("ledger-5d6f7c8b9-p2l4k", scheduling.getRegarding().getName());
        assertEquals("default-scheduler", scheduling.getReportingController());
        assertEquals(11, scheduling.getSeries().getCount());
        assertTrue(scheduling.getNote().startsWith("0/4 nodes are available"));
        assertNotNull(scheduling.getEventTime());
        Event kubelet = client.events().v1().events().inNamespace("shop").withField("regarding.name",
                "cart-5b7f9d6c8-z9x8c").list().getItems().stream().filter(e -> e.getReason().equals("BackOff"))
                .findFirst().orElseThrow();
        assertEquals(152, kubelet.getDeprecatedCount());
        assertEquals("kubelet", kubelet.getReportingController());
        assertNotNull(kubelet.getEventTime());
    }

    @Test
    void unknownObjectIsAStatus404() {
        assertNull(client.pods().inNamespace("shop").withName("nope").get());
        HttpResponse<String> r = Http.get(cluster, "/api/v1/namespaces/shop/pods/nope");
        assertEquals(404, r.statusCode());
        Map<String, Object> status = Http.json(r);
        assertEquals("Status", status.get("kind"));
        assertEquals("pods \"nope\" not found", status.get("message"));
        assertEquals("NotFound", status.get("reason"));
        Map<String, Object> apps = Http.json(Http.get(cluster, "/apis/apps/v1/namespaces/shop/deployments/nope"));
        assertEquals("deployments.apps \"nope\" not found", apps.get("message"));
    }

    static <T extends HasMetadata> List<String> names(List<T> items) {
        return items.stream().map(i -> i.getMetadata().getName()).toList();
    }
}
