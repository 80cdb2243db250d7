package io.cloudpilot.plugin.istioconfig;

import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static io.cloudpilot.plugin.istioconfig.ValidatorTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/istio/destinationrule/list} and {@code /detail} on the sandbox, in instant mode, with stale
 * serving off.
 */
@CloudPilotTest(config = {"cache.stale-max-age=PT0S", "cluster.retries=0", "cluster.circuit.volume=1000"})
class DestinationRuleEndpointsTest {

    private static CloudPilotTestServer server;

    @Test
    void listWithCounts() {
        ApiResponse r = server.client().get("/api/istio/destinationrule/list");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(List.of("payments-api", "cart", "catalog", "catalog-dup", "frontend"),
                names(d.path("destinationrules")));
        JsonNode payments = d.path("destinationrules").get(0);
        assertEquals("payments-api", payments.path("host").asString());
        assertEquals("[\"v1\",\"canary\"]", payments.path("subsets").toString());
        assertTrue(payments.path("has_traffic_policy").asBoolean());
        assertFalse(d.path("destinationrules").get(1).path("has_traffic_policy").asBoolean());
        // catalog and catalog-dup for one host in one namespace: both carry the redundant subset and the ignored policy
        assertEquals(1, d.path("destinationrules").get(3).path("warning_count").asInt());
        assertEquals(1, d.path("destinationrules").get(3).path("error_count").asInt());
        assertEquals(List.of("catalog", "catalog-dup"), names(server.client()
                .get("/api/istio/destinationrule/list?has_errors=true").data().path("destinationrules")));
        JsonNode byField = server.client().get("/api/istio/destinationrule/list?field_selector=metadata.name%3Dcart").data();
        assertEquals(List.of("cart"), names(byField.path("destinationrules")));
    }

    @Test
    void detailSummarisesPolicy() {
        JsonNode d = Details.detail(server, "destinationrule", "payments", "payments-api").data();
        assertEquals(100, d.path("spec").path("trafficPolicy").path("connectionPool").path("tcp")
                .path("maxConnections").asInt());
        JsonNode s = d.path("summary");
        assertEquals("payments-api", s.path("host").asString());
        String pool = s.path("traffic_policy").path("connection_pool").asString();
        assertThat(pool).as(pool).contains("tcp maxConnections=100", "http1MaxPendingRequests=10");
        String outlier = s.path("traffic_policy").path("outlier_detection").asString();
        assertThat(outlier).as(outlier).contains("consecutive5xxErrors=5", "baseEjectionTime=60s");
        assertEquals("canary", s.path("subsets").get(1).path("name").asString());
        assertEquals("canary", s.path("subsets").get(1).path("labels").path("version").asString());
        assertEquals(1, d.path("info_count").asInt());
        JsonNode frontend = Details.detail(server, "destinationrule", "shop", "frontend").data().path("summary");
        assertEquals("ISTIO_MUTUAL", frontend.path("traffic_policy").path("tls").asString());
        JsonNode dup = Details.detail(server, "destinationrule", "shop", "catalog-dup").data().path("summary");
        assertEquals("LEAST_REQUEST", dup.path("traffic_policy").path("load_balancer").asString());
    }

    @Test
    void unreachableClusterIs503NeverEmpty() {
        server.sandbox().setFailing(true);
        try {
            ApiResponse r = server.client().get("/api/istio/destinationrule/list?force_refresh=true");
            assertEquals(503, r.status(), r.toString());
            assertEquals("ClusterUnavailable", r.errorType());
        } finally {
            server.sandbox().setFailing(false);
        }
    }

    @Test
    void detailErrors() {
        ApiResponse missing = server.client().get("/api/istio/destinationrule/detail?namespace=payments&destinationrule_name=cart");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("NotFound", missing.errorType());
        ApiResponse bad = server.client().get("/api/istio/destinationrule/detail?namespace=shop&destinationrule_name=a..b");
        assertEquals(400, bad.status(), bad.toString());
        assertThat(bad.message()).as(bad.message()).contains("destinationrule_name");
    }
}
