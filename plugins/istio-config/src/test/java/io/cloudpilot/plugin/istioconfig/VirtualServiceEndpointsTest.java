package io.cloudpilot.plugin.istioconfig;

import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static io.cloudpilot.plugin.istioconfig.ValidatorTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /api/istio/virtualservice/list} and {@code /detail} on the sandbox, in instant mode, and the upstream
 * calls a list costs.
 */
@CloudPilotTest
class VirtualServiceEndpointsTest {

    private static CloudPilotTestServer server;

    @Test
    void listWithCounts() {
        ApiResponse r = server.client().get("/api/istio/virtualservice/list?namespace=shop");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(List.of("cart", "frontend", "ghost"), names(d.path("virtualservices")));
        assertEquals(3, d.path("total").asInt());
        JsonNode frontend = d.path("virtualservices").get(1);
        assertEquals("[\"shop.example.com\"]", frontend.path("hosts").toString());
        assertEquals("[\"istio-system/shop-gateway\"]", frontend.path("gateways").toString());
        assertEquals(1, frontend.path("http_routes").asInt());
        assertEquals(0, frontend.path("error_count").asInt());
        JsonNode cart = d.path("virtualservices").get(0);
        assertEquals("[\"mesh\"]", cart.path("gateways").toString());
        assertEquals(1, cart.path("error_count").asInt());
        assertEquals(2, d.path("virtualservices").get(2).path("error_count").asInt());
        JsonNode errors = server.client().get("/api/istio/virtualservice/list?has_errors=true&sort_by=error_count&sort_order=desc").data();
        assertEquals(List.of("ghost", "cart"), names(errors.path("virtualservices")));
    }

    @Test
    void detailSummarisesRoutes() {
        JsonNode d = Details.detail(server, "virtualservice", "shop", "frontend").data();
        assertEquals("frontend", d.path("spec").path("http").get(0).path("route").get(0).path("destination")
                .path("host").asString());
        JsonNode route = d.path("summary").path("http").get(0);
        assertEquals("primary", route.path("name").asString());
        assertEquals("[\"uri prefix=/\"]", route.path("match").toString());
        assertEquals("v1", route.path("destinations").get(0).path("subset").asString());
        assertEquals(90, route.path("destinations").get(0).path("weight").asInt());
        assertEquals(10, route.path("destinations").get(1).path("weight").asInt());
        assertEquals(80, route.path("destinations").get(1).path("port").asInt());
        assertEquals("10s", route.path("timeout").asString());
        assertEquals("3 attempts, 2s per try, on 5xx,connect-failure,reset", route.path("retries").asString());

        JsonNode p = Details.detail(server, "virtualservice", "payments", "payments").data().path("summary");
        assertEquals("delay 5s for 10%; abort 503 for 1%", p.path("http").get(0).path("fault").asString());
        assertEquals("ledger (5%)", p.path("http").get(0).path("mirror").asString());
        assertEquals("[\"mesh\"]", p.path("gateways").toString());
    }

    @Test
    void detailErrors() {
        ApiResponse missing = server.client().get("/api/istio/virtualservice/detail?namespace=shop&virtualservice_name=nope");
        assertEquals(404, missing.status(), missing.toString());
        assertEquals("NotFound", missing.errorType());
        ApiResponse bad = server.client().get("/api/istio/virtualservice/detail?namespace=shop&virtualservice_name=-x");
        assertEquals(400, bad.status(), bad.toString());
        assertThat(bad.message()).as(bad.message()).contains("virtualservice_name");
    }

    @Test
    void aListCostsOneCallPerKindNotPerObject() {
        var admin = server.sandbox().client();
        var op = admin.genericKubernetesResources(IstioKinds.context("v1", IstioKinds.Kind.VIRTUAL_SERVICE));
        // 1,000 correct VirtualServices in their own namespace: they change no other test's answer
        for (int i = 0; i < 1000; i++) {
            GenericKubernetesResource vs = Serialization.unmarshal("""
                    apiVersion: networking.istio.io/v1
                    kind: VirtualService
                    metadata: {name: bulk-%d, namespace: bulk}
                    spec:
                      hosts: [bulk-%d.example.com]
                      http:
                        - route:
                            - destination: {host: ledger.payments.svc.cluster.local, port: {number: 8080}}
                    """.formatted(i, i), GenericKubernetesResource.class);
            op.inNamespace("bulk").resource(vs).create();
        }
        server.sandbox().resetRequestCounts();
        ApiResponse r = server.client().get("/api/istio/virtualservice/list?force_refresh=true&namespace=bulk&page_size=1000");
        assertEquals(200, r.status(), r.toString());
        assertEquals(1000, r.data().path("total").asInt());
        assertEquals(0, server.client().get("/api/istio/virtualservice/list?namespace=bulk&has_errors=true")
                .data().path("total").asInt(), "correct objects stay quiet");
        long cold = server.sandbox().requestCount();
        // Gateways, VirtualServices, DestinationRules, ServiceEntries, Services, Pods, Secrets, Namespaces, mesh config
        assertTrue(cold <= 9, "upstream calls for a cold list of 1,000 VirtualServices: " + cold);
        assertEquals(1, server.sandbox().requestCount("GET", "/apis/networking.istio.io/v1/virtualservices"));
        server.sandbox().resetRequestCounts();
        ApiResponse warm = server.client().get("/api/istio/virtualservice/list");
        assertEquals("HIT", warm.header("X-Cache").orElseThrow());
        ApiResponse detail = server.client().get("/api/istio/virtualservice/detail?namespace=bulk&virtualservice_name=bulk-7");
        assertEquals(200, detail.status(), detail.toString());
        assertEquals(0, server.sandbox().requestCount(), "a warm list and detail read nothing upstream");
    }
}
