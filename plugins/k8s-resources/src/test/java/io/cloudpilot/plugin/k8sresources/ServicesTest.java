package io.cloudpilot.plugin.k8sresources;

import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code /k8s/resources/services/list|detail} on the sandbox cluster, instant mode.
 */
@CloudPilotTest
class ServicesTest {

    private static CloudPilotTestServer server;

    @Test
    void listShowsTypesPortsAndEndpoints() {
        ApiResponse r = server.client().get("/k8s/resources/services/list");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals(12, d.path("total").asInt());
        JsonNode gw = Items.find(d.path("services"), "name", "istio-ingressgateway");
        assertEquals("LoadBalancer", gw.path("type").asString());
        assertEquals("203.0.113.10", gw.path("load_balancer_ingress").path(0).path("ip").asString());
        JsonNode http2 = Items.find(gw.path("ports"), "name", "http2");
        assertEquals(80, http2.path("port").asInt());
        assertEquals("8080", http2.path("target_port").asString());
        assertEquals(30080, http2.path("node_port").asInt());
        JsonNode frontend = Items.find(d.path("services"), "name", "frontend");
        assertEquals("http", frontend.path("ports").path(0).path("target_port").asString(), "named target ports stay names");
        assertEquals(4, frontend.path("ready_endpoints").asInt(), "v1 and v2 pods");
        JsonNode dns = Items.find(d.path("services"), "name", "kube-dns");
        assertEquals("UDP", Items.find(dns.path("ports"), "name", "dns").path("protocol").asString());
        JsonNode cart = Items.find(d.path("services"), "name", "cart");
        assertEquals(1, cart.path("ready_endpoints").asInt());
        assertEquals(1, cart.path("not_ready_endpoints").asInt());
    }

    @Test
    void listFiltersAndPages() {
        JsonNode shop = server.client().get("/k8s/resources/services/list?namespace=shop&sort_by=name").data();
        assertEquals(List.of("cart", "catalog", "frontend", "legacy"), Items.strings(shop.path("services"), "name"));
        JsonNode page = server.client().get("/k8s/resources/services/list?namespace=shop&sort_by=name&sort_order=desc&page_size=1").data();
        assertEquals(List.of("legacy"), Items.strings(page.path("services"), "name"));
        assertEquals(4, page.path("total").asInt());
        JsonNode labelled = server.client().get("/k8s/resources/services/list?label_selector=app%20in%20(cart,catalog)").data();
        assertEquals(List.of("cart", "catalog"), Items.strings(labelled.path("services"), "name"));
    }

    @Test
    void selectorMatchingNoPodIsFlagged() {
        JsonNode d = server.client().get("/k8s/resources/services/detail?namespace=shop&service_name=legacy").data();
        assertEquals(false, d.path("selector_matches_pods").asBoolean());
        assertEquals(0, d.path("matching_pods").size());
        assertEquals(0, d.path("endpoints").path("ready_count").asInt());
        JsonNode f = Items.find(d.path("health").path("findings"), "code", "SelectorMatchesNoPod");
        assertThat(f.path("message").asString()).as(f.toString()).contains("app=legacy-inventory");
        assertEquals("critical", d.path("health").path("status").asString());
    }

    @Test
    void readyAndNotReadyEndpointsWithTheirPods() {
        JsonNode d = server.client().get("/k8s/resources/services/detail?namespace=shop&service_name=cart").data();
        JsonNode ep = d.path("endpoints");
        assertEquals("10.244.1.12", ep.path("ready").path(0).path("ip").asString());
        assertEquals("cart-5b7f9d6c8-h4j6k", ep.path("ready").path(0).path("target_name").asString());
        assertEquals("10.244.2.12", ep.path("not_ready").path(0).path("ip").asString());
        assertEquals("cart-5b7f9d6c8-z9x8c", ep.path("not_ready").path(0).path("target_name").asString());
        assertEquals(true, d.path("selector_matches_pods").asBoolean());
        assertEquals("CrashLoopBackOff", Items.find(d.path("matching_pods"), "name", "cart-5b7f9d6c8-z9x8c").path("status").asString());
        JsonNode f = Items.find(d.path("health").path("findings"), "code", "EndpointsNotReady");
        assertEquals(15, f.path("deduction").asInt());
        assertEquals(85, d.path("health").path("score").asInt());
    }

    @Test
    void serviceWhosePodsHaveNoIpHasNoEndpoints() {
        JsonNode d = server.client().get("/k8s/resources/services/detail?namespace=payments&service_name=ledger").data();
        assertEquals(true, d.path("selector_matches_pods").asBoolean());
        assertEquals("Pending", d.path("matching_pods").path(0).path("status").asString());
        assertThat(Items.codes(d.path("health"))).as(d.path("health").toString()).contains("ServiceNoEndpoints");
        assertEquals(50, d.path("health").path("score").asInt());

        JsonNode kubernetes = server.client().get("/k8s/resources/services/detail?namespace=default&service_name=kubernetes").data();
        assertEquals("10.0.0.10", kubernetes.path("endpoints").path("ready").path(0).path("ip").asString());
        assertEquals("healthy", kubernetes.path("health").path("status").asString());
        assertThat(Items.codes(kubernetes.path("health"))).contains("NoSelector");

        JsonNode gw = server.client().get("/k8s/resources/services/detail?namespace=istio-system&service_name=istio-ingressgateway").data();
        assertEquals(100, gw.path("health").path("score").asInt(), gw.path("health").toString());
        assertEquals(2, gw.path("endpoints").path("ready_count").asInt());
    }

    @Test
    void aWarmListFollowsItsEndpointsNotOnlyItsServices() {
        String list = "/k8s/resources/services/list?namespace=default";
        JsonNode before = Items.find(server.client().get(list).data().path("services"), "name", "kubernetes");
        assertEquals(1, before.path("ready_endpoints").asInt());
        var endpoints = server.sandbox().client().endpoints().inNamespace("default").withName("kubernetes");
        var original = endpoints.get();
        endpoints.edit(e -> new EndpointsBuilder(e).editFirstSubset()
                .addNewAddress().withIp("10.0.0.11").endAddress().endSubset().build());
        try {
            // a detail read refreshes the namespace's Endpoints; the Services list entry stays as it was
            server.client().get("/k8s/resources/services/detail?namespace=default&service_name=kubernetes"
                    + "&force_refresh=true");
            ApiResponse warm = server.client().get(list);
            assertEquals("HIT", warm.header("X-Cache").orElse(null), "the Services list is not read again");
            assertEquals(2, Items.find(warm.data().path("services"), "name", "kubernetes").path("ready_endpoints")
                    .asInt(), "the address added to its Endpoints");
        } finally {
            endpoints.edit(e -> new EndpointsBuilder(e).editFirstSubset()
                    .withAddresses(original.getSubsets().getFirst().getAddresses()).endSubset().build());
        }
    }

    @Test
    void missingService() {
        ApiResponse r = server.client().get("/k8s/resources/services/detail?namespace=shop&service_name=cart-redis");
        assertEquals(404, r.status(), r.toString());
        assertThat(r.message()).as(r.message()).contains("cart-redis");
        ApiResponse noName = server.client().get("/k8s/resources/services/detail?namespace=shop");
        assertEquals(400, noName.status());
        assertThat(noName.message()).as(noName.message()).contains("service_name");
    }
}
