package io.cloudpilot.plugin.istioworkloads;

import java.time.Instant;
import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /istio/workloads/{istiod,gateway}/logs} in instant mode, on the sandbox cluster.
 */
@CloudPilotTest(config = {
        "cache.stale-max-age=PT0S",
        "cluster.retries=0",
        "cluster.circuit.volume=1000" // the outage test must not open the circuit for the others
})
class WorkloadLogsTest {

    private static CloudPilotTestServer server;

    @Test
    void istiodLogsDefaultToTheLast100LinesWithParsedLevels() {
        ApiResponse r = server.client().get("/istio/workloads/istiod/logs");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(100, d.path("lines").asInt());
        assertEquals(1, d.path("blocks").size());
        JsonNode block = d.path("blocks").path(0);
        assertEquals("istiod-5c8b7d9f6-vk7xh", block.path("pod_name").asString());
        assertEquals("discovery", block.path("container_name").asString());
        assertEquals(100, block.path("total_lines").asInt());
        assertEquals(100, block.path("entries").size());
        List<JsonNode> entries = Json.list(block.path("entries"));
        assertTrue(entries.stream().allMatch(e -> e.path("format").asString().equals("istio")), "istiod writes Istio's format");
        // the level is the Istio field, not a guess from words in the message
        for (JsonNode e : entries) {
            String field = e.path("message").asString().split("\t")[1];
            assertEquals(field.equals("warn") ? "warning" : field, e.path("level").asString(), e.toString());
        }
        long errors = entries.stream().filter(e -> e.path("level").asString().equals("error")).count();
        long warnings = entries.stream().filter(e -> e.path("level").asString().equals("warning")).count();
        assertEquals(errors, block.path("error_count").asLong());
        assertEquals(warnings, block.path("warning_count").asLong());
        assertEquals(errors, d.path("error_count").asLong());
        assertTrue(errors + warnings > 0, "the sandbox's istiod log has warn/error lines in its last 100");
        assertEquals("ads", entries.stream().filter(e -> e.path("message").asString().contains("\tads\t")).findFirst()
                .orElseThrow().path("scope").asString());
    }

    @Test
    void gatewayLogsHaveOneBlockPerPod() {
        ApiResponse r = server.client().get("/istio/workloads/gateway/logs?lines=7");
        assertEquals(200, r.status(), r.toString());
        assertEquals(List.of("istio-ingressgateway-6f9d8c7b5-f5g7h", "istio-ingressgateway-6f9d8c7b5-q4w6z"),
                Json.strings(r.data().path("blocks"), "pod_name"));
        for (JsonNode b : r.data().path("blocks")) {
            assertEquals("istio-proxy", b.path("container_name").asString());
            assertEquals(7, b.path("entries").size());
        }
        assertEquals(14, r.data().path("total_lines").asInt());
    }

    @Test
    void linesAreATailAndPartOfTheCacheKey() {
        ApiResponse three = server.client().get("/istio/workloads/istiod/logs?lines=3");
        ApiResponse ten = server.client().get("/istio/workloads/istiod/logs?lines=10");
        assertEquals(3, three.data().path("total_lines").asInt());
        assertEquals(10, ten.data().path("total_lines").asInt());
        List<String> lastThree = Json.strings(three.data().path("blocks").path(0).path("entries"), "message");
        List<String> lastTen = Json.strings(ten.data().path("blocks").path(0).path("entries"), "message");
        assertEquals(lastThree, lastTen.subList(7, 10), "the last lines, oldest first");
    }

    @Test
    void sinceSecondsKeepsOnlyRecentLines() {
        Instant before = Instant.now().minusSeconds(60 + 5);
        ApiResponse r = server.client().get("/istio/workloads/istiod/logs?since_seconds=60&lines=10000");
        assertEquals(200, r.status(), r.toString());
        List<JsonNode> entries = Json.list(r.data().path("blocks").path(0).path("entries"));
        assertFalse(entries.isEmpty(), "istiod writes every few seconds");
        assertTrue(entries.size() < 100, "a minute of log, not the whole file: " + entries.size());
        for (JsonNode e : entries) {
            assertTrue(Instant.parse(e.path("timestamp").asString()).isAfter(before), e.toString());
        }
        assertEquals(60, r.data().path("since_seconds").asInt());
    }

    @Test
    void previousReadsTheOomKilledInstanceAndNamesPodsWithoutOne() {
        ApiResponse r = server.client().get("/istio/workloads/gateway/logs?previous=true&lines=20");
        assertEquals(200, r.status(), r.toString());
        JsonNode killed = Json.find(r.data().path("blocks"), "pod_name", "istio-ingressgateway-6f9d8c7b5-f5g7h");
        assertTrue(killed.path("error").isNull(), killed.toString());
        List<String> lines = Json.strings(killed.path("entries"), "message");
        assertThat(lines.getLast()).as(lines.getLast()).contains("Envoy exited with error: signal: killed");
        assertTrue(killed.path("error_count").asInt() >= 1);
        JsonNode never = Json.find(r.data().path("blocks"), "pod_name", "istio-ingressgateway-6f9d8c7b5-q4w6z");
        assertEquals("ValidationError", never.path("error").path("error_type").asString());
        assertThat(never.path("error").path("message").asString()).as(never.toString()).contains("previous terminated container");
    }

    @Test
    void timestampsAreParsedFromTheKubeletPrefix() {
        ApiResponse r = server.client().get("/istio/workloads/istiod/logs?timestamps=true&lines=5");
        assertEquals(200, r.status(), r.toString());
        for (JsonNode e : r.data().path("blocks").path(0).path("entries")) {
            assertNotNull(Instant.parse(e.path("timestamp").asString()));
            assertEquals("istio", e.path("format").asString(), e.toString());
        }
    }

    @Test
    void badInputIs400NamingTheParameter() {
        ApiResponse container = server.client().get("/istio/workloads/istiod/logs?container=sidecar");
        assertEquals(400, container.status(), container.toString());
        assertTrue(container.message().contains("'container'") && container.message().contains("discovery"),
                container.message());
        ApiResponse lines = server.client().get("/istio/workloads/gateway/logs?lines=0");
        assertEquals(400, lines.status(), lines.toString());
        assertThat(lines.message()).as(lines.message()).contains("lines");
        ApiResponse since = server.client().get("/istio/workloads/gateway/logs?since_seconds=-5");
        assertEquals(400, since.status(), since.toString());
        assertThat(since.message()).as(since.message()).contains("since_seconds");
    }

    @Test
    void unreachableClusterIs503NeverEmptyLogs() {
        server.sandbox().setFailing(true);
        try {
            for (String path : List.of("/istio/workloads/gateway/logs?force_refresh=true",
                    "/istio/workloads/istiod/detail?force_refresh=true", "/istio/workloads/gateway/events?force_refresh=true")) {
                ApiResponse r = server.client().get(path);
                assertEquals(503, r.status(), path + " " + r);
                assertEquals("ClusterUnavailable", r.errorType());
            }
        } finally {
            server.sandbox().setFailing(false);
        }
    }

    @Test
    void namespaceWithoutIstioIs404() {
        ApiResponse r = server.client().get("/istio/workloads/gateway/logs?namespace=monitoring");
        assertEquals(404, r.status(), r.toString());
        assertEquals("NotFound", r.errorType(), "the gateway runs in istio-system: " + r);
        assertThat(r.message()).as(r.message()).contains("namespace=istio-system");
    }

    @Test
    void logsOfTheTwoWorkloadsNeverMix() {
        ApiResponse istiod = server.client().get("/istio/workloads/istiod/logs?lines=5");
        ApiResponse gateway = server.client().get("/istio/workloads/gateway/logs?lines=5");
        assertEquals("discovery", istiod.data().path("blocks").path(0).path("container_name").asString());
        assertEquals("istio-proxy", gateway.data().path("blocks").path(0).path("container_name").asString());
        // logs are read live (cache.ttl.log, 1 s): a second read shortly after is a new read, keyed apart as before
        ApiResponse again = server.client().get("/istio/workloads/istiod/logs?lines=5");
        assertEquals("discovery", again.data().path("blocks").path(0).path("container_name").asString());
    }
}
