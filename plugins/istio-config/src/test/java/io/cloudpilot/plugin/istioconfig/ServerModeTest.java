package io.cloudpilot.plugin.istioconfig;

import java.util.List;
import java.util.Optional;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static io.cloudpilot.plugin.istioconfig.Details.codes;
import static io.cloudpilot.plugin.istioconfig.ValidatorTest.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The six endpoints in server mode (the sandbox registered as {@code sandbox}), with a global ignore list.
 */
@CloudPilotTest(mode = "server", config = {
        "plugins.istio-config.validations.ignore=GatewayDuplicateCertificate"})
class ServerModeTest {

    private static CloudPilotTestServer server;

    @Test
    void clusterNameIsRequiredAndResolved() {
        ApiResponse missing = server.client().get("/api/istio/virtualservice/list");
        assertEquals(400, missing.status(), missing.toString());
        assertThat(missing.message()).as(missing.message()).contains("cluster_name");
        ApiResponse unknown = server.client().get("/api/istio/destinationrule/list?cluster_name=production");
        assertEquals(404, unknown.status(), unknown.toString());
        assertEquals("ClusterNotFound", unknown.errorType());
    }

    @Test
    void allSixEndpointsAnswer() {
        for (String kind : List.of("gateway", "virtualservice", "destinationrule")) {
            ApiResponse list = server.client().get("/api/istio/" + kind + "/list?cluster_name=sandbox");
            assertEquals(200, list.status(), list.toString());
            assertEquals("sandbox", list.data().path("cluster_name").asString());
            assertTrue(list.data().path("total").asInt() >= 4, list.toString());
            String first = list.data().path(kind + "s").get(0).path("name").asString();
            String ns = list.data().path(kind + "s").get(0).path("namespace").asString();
            ApiResponse detail = server.client().get("/api/istio/" + kind + "/detail?cluster_name=sandbox&namespace="
                    + ns + "&" + kind + "_name=" + first);
            assertEquals(200, detail.status(), detail.toString());
            assertEquals(first, detail.data().path("metadata").path("name").asString());
        }
        assertEquals(List.of("ghost", "cart"), names(server.client()
                .get("/api/istio/virtualservice/list?cluster_name=sandbox&has_errors=true&sort_by=name&sort_order=desc")
                .data().path("virtualservices")));
    }

    @Test
    void endpointsAreInTheOpenApiDocument() {
        ApiResponse r = server.client().get("/openapi");
        assertEquals(200, r.status());
        for (String s : List.of("/api/istio/gateway/list", "/api/istio/gateway/detail", "/api/istio/virtualservice/list",
                "/api/istio/virtualservice/detail", "/api/istio/destinationrule/list",
                "/api/istio/destinationrule/detail", "gateway_name", "virtualservice_name", "destinationrule_name",
                "has_errors")) {
            assertThat(r.raw()).as("missing from /openapi: " + s).contains(s);
        }
    }

    @Test
    void globalIgnoreListSuppressesACode() {
        ApiResponse r = server.client().get("/api/istio/gateway/detail?cluster_name=sandbox&namespace=istio-system"
                + "&gateway_name=duplicate-gateway");
        assertEquals(200, r.status(), r.toString());
        List<String> codes = codes(Details.validationsOf(r));
        assertThat(codes).as(codes.toString()).contains("GatewayHostConflict");
        assertThat(codes).as(codes.toString()).doesNotContain("GatewayDuplicateCertificate");
    }

    @Test
    void clusterWithoutIstioIsIstioNotInstalled() {
        // the sandbox always serves networking.istio.io, so the version choice is checked on a cluster that does not
        ClusterContext noIstio = new ClusterContext() {
            @Override
            public String name() {
                return "plain";
            }

            @Override
            public KubernetesClient client() {
                return server.sandbox().client();
            }

            @Override
            public List<String> servedVersions(String group) {
                return List.of();
            }
        };
        ApiException.IstioNotInstalled e = assertThrows(ApiException.IstioNotInstalled.class,
                () -> IstioKinds.version(noIstio));
        assertEquals(404, e.status());
        assertThat(e.getMessage()).as(e.getMessage()).contains("plain");
        ClusterContext old = new ClusterContext() {
            @Override
            public String name() {
                return "old";
            }

            @Override
            public KubernetesClient client() {
                return server.sandbox().client();
            }

            @Override
            public List<String> servedVersions(String group) {
                return List.of("v1beta1", "v1alpha3");
            }
        };
        assertEquals("v1beta1", IstioKinds.version(old));
        assertEquals(Optional.of("v1alpha3"), old.preferredVersion(IstioKinds.GROUP, List.of("v1alpha3")));
    }
}
