package io.cloudpilot.plugin.istioworkloads;

import java.time.Instant;
import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.EventBuilder;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /istio/workloads/{istiod,gateway}/events} in instant mode, on the sandbox cluster.
 */
@CloudPilotTest
class WorkloadEventsTest {

    private static CloudPilotTestServer server;

    private static void assertNewestFirst(JsonNode events) {
        List<Instant> times = Json.list(events).stream().map(e -> Instant.parse(e.path("time").asString())).toList();
        for (int i = 1; i < times.size(); i++) {
            assertFalse(times.get(i).isAfter(times.get(i - 1)), "newest first: " + times);
        }
    }

    @Test
    void istiodEventsCoverTheDeploymentAndItsPods() {
        ApiResponse r = server.client().get("/istio/workloads/istiod/events?force_refresh=true");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(List.of("istiod"), Json.list(d.path("workloads")).stream().map(JsonNode::asString).toList());
        JsonNode summary = d.path("summary");
        assertEquals(2, summary.path("by_reason").path("ScalingReplicaSet").asInt());
        assertEquals(1, summary.path("by_reason").path("Pulled").asInt());
        assertEquals(2, summary.path("by_kind").path("Deployment").asInt());
        assertEquals(1, summary.path("by_kind").path("Pod").asInt());
        assertEquals(summary.path("total").asInt(), d.path("events").size());
        assertEquals(0, d.path("warning_events").asInt());
        assertNewestFirst(d.path("events"));
        // nothing of the gateway
        assertTrue(Json.list(d.path("events")).stream()
                .noneMatch(e -> e.path("involved_object").path("name").asString().contains("ingressgateway")));
    }

    @Test
    void gatewayEventsShowTheFailingReadinessProbe() {
        ApiResponse r = server.client().get("/istio/workloads/gateway/events");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        JsonNode unhealthy = Json.find(d.path("events"), "reason", "Unhealthy");
        assertEquals("Warning", unhealthy.path("type").asString());
        assertEquals(4, unhealthy.path("count").asInt());
        assertEquals("istio-ingressgateway-6f9d8c7b5-f5g7h", unhealthy.path("involved_object").path("name").asString());
        assertThat(unhealthy.path("message").asString()).contains("Readiness probe failed");
        assertEquals(1, d.path("warning_events").asInt());
        assertEquals(1, d.path("summary").path("by_type").path("Warning").asInt());
        assertNewestFirst(d.path("events"));
    }

    @Test
    void aNewEventComesFirstAndTheLimitKeepsTheSummary() {
        String now = Instant.now().toString();
        server.sandbox().client().v1().events().inNamespace("istio-system").resource(new EventBuilder()
                .withNewMetadata().withName("istiod-5c8b7d9f6-vk7xh.fresh").withNamespace("istio-system").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("istiod-5c8b7d9f6-vk7xh").withNamespace("istio-system")
                .endInvolvedObject()
                .withType("Warning").withReason("BackOff").withMessage("Back-off restarting failed container discovery")
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(2)
                .build()).create();
        ApiResponse r = server.client().get("/istio/workloads/istiod/events?force_refresh=true&limit=1");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(1, d.path("events").size());
        assertEquals("BackOff", d.path("events").path(0).path("reason").asString());
        assertEquals(1, d.path("total_events").asInt());
        assertEquals(1, d.path("error_events").asInt());
        assertEquals(4, d.path("summary").path("total").asInt(), "the summary counts every event, not the page");
        assertEquals(1, d.path("summary").path("by_type").path("Warning").asInt());

        ApiResponse recent = server.client().get("/istio/workloads/istiod/events?since_seconds=600");
        assertEquals(1, recent.data().path("events").size(), "only the new event is younger than 10 minutes");
        // the cached namespace list is shared: the window is applied on it, no new read
        assertEquals("HIT", recent.header("X-Cache").orElseThrow());
    }

    @Test
    void badLimitIs400AndMissingIstioIs404() {
        ApiResponse limit = server.client().get("/istio/workloads/gateway/events?limit=many");
        assertEquals(400, limit.status(), limit.toString());
        assertThat(limit.message()).as(limit.message()).contains("'limit'");
        assertEquals(400, server.client().get("/istio/workloads/gateway/events?limit=0").status());
        ApiResponse missing = server.client().get("/istio/workloads/istiod/events?namespace=default");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("NotFound", missing.errorType(), "Istio runs in istio-system: " + missing);
        assertThat(missing.message()).as(missing.message()).contains("namespace=istio-system");
    }
}
