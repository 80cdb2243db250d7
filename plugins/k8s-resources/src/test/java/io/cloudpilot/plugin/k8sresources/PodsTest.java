package io.cloudpilot.plugin.k8sresources;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /k8s/resources/pods/list|detail} on the sandbox cluster, instant mode.
 */
@CloudPilotTest
class PodsTest {

    private static CloudPilotTestServer server;

    @Test
    void listShowsWhatKubectlShows() {
        ApiResponse r = server.client().get("/k8s/resources/pods/list?page_size=1000");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(28, d.path("total").asInt());
        assertEquals(28, d.path("count").asInt());
        assertTrue(d.path("namespace").isNull());
        JsonNode crash = Items.find(d.path("pods"), "name", "cart-5b7f9d6c8-z9x8c");
        assertEquals("CrashLoopBackOff", crash.path("status").asString());
        assertEquals("Running", crash.path("phase").asString());
        assertEquals(7, crash.path("restart_count").asInt());
        assertEquals("1/2", crash.path("ready").asString());
        assertEquals("worker-2", crash.path("node_name").asString());
        assertEquals("ReplicaSet/cart-5b7f9d6c8", crash.path("owner").asString());
        assertEquals("ImagePullBackOff", Items.find(d.path("pods"), "name", "exporter-69c8d7f5b4-c3v5b").path("status").asString());
        JsonNode ledger = Items.find(d.path("pods"), "name", "ledger-5d6f7c8b9-p2l4k");
        assertEquals("Pending", ledger.path("status").asString());
        assertTrue(ledger.path("node_name").isNull());
        assertEquals("Completed", Items.find(d.path("pods"), "name", "catalog-migrate-7xk2d").path("status").asString());
        assertEquals("Error", Items.find(d.path("pods"), "name", "ledger-reconcile-28871234-b6n8q").path("status").asString());
    }

    @Test
    void aLargePageIsSentWholeWithItsLength() {
        // written as one array with Content-Length, not streamed: Jersey's buffer and Helidon's chunks copied every
        // 8 KiB of a large page into new buffers (decision 0014)
        ApiResponse r = server.client().get("/k8s/resources/pods/list?page_size=1000");
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.raw().length() > 8192, "the page is larger than Jersey's 8 KiB buffer: " + r.raw().length());
        assertEquals(String.valueOf(r.raw().getBytes(java.nio.charset.StandardCharsets.UTF_8).length),
                r.header("Content-Length").orElse("none"));
        assertTrue(r.header("Transfer-Encoding").isEmpty(), r.headers().toString());
    }

    @Test
    void namespaceSelectorsPagingAndSorting() {
        JsonNode shop = server.client().get("/k8s/resources/pods/list?namespace=shop").data();
        assertEquals("shop", shop.path("namespace").asString());
        assertEquals(server.sandbox().client().pods().inNamespace("shop").list().getItems().size(), shop.path("total").asInt());
        assertTrue(Items.strings(shop.path("pods"), "namespace").stream().allMatch("shop"::equals));

        JsonNode cart = server.client().get("/k8s/resources/pods/list?label_selector=app%3Dcart").data();
        assertEquals(List.of("cart-5b7f9d6c8-h4j6k", "cart-5b7f9d6c8-z9x8c"), Items.strings(cart.path("pods"), "name"));
        JsonNode pending = server.client().get("/k8s/resources/pods/list?field_selector=status.phase%3DPending").data();
        assertEquals(List.of("exporter-69c8d7f5b4-c3v5b", "ledger-5d6f7c8b9-p2l4k"),
                Items.strings(pending.path("pods"), "name"), "sorted by namespace/name by default");

        JsonNode last = server.client().get("/k8s/resources/pods/list?page=6&page_size=5").data();
        assertEquals(3, last.path("count").asInt());
        assertEquals(28, last.path("total").asInt());
        JsonNode restarts = server.client().get("/k8s/resources/pods/list?sort_by=restart_count&sort_order=desc&page_size=1").data();
        assertEquals("cart-5b7f9d6c8-z9x8c", restarts.path("pods").path(0).path("name").asString());
    }

    @Test
    void pagingIsServedFromTheCachedList() {
        server.client().get("/k8s/resources/pods/list?namespace=payments&force_refresh=true");
        long before = server.sandbox().requestCount();
        ApiResponse page2 = server.client().get("/k8s/resources/pods/list?namespace=payments&page=2&page_size=2&sort_by=name");
        assertEquals("HIT", page2.header("X-Cache").orElseThrow());
        assertEquals(before, server.sandbox().requestCount());
        assertEquals(2, page2.data().path("count").asInt());
    }

    @Test
    void crashLoopingPodInDetail() {
        ApiResponse r = server.client().get("/k8s/resources/pods/detail?namespace=shop&pod_name=cart-5b7f9d6c8-z9x8c");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        JsonNode cart = Items.find(d.path("containers"), "name", "cart");
        assertEquals("waiting", cart.path("state").asString());
        assertEquals("CrashLoopBackOff", cart.path("reason").asString());
        assertEquals(7, cart.path("restart_count").asInt());
        assertEquals(1, cart.path("last_termination").path("exit_code").asInt());
        assertEquals("Error", cart.path("last_termination").path("reason").asString());
        assertEquals("200m", cart.path("resources").path("requests").path("cpu").asString());
        JsonNode proxy = Items.find(d.path("containers"), "name", "istio-proxy");
        assertEquals("running", proxy.path("state").asString());
        assertTrue(proxy.path("ready").asBoolean());
        JsonNode init = Items.find(d.path("init_containers"), "name", "istio-init");
        assertEquals("terminated", init.path("state").asString());
        assertEquals("Completed", init.path("reason").asString());
        assertEquals(0, init.path("exit_code").asInt());
        assertEquals("Burstable", d.path("qos_class").asString());
        assertEquals("10.0.0.12", d.path("host_ip").asString());
        assertEquals("Ready", d.path("node_status").asString());
        JsonNode finding = Items.find(d.path("health").path("findings"), "code", "CrashLoopBackOff");
        assertEquals("critical", finding.path("severity").asString());
        assertThat(finding.path("message").asString()).as(finding.toString()).contains("7 restarts");
        assertEquals("critical", d.path("health").path("status").asString());
        assertEquals(60, d.path("health").path("score").asInt(), d.path("health").toString());
    }

    @Test
    void pendingAndImagePullProblemsAreExplained() {
        JsonNode ledger = server.client().get("/k8s/resources/pods/detail?namespace=payments&pod_name=ledger-5d6f7c8b9-p2l4k").data();
        JsonNode unschedulable = Items.find(ledger.path("health").path("findings"), "code", "Unschedulable");
        assertThat(unschedulable.path("message").asString()).as(unschedulable.toString()).contains("Insufficient memory");
        assertEquals("False", Items.find(ledger.path("conditions"), "type", "PodScheduled").path("status").asString());

        JsonNode exporter = server.client().get("/k8s/resources/pods/detail?namespace=monitoring&pod_name=exporter-69c8d7f5b4-c3v5b").data();
        assertEquals("ImagePullBackOff", exporter.path("containers").path(0).path("reason").asString());
        assertThat(Items.codes(exporter.path("health"))).as(exporter.path("health").toString()).contains("ImagePullBackOff");

        JsonNode gateway = server.client().get("/k8s/resources/pods/detail?namespace=istio-system&pod_name=istio-ingressgateway-6f9d8c7b5-f5g7h").data();
        JsonNode oom = Items.find(gateway.path("health").path("findings"), "code", "OOMKilled");
        assertEquals("warning", oom.path("severity").asString());
        assertEquals(137, gateway.path("containers").path(0).path("last_termination").path("exit_code").asInt());
        assertEquals(80, gateway.path("health").path("score").asInt(), "OOMKilled 15 and 3 restarts 5: " + gateway.path("health"));
        assertEquals("warning", gateway.path("health").path("status").asString());
        assertEquals(50, ledger.path("health").path("score").asInt(), ledger.path("health").toString());

        JsonNode kubeProxy = server.client().get("/k8s/resources/pods/detail?namespace=kube-system&pod_name=kube-proxy-s5v7w").data();
        assertEquals("NotReady", kubeProxy.path("node_status").asString(), "worker-3's Ready condition is Unknown");
        assertThat(Items.codes(kubeProxy.path("health"))).as(kubeProxy.path("health").toString()).contains("NodeNotReady");

        JsonNode healthy = server.client().get("/k8s/resources/pods/detail?namespace=shop&pod_name=cart-5b7f9d6c8-h4j6k").data();
        assertEquals(100, healthy.path("health").path("score").asInt(), healthy.path("health").toString());
        assertEquals("healthy", healthy.path("health").path("status").asString());
    }

    @Test
    void aMissingPodIsNotCached() {
        String path = "/k8s/resources/pods/detail?namespace=default&pod_name=late-pod";
        assertEquals(404, server.client().get(path).status());
        var pods = server.sandbox().client().pods().inNamespace("default");
        pods.resource(new PodBuilder().withNewMetadata().withName("late-pod").withNamespace("default").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("app").endContainer().endSpec().build()).create();
        try {
            ApiResponse created = server.client().get(path);
            assertEquals(200, created.status(), "the earlier 404 was not cached: " + created);
            assertEquals("late-pod", created.data().path("name").asString());
        } finally {
            pods.withName("late-pod").delete();
        }
    }

    @Test
    void missingAndInvalidPods() {
        ApiResponse missing = server.client().get("/k8s/resources/pods/detail?namespace=shop&pod_name=cart-0");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("NotFound", missing.errorType());
        assertThat(missing.message()).as(missing.message()).contains("cart-0", "shop");
        ApiResponse noNamespace = server.client().get("/k8s/resources/pods/detail?pod_name=cart-0");
        assertEquals(400, noNamespace.status());
        assertThat(noNamespace.message()).as(noNamespace.message()).contains("namespace");
        ApiResponse noName = server.client().get("/k8s/resources/pods/detail?namespace=shop");
        assertEquals(400, noName.status());
        assertThat(noName.message()).as(noName.message()).contains("pod_name");
        ApiResponse order = server.client().get("/k8s/resources/pods/list?sort_order=upwards");
        assertEquals(400, order.status());
        assertThat(order.message()).as(order.message()).contains("sort_order");
        ApiResponse field = server.client().get("/k8s/resources/pods/list?field_selector=spec.colour%3Dred");
        assertEquals(400, field.status(), field.toString());
        ApiResponse ns = server.client().get("/k8s/resources/pods/list?namespace=Shop");
        assertEquals(400, ns.status());
        assertThat(ns.message()).as(ns.message()).contains("namespace");
    }

    @Test
    void sortByAgeDescendingListsTheOldestFirst() {
        List<Pod> pods = server.sandbox().client().pods().inAnyNamespace().list().getItems();
        Comparator<Pod> byCreation = Comparator.comparing(p -> Instant.parse(p.getMetadata().getCreationTimestamp()));
        Instant oldest = pods.stream().min(byCreation).map(p -> Instant.parse(p.getMetadata().getCreationTimestamp()))
                .orElseThrow();
        Instant youngest = pods.stream().max(byCreation).map(p -> Instant.parse(p.getMetadata().getCreationTimestamp()))
                .orElseThrow();
        assertTrue(oldest.isBefore(youngest), "the fixtures have pods of different ages");

        JsonNode desc = server.client().get("/k8s/resources/pods/list?sort_by=age&sort_order=desc&page_size=1000").data();
        List<Instant> created = Items.list(desc.path("pods")).stream()
                .map(p -> Instant.parse(p.path("created_at").asString())).toList();
        assertEquals(oldest, created.getFirst(), "desc by age: the oldest first");
        assertEquals(youngest, created.getLast());
        assertEquals(created.stream().sorted().toList(), created, "oldest to youngest");

        JsonNode asc = server.client().get("/k8s/resources/pods/list?sort_by=age&page_size=1000").data();
        assertEquals(youngest, Instant.parse(asc.path("pods").path(0).path("created_at").asString()),
                "asc by age: the youngest first");
        JsonNode byCreatedAt = server.client().get("/k8s/resources/pods/list?sort_by=created_at&page_size=1").data();
        assertEquals(oldest, Instant.parse(byCreatedAt.path("pods").path(0).path("created_at").asString()),
                "created_at ascending: the earliest creation first");
    }

    @Test
    void aPodWithoutLimitsHasNoLimit() {
        int unlimited = 0;
        for (String[] id : List.of(new String[] {"istio-system", "istiod-5c8b7d9f6-vk7xh"},
                new String[] {"shop", "frontend-7d4b9c8f6-x2k9p"}, new String[] {"monitoring", "prometheus-8d7c6b5f4-n6m8v"},
                new String[] {"shop", "cart-5b7f9d6c8-z9x8c"})) {
            Pod pod = server.sandbox().client().pods().inNamespace(id[0]).withName(id[1]).get();
            List<Container> all = Stream.concat(pod.getSpec().getContainers().stream(),
                    pod.getSpec().getInitContainers() == null ? Stream.empty() : pod.getSpec().getInitContainers().stream())
                    .toList();
            JsonNode totals = server.client().get("/k8s/resources/pods/detail?namespace=" + id[0] + "&pod_name=" + id[1])
                    .data().path("resources");
            for (String resource : List.of("cpu", "memory")) {
                String field = resource.equals("cpu") ? "cpu_limits_cores" : "memory_limits_bytes";
                boolean limited = all.stream().allMatch(c -> c.getResources() != null && c.getResources().getLimits() != null
                        && c.getResources().getLimits().containsKey(resource));
                if (!limited) {
                    unlimited++;
                    assertTrue(totals.path(field).isNull(), id[1] + ": a container without a " + resource + " limit: "
                            + totals);
                } else {
                    assertFalse(totals.path(field).isNull(), id[1] + ": every container is limited: " + totals);
                    assertTrue(totals.path(field).asDouble() > 0, totals.toString());
                }
            }
        }
        assertTrue(unlimited > 0, "the fixtures have a pod without limits (istiod, prometheus)");
    }

    @Test
    void unknownParameterIs400NamingItAndTheAcceptedOnes() {
        ApiResponse typo = server.client().get("/k8s/resources/pods/list?namespce=shop");
        assertEquals(400, typo.status(), typo.toString());
        assertEquals("ValidationError", typo.errorType());
        assertTrue(typo.message().contains("'namespce'") && typo.message().contains("did you mean 'namespace'"),
                typo.message());
        for (String accepted : List.of("cluster_name", "namespace", "label_selector", "field_selector", "page",
                "page_size", "sort_by", "sort_order", "force_refresh")) {
            assertThat(typo.message()).as(accepted + " in " + typo.message()).contains(accepted);
        }
        ApiResponse tail = server.client().get("/k8s/resources/logs/container?namespace=shop"
                + "&pod_name=cart-5b7f9d6c8-z9x8c&container=cart&tail_lines=2");
        assertEquals(400, tail.status(), tail.toString());
        assertThat(tail.message()).as(tail.message()).contains("'tail_lines'", "lines");
        ApiResponse known = server.client().get("/k8s/resources/pods/list?namespace=shop&sort_by=name&page=1");
        assertEquals(200, known.status(), "declared parameters pass: " + known);
    }

    @Test
    void messagesShortenOnlyTheCallersValue() {
        ApiResponse bad = server.client().get("/k8s/resources/pods/detail?namespace=shop&pod_name=Bad_Name");
        assertEquals(400, bad.status(), bad.toString());
        assertEquals("Query parameter 'pod_name' is not a valid Kubernetes object name: use at most 253 lower-case "
                + "letters, digits, '-' and '.'.", bad.message());
        String longValue = "x".repeat(300);
        ApiResponse sort = server.client().get("/k8s/resources/pods/list?sort_by=" + longValue);
        assertEquals(400, sort.status(), sort.toString());
        assertEquals("Query parameter 'sort_by' cannot be '" + "x".repeat(40) + "…' (300 characters): sort by one of "
                + "[age, created_at, name, namespace, node_name, phase, pod_ip, restart_count, status].", sort.message());
    }
}
