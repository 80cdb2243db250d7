package io.cloudpilot.plugin.k8sresources;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /k8s/resources/events/resource|namespace|cluster} on the sandbox cluster, instant mode.
 */
@CloudPilotTest
class EventsTest {

    private static CloudPilotTestServer server;

    private static void assertNewestFirst(JsonNode events) {
        Instant previous = Instant.MAX;
        for (JsonNode e : Items.list(events)) {
            Instant at = Instant.parse(e.path("last_seen").asString());
            assertFalse(at.isAfter(previous), "not newest first at " + e);
            previous = at;
        }
    }

    @Test
    void clusterEventsNewestFirstWithSummary() {
        ApiResponse r = server.client().get("/k8s/resources/events/cluster?page_size=1000");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(37, d.path("total").asInt());
        assertEquals(37, d.path("count").asInt());
        assertNewestFirst(d.path("events"));
        JsonNode s = d.path("summary");
        assertEquals(37, s.path("total").asInt());
        assertEquals(37, s.path("warnings").asInt() + s.path("normal").asInt());
        assertTrue(s.path("by_reason").path("NodeNotReady").asInt() >= 2, s.toString());
        JsonNode oldestFirst = server.client().get("/k8s/resources/events/cluster?sort_order=asc&page_size=1").data();
        assertEquals(Items.list(d.path("events")).getLast().path("last_seen").asString(),
                oldestFirst.path("events").path(0).path("last_seen").asString());
    }

    @Test
    void aNewEventShowsOnTheNextReadOfTheList() {
        JsonNode before = server.client().get("/k8s/resources/events/namespace?namespace=payments&page_size=1").data();
        String now = Instant.now().toString().substring(0, 19) + "Z";
        server.sandbox().client().v1().events().inNamespace("payments").resource(new io.fabric8.kubernetes.api.model
                .EventBuilder().withNewMetadata().withName("ledger.new").withNamespace("payments").endMetadata()
                .withNewInvolvedObject().withKind("Pod").withName("ledger-5d6f7c8b9-p2l4k").withNamespace("payments")
                .endInvolvedObject().withType("Warning").withReason("FailedScheduling").withMessage("a new event")
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build()).create();
        JsonNode after = server.client().get("/k8s/resources/events/namespace?namespace=payments&page_size=1"
                + "&force_refresh=true").data();
        assertEquals(before.path("total").asInt() + 1, after.path("total").asInt());
        assertEquals("ledger.new", after.path("events").path(0).path("name").asString(), "newest first");
        assertEquals(before.path("summary").path("warnings").asInt() + 1, after.path("summary").path("warnings").asInt());
        JsonNode warm = server.client().get("/k8s/resources/events/namespace?namespace=payments&page_size=1").data();
        assertEquals(after.path("total").asInt(), warm.path("total").asInt(), "the warm page is of the new list");
        assertEquals("ledger.new", warm.path("events").path(0).path("name").asString());
    }

    @Test
    void namespaceEvents() {
        JsonNode d = server.client().get("/k8s/resources/events/namespace?namespace=monitoring").data();
        assertEquals("monitoring", d.path("namespace").asString());
        assertTrue(Items.strings(d.path("events"), "namespace").stream().allMatch("monitoring"::equals));
        assertNewestFirst(d.path("events"));
        JsonNode pulls = Items.list(d.path("events")).stream().filter(e -> e.path("reason").asString().equals("BackOff"))
                .findFirst().orElseThrow();
        assertEquals(140, pulls.path("count").asInt());
        assertEquals("kubelet", pulls.path("source").asString());
        assertEquals("exporter-69c8d7f5b4-c3v5b", pulls.path("involved_object").path("name").asString());
        JsonNode warnings = server.client().get("/k8s/resources/events/namespace?namespace=monitoring"
                + "&field_selector=type%3DWarning").data();
        assertTrue(warnings.path("total").asInt() > 0 && warnings.path("total").asInt() < d.path("total").asInt(), warnings.toString());
        assertTrue(Items.strings(warnings.path("events"), "type").stream().allMatch("Warning"::equals));
        assertEquals(warnings.path("total").asInt(), warnings.path("summary").path("warnings").asInt());
        ApiResponse missing = server.client().get("/k8s/resources/events/namespace");
        assertEquals(400, missing.status());
        assertThat(missing.message()).as(missing.message()).contains("namespace");
    }

    @Test
    void deploymentEventsIncludeReplicaSetsAndPods() {
        JsonNode d = server.client().get("/k8s/resources/events/resource?namespace=shop&resource_kind=Deployment&resource_name=frontend").data();
        Set<String> kinds = Set.copyOf(Items.list(d.path("events")).stream()
                .map(e -> e.path("involved_object").path("kind").asString()).toList());
        assertEquals(Set.of("Deployment", "ReplicaSet", "Pod"), kinds, d.toString());
        List<String> reasons = Items.strings(d.path("events"), "reason");
        assertTrue(reasons.containsAll(List.of("ScalingReplicaSet", "SuccessfulCreate", "Scheduled")), reasons.toString());
        assertThat(reasons).as("the HPA's events are not the Deployment's").doesNotContain("SuccessfulRescale");
        assertNewestFirst(d.path("events"));

        JsonNode cart = server.client().get("/k8s/resources/events/resource?namespace=shop&resource_kind=deployment&resource_name=cart").data();
        JsonNode backOff = Items.find(cart.path("events"), "reason", "BackOff");
        assertEquals(152, backOff.path("count").asInt());
        assertEquals("Warning", backOff.path("type").asString());
        assertEquals("BackOff", cart.path("events").path(0).path("reason").asString(), "the newest: 20s ago");
        assertEquals("Deployment", cart.path("resource_kind").asString());
    }

    @Test
    void schedulerEventsWithoutTimestampsAreOrderedByEventTime() {
        JsonNode d = server.client().get("/k8s/resources/events/resource?namespace=payments&resource_kind=Pod&resource_name=ledger-5d6f7c8b9-p2l4k").data();
        JsonNode failed = Items.find(d.path("events"), "reason", "FailedScheduling");
        assertEquals(11, failed.path("count").asInt(), "the series count");
        assertTrue(failed.path("last_timestamp").isNull());
        assertFalse(failed.path("event_time").isNull());
        assertFalse(failed.path("last_seen").isNull());
        assertEquals("default-scheduler", failed.path("source").asString());
    }

    @Test
    void nodeEventsNeedNoNamespace() {
        JsonNode d = server.client().get("/k8s/resources/events/resource?resource_kind=Node&resource_name=worker-3").data();
        List<String> reasons = Items.strings(d.path("events"), "reason");
        assertTrue(reasons.containsAll(List.of("NodeNotReady", "NodeNotSchedulable")), reasons.toString());
        assertTrue(Items.list(d.path("events")).stream()
                .allMatch(e -> e.path("involved_object").path("name").asString().equals("worker-3")));
    }

    @Test
    void badParameters() {
        ApiResponse kind = server.client().get("/k8s/resources/events/resource?namespace=shop&resource_kind=Widget&resource_name=x");
        assertEquals(400, kind.status(), kind.toString());
        assertThat(kind.message()).as(kind.message()).contains("resource_kind", "Deployment");
        ApiResponse noKind = server.client().get("/k8s/resources/events/resource?namespace=shop&resource_name=x");
        assertEquals(400, noKind.status());
        assertThat(noKind.message()).as(noKind.message()).contains("resource_kind");
        ApiResponse noName = server.client().get("/k8s/resources/events/resource?namespace=shop&resource_kind=Pod");
        assertEquals(400, noName.status());
        assertThat(noName.message()).as(noName.message()).contains("resource_name");
        ApiResponse noNamespace = server.client().get("/k8s/resources/events/resource?resource_kind=Pod&resource_name=x");
        assertEquals(400, noNamespace.status());
        assertThat(noNamespace.message()).as(noNamespace.message()).contains("namespace");
        ApiResponse missing = server.client().get("/k8s/resources/events/resource?namespace=shop&resource_kind=Deployment&resource_name=basket");
        assertEquals(404, missing.status(), missing.toString());
        ApiResponse sort = server.client().get("/k8s/resources/events/cluster?sort_by=colour");
        assertEquals(400, sort.status());
    }
}
