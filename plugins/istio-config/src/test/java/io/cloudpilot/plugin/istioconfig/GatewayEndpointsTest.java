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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/istio/gateway/list} and {@code /detail} on the sandbox, in instant mode.
 */
@CloudPilotTest
class GatewayEndpointsTest {

    private static CloudPilotTestServer server;

    @Test
    void listHasTheContractShape() {
        ApiResponse r = server.client().get("/api/istio/gateway/list");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals("sandbox", d.path("cluster_name").asString());
        assertEquals(5, d.path("total").asInt());
        assertEquals(5, d.path("count").asInt());
        assertEquals(1, d.path("page").asInt());
        assertEquals(100, d.path("page_size").asInt());
        assertEquals(List.of("duplicate-gateway", "expired-cert-gateway", "payments-gateway", "shop-gateway",
                "broken-gateway"), names(d.path("gateways")));
        JsonNode shop = d.path("gateways").get(3);
        assertEquals("istio-system", shop.path("namespace").asString());
        assertEquals("ingressgateway", shop.path("selector").path("istio").asString());
        assertEquals(2, shop.path("servers_count").asInt());
        assertEquals("[\"shop.example.com\"]", shop.path("hosts").toString());
        assertEquals("[443,80]", shop.path("ports").toString());
        assertEquals("30d", shop.path("age").asString());
        // shop-gateway and duplicate-gateway serve shop.example.com on 443 with one certificate: both sides count it
        assertEquals(1, shop.path("error_count").asInt(), shop.toString());
        assertEquals(1, shop.path("warning_count").asInt(), shop.toString());
        JsonNode dup = d.path("gateways").get(0);
        assertEquals(1, dup.path("error_count").asInt(), dup.toString());
        assertEquals(1, dup.path("warning_count").asInt(), dup.toString());
    }

    @Test
    void filtersPagesAndSorts() {
        JsonNode shopNs = server.client().get("/api/istio/gateway/list?namespace=shop").data();
        assertEquals("shop", shopNs.path("namespace").asString());
        assertEquals(List.of("broken-gateway"), names(shopNs.path("gateways")));
        JsonNode errors = server.client().get("/api/istio/gateway/list?has_errors=true").data();
        assertEquals(List.of("duplicate-gateway", "expired-cert-gateway", "payments-gateway", "shop-gateway",
                "broken-gateway"), names(errors.path("gateways")));
        JsonNode clean = server.client().get("/api/istio/gateway/list?has_errors=FALSE").data();
        assertEquals(List.of(), names(clean.path("gateways")));
        JsonNode labelled = server.client().get("/api/istio/gateway/list?label_selector=app%3Dshop").data();
        assertEquals(List.of("shop-gateway"), names(labelled.path("gateways")));
        JsonNode page = server.client().get("/api/istio/gateway/list?page=2&page_size=2&sort_by=name&sort_order=desc").data();
        assertEquals(List.of("expired-cert-gateway", "duplicate-gateway"), names(page.path("gateways")));
        assertEquals(2, page.path("count").asInt());
        assertEquals(5, page.path("total").asInt());
    }

    @Test
    void badListParametersAre400() {
        for (String q : List.of("has_errors=yes", "sort_by=colour", "label_selector=a%3D%3D%3Db", "page=0")) {
            ApiResponse r = server.client().get("/api/istio/gateway/list?" + q);
            assertEquals(400, r.status(), q + " " + r);
            assertEquals("ValidationError", r.errorType());
            assertThat(r.message()).as(r.message()).contains(q.substring(0, q.indexOf('=')));
        }
    }

    @Test
    void detailHasSpecSummaryAndValidations() {
        ApiResponse r = server.client().get("/api/istio/gateway/detail?namespace=istio-system&gateway_name=shop-gateway");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals("shop-gateway", d.path("metadata").path("name").asString());
        assertEquals("networking.istio.io/v1", d.path("metadata").path("api_version").asString());
        // the spec as stored keeps the Kubernetes field names
        assertEquals("shop-tls", d.path("spec").path("servers").get(0).path("tls").path("credentialName").asString());
        JsonNode https = d.path("summary").path("servers").get(0);
        assertEquals(443, https.path("port").asInt());
        assertEquals("HTTPS", https.path("protocol").asString());
        assertEquals("SIMPLE", https.path("tls_mode").asString());
        assertEquals("shop-tls", https.path("credential_name").asString());
        JsonNode http = d.path("summary").path("servers").get(1);
        assertTrue(http.path("https_redirect").asBoolean(), http.toString());
        assertEquals(2, d.path("validations").size(), d.path("validations").toString());
        assertEquals(1, d.path("error_count").asInt());
        assertEquals("[]", d.path("not_validated").toString());
        assertEquals("[]", d.path("absent_kinds").toString());
    }

    @Test
    void detailErrors() {
        ApiResponse missing = server.client().get("/api/istio/gateway/detail?namespace=shop&gateway_name=nope");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("NotFound", missing.errorType());
        assertThat(missing.message()).as(missing.message()).contains("nope", "shop");
        ApiResponse bad = server.client().get("/api/istio/gateway/detail?namespace=shop&gateway_name=Bad_Name");
        assertEquals(400, bad.status(), bad.toString());
        assertThat(bad.message()).as(bad.message()).contains("gateway_name");
        ApiResponse absent = server.client().get("/api/istio/gateway/detail?namespace=shop");
        assertEquals(400, absent.status(), absent.toString());
        assertThat(absent.message()).as(absent.message()).contains("gateway_name");
        ApiResponse noNs = server.client().get("/api/istio/gateway/detail?gateway_name=shop-gateway");
        assertEquals(400, noNs.status(), noNs.toString());
        assertThat(noNs.message()).as(noNs.message()).contains("namespace");
        ApiResponse wrongCluster = server.client().get("/api/istio/gateway/list?cluster_name=production");
        assertEquals(404, wrongCluster.status(), wrongCluster.toString());
        assertEquals("ClusterNotFound", wrongCluster.errorType());
    }

    @Test
    void unreachableClusterIsServedStaleNeverEmpty() {
        assertEquals(200, server.client().get("/api/istio/gateway/list").status());
        server.sandbox().setFailing(true);
        try {
            ApiResponse r = server.client().get("/api/istio/gateway/list?force_refresh=true");
            assertEquals(200, r.status(), r.toString());
            assertEquals("STALE", r.header("X-Cache").orElseThrow(), r.headers().toString());
            assertEquals(5, r.data().path("total").asInt());
        } finally {
            server.sandbox().setFailing(false);
        }
    }
}
