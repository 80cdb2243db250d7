package io.cloudpilot.plugin.k8sresources;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /k8s/resources/logs/pod|container} on the sandbox cluster, instant mode.
 */
@CloudPilotTest
class LogsTest {

    private static final String CART = "namespace=shop&pod_name=cart-5b7f9d6c8-z9x8c";

    private static CloudPilotTestServer server;

    @Test
    void tailReturnsTheLastLines() {
        JsonNode five = server.client().get("/k8s/resources/logs/container?" + CART + "&container=cart&previous=true&lines=5").data();
        JsonNode all = server.client().get("/k8s/resources/logs/container?" + CART + "&container=cart&previous=true&lines=10000").data();
        List<String> last5 = Items.texts(five.path("containers").path(0).path("lines"));
        List<String> whole = Items.texts(all.path("containers").path(0).path("lines"));
        assertEquals(5, last5.size());
        assertTrue(whole.size() > 5, "the crashed instance logged its stack trace: " + whole);
        assertEquals(whole.subList(whole.size() - 5, whole.size()), last5,
                "the previous instance's log is fixed: a tail of 5 is its end");
        assertEquals(5, five.path("total_lines").asInt());
    }

    @Test
    void defaultIsOneHundredLines() {
        JsonNode d = server.client().get("/k8s/resources/logs/pod?namespace=istio-system&pod_name=istiod-5c8b7d9f6-vk7xh").data();
        assertEquals(100, d.path("lines").asInt());
        JsonNode block = d.path("containers").path(0);
        assertEquals("discovery", block.path("container").asString());
        assertEquals(100, block.path("line_count").asInt());
        assertEquals(100, block.path("lines").size());
    }

    @Test
    void sinceSecondsAndTimestamps() {
        Instant asked = Instant.now();
        JsonNode recent = server.client().get("/k8s/resources/logs/container?namespace=istio-system"
                + "&pod_name=istiod-5c8b7d9f6-vk7xh&container=discovery&since_seconds=60&timestamps=true&lines=10000").data();
        JsonNode hour = server.client().get("/k8s/resources/logs/container?namespace=istio-system"
                + "&pod_name=istiod-5c8b7d9f6-vk7xh&container=discovery&since_seconds=3600&timestamps=true&lines=10000").data();
        List<String> lines = Items.texts(recent.path("containers").path(0).path("lines"));
        assertFalse(lines.isEmpty(), "istiod logs every few seconds");
        for (String line : lines) {
            Instant at = OffsetDateTime.parse(line.substring(0, line.indexOf(' '))).toInstant();
            assertTrue(!at.isBefore(asked.minusSeconds(65)), "line older than since_seconds: " + line);
        }
        assertTrue(hour.path("total_lines").asInt() > lines.size(), "an hour holds more lines than a minute");
    }

    @Test
    void previousInstanceShowsTheCrash() {
        JsonNode d = server.client().get("/k8s/resources/logs/pod?" + CART + "&previous=true&lines=200").data();
        assertEquals(List.of("cart"), Items.strings(d.path("containers"), "container"),
                "the pod's default-container annotation chooses cart");
        String text = String.join("\n", Items.texts(d.path("containers").path(0).path("lines")));
        assertThat(text).as(text).contains("UnknownHostException: cart-redis.shop.svc.cluster.local");
        assertTrue(d.path("error_count").asInt() > 0, d.toString());
    }

    @Test
    void defaultContainerAnnotationChoosesTheBlock() {
        JsonNode d = server.client().get("/k8s/resources/logs/pod?namespace=payments&pod_name=payments-api-7f8c9d6b4-r7t2v&lines=10").data();
        assertEquals(List.of("payments-api"), Items.strings(d.path("containers"), "container"));
        JsonNode proxy = server.client().get("/k8s/resources/logs/pod?namespace=payments&pod_name=payments-api-7f8c9d6b4-r7t2v"
                + "&container=istio-proxy&lines=10").data();
        assertEquals(List.of("istio-proxy"), Items.strings(proxy.path("containers"), "container"));
        assertEquals(10, proxy.path("total_lines").asInt());
    }

    @Test
    void multiContainerPodGivesOneBlockPerContainerWithCounts() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("two-containers").withNamespace("default")
                .addToAnnotations("sandbox.cloudpilot.io/log-web", "GET / 200\nERROR upstream connect failed\nGET /health 200")
                .addToAnnotations("sandbox.cloudpilot.io/log-helper", "WARN cache is cold\nsynced")
                .endMetadata()
                .withNewSpec().withNodeName("worker-1")
                .addNewContainer().withName("web").withImage("nginx").endContainer()
                .addNewContainer().withName("helper").withImage("busybox").endContainer()
                .endSpec()
                .withNewStatus().withPhase("Running")
                .addNewContainerStatus().withName("web").withReady(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState().endContainerStatus()
                .addNewContainerStatus().withName("helper").withReady(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState().endContainerStatus()
                .endStatus()
                .build();
        server.sandbox().client().pods().inNamespace("default").resource(pod).create();
        JsonNode d = server.client().get("/k8s/resources/logs/pod?namespace=default&pod_name=two-containers").data();
        assertEquals(List.of("web", "helper"), Items.strings(d.path("containers"), "container"));
        JsonNode web = d.path("containers").path(0);
        assertEquals(List.of("GET / 200", "ERROR upstream connect failed", "GET /health 200"), Items.texts(web.path("lines")));
        assertEquals(1, web.path("error_count").asInt());
        assertEquals(0, web.path("warning_count").asInt());
        assertEquals(1, d.path("containers").path(1).path("warning_count").asInt());
        assertEquals(5, d.path("total_lines").asInt());
        assertEquals(1, d.path("error_count").asInt());
        assertEquals(1, d.path("warning_count").asInt());
    }

    @Test
    void containersWithoutALogSayWhy() {
        JsonNode exporter = server.client().get("/k8s/resources/logs/pod?namespace=monitoring&pod_name=exporter-69c8d7f5b4-c3v5b").data();
        assertThat(exporter.path("containers").path(0).path("unavailable").asString()).as(exporter.toString()).contains("ImagePullBackOff");
        JsonNode ledger = server.client().get("/k8s/resources/logs/pod?namespace=payments&pod_name=ledger-5d6f7c8b9-p2l4k").data();
        assertThat(ledger.path("containers").path(0).path("unavailable").asString()).as(ledger.toString()).contains("not scheduled");
        ApiResponse onDeadNode = server.client().get("/k8s/resources/logs/pod?namespace=kube-system&pod_name=kube-proxy-s5v7w");
        assertEquals(200, onDeadNode.status(), onDeadNode.toString());
        assertThat(onDeadNode.data().path("containers").path(0).path("unavailable").asString()).contains("worker-3");
        JsonNode noPrevious = server.client().get("/k8s/resources/logs/container?namespace=shop&pod_name=cart-5b7f9d6c8-h4j6k&container=cart&previous=true").data();
        assertThat(noPrevious.path("containers").path(0).path("unavailable").asString()).as(noPrevious.toString()).contains("no previous");
    }

    @Test
    void badContainerAndParameters() {
        ApiResponse unknown = server.client().get("/k8s/resources/logs/container?" + CART + "&container=redis");
        assertEquals(400, unknown.status(), unknown.toString());
        assertTrue(unknown.message().contains("container") && unknown.message().contains("istio-proxy")
                && unknown.message().contains("istio-init"), unknown.message());
        ApiResponse missing = server.client().get("/k8s/resources/logs/container?" + CART);
        assertEquals(400, missing.status());
        assertThat(missing.message()).as(missing.message()).contains("container");
        ApiResponse alias = server.client().get("/k8s/resources/logs/container?" + CART + "&container_name=istio-proxy&lines=3");
        assertEquals(200, alias.status(), alias.toString());
        assertEquals(3, alias.data().path("total_lines").asInt());
        ApiResponse tooMany = server.client().get("/k8s/resources/logs/pod?" + CART + "&lines=10001");
        assertEquals(400, tooMany.status());
        assertThat(tooMany.message()).as(tooMany.message()).contains("lines");
        ApiResponse since = server.client().get("/k8s/resources/logs/pod?" + CART + "&since_seconds=0");
        assertEquals(400, since.status());
        assertThat(since.message()).as(since.message()).contains("since_seconds");
        ApiResponse previous = server.client().get("/k8s/resources/logs/pod?" + CART + "&previous=yes");
        assertEquals(400, previous.status());
        ApiResponse noPod = server.client().get("/k8s/resources/logs/pod?namespace=shop&pod_name=cart-0");
        assertEquals(404, noPod.status(), noPod.toString());
        assertThat(noPod.message()).as(noPod.message()).contains("cart-0");
    }

    @Test
    void logsAreReadLiveNotFromTheCache() throws Exception {
        String upstream = "/api/v1/namespaces/istio-system/pods/istiod-5c8b7d9f6-vk7xh/log";
        String tail = "/k8s/resources/logs/container?namespace=istio-system&pod_name=istiod-5c8b7d9f6-vk7xh"
                + "&container=discovery&lines=7";
        long before = server.sandbox().requestCount("GET", upstream);
        ApiResponse first = server.client().get(tail);
        Thread.sleep(1500); // longer than the burst window (cache.ttl.log), far shorter than the 30 s of other reads
        ApiResponse second = server.client().get(tail);
        assertEquals(200, second.status(), second.toString());
        assertEquals("MISS", first.header("X-Cache").orElseThrow());
        assertEquals("MISS", second.header("X-Cache").orElseThrow(), "a log tail a moment later is read again");
        assertEquals(before + 2, server.sandbox().requestCount("GET", upstream), "each tail read the kubelet's log");
    }
}
