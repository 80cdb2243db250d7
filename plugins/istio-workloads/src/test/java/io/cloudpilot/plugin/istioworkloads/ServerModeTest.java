package io.cloudpilot.plugin.istioworkloads;

import java.util.List;

import io.cloudpilot.sandbox.SandboxCluster;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.BareApiServer;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The six endpoints in server mode: the sandbox registered as cluster {@code sandbox}, and again as {@code mirror}.
 */
@CloudPilotTest(mode = "server")
class ServerModeTest {

    private static final String[] PATHS = {"/istio/workloads/istiod/detail", "/istio/workloads/istiod/logs",
            "/istio/workloads/istiod/events", "/istio/workloads/gateway/detail", "/istio/workloads/gateway/logs",
            "/istio/workloads/gateway/events"};

    private static CloudPilotTestServer server;

    @Test
    void clusterNameIsRequiredAndResolved() {
        for (String path : PATHS) {
            ApiResponse missing = server.client().get(path);
            assertEquals(400, missing.status(), path + " " + missing);
            assertThat(missing.message()).as(missing.message()).contains("cluster_name");
            ApiResponse unknown = server.client().get(path + "?cluster_name=production");
            assertEquals(404, unknown.status(), path + " " + unknown);
            assertEquals("ClusterNotFound", unknown.errorType());
            ApiResponse ok = server.client().get(path + "?cluster_name=sandbox" + (path.endsWith("/logs") ? "&lines=5" : ""));
            assertEquals(200, ok.status(), path + " " + ok);
            assertEquals("sandbox", ok.data().path("cluster_name").asString());
        }
    }

    @Test
    void openApiDescribesTheSixEndpoints() throws Exception {
        ApiResponse r = server.client().get("/openapi?format=JSON");
        assertEquals(200, r.status(), r.toString());
        JsonNode doc = JsonMapper.builder().build().readTree(r.raw());
        for (String path : PATHS) {
            JsonNode get = doc.path("paths").path(path).path("get");
            assertFalse(get.isMissingNode(), path + " is in the OpenAPI document");
            assertFalse(get.path("description").asString().isBlank(), path);
            List<String> params = Json.strings(get.path("parameters"), "name");
            assertTrue(params.containsAll(List.of("cluster_name", "namespace", "force_refresh")), path + " " + params);
            if (path.endsWith("/logs")) {
                assertTrue(params.containsAll(List.of("lines", "since_seconds", "previous")), path + " " + params);
            }
        }
        assertThat(r.raw()).as("DTO fields are documented").contains("restart_count", "external_addresses");
    }

    @Test
    void gatewayDetailInServerMode() {
        ApiResponse r = server.client().get("/istio/workloads/gateway/detail?cluster_name=sandbox");
        assertEquals(200, r.status(), r.toString());
        assertEquals("203.0.113.10", r.data().path("workloads").path(0).path("service_info").path("load_balancer_ip").asString());
        assertEquals("1.22.1", r.data().path("workloads").path(0).path("version").asString());
    }

    @Test
    void cacheEntriesAreNotSharedBetweenClusters() {
        var sandbox = server.sandbox();
        ApiResponse add = server.client().post("/k8s/cluster/add", """
                {"name": "mirror", "api_server": "%s", "token": "%s", "insecure": true, "description": "the sandbox again"}
                """.formatted(sandbox.url(), sandbox.token()));
        assertEquals(200, add.status(), add.toString());

        ApiResponse first = server.client().get("/istio/workloads/istiod/detail?cluster_name=sandbox");
        assertEquals(200, first.status(), first.toString());
        long before = sandbox.requestCount("GET", "/apis/apps/v1/namespaces/istio-system/deployments");
        ApiResponse mirror = server.client().get("/istio/workloads/istiod/detail?cluster_name=mirror");
        assertEquals(200, mirror.status(), mirror.toString());
        assertEquals("mirror", mirror.data().path("cluster_name").asString());
        assertEquals("MISS", mirror.header("X-Cache").orElseThrow());
        assertEquals(before + 1, sandbox.requestCount("GET", "/apis/apps/v1/namespaces/istio-system/deployments"),
                "the mirror cluster reads its own Deployments");
    }

    @Test
    void aNamespaceWithoutTheWorkloadIsNotFoundNamingWhereItRuns() {
        for (String path : PATHS) {
            ApiResponse r = server.client().get(path + "?cluster_name=sandbox&namespace=monitoring");
            assertEquals(404, r.status(), path + " " + r);
            assertEquals("NotFound", r.errorType(), path + ": Istio is installed, in istio-system");
            assertTrue(r.message().contains("namespace 'monitoring'") && r.message().contains("namespace=istio-system"),
                    r.message());
        }
    }

    @Test
    void aClusterWithoutIstioIsIstioNotInstalled() {
        // a bare API server: no Istio API group, no Deployment anywhere
        try (BareApiServer bare = BareApiServer.start()) {
            server.registerCluster("bare", bare.writeKubeconfig(server.dataDir().resolve("bare-kubeconfig.yaml"), "bare"));
            for (String path : PATHS) {
                ApiResponse r = server.client().get(path + "?cluster_name=bare");
                assertEquals(404, r.status(), path + " " + r);
                assertEquals("IstioNotInstalled", r.errorType(), r.toString());
                assertTrue(r.message().contains("istio-system") && r.message().contains("Istio is not installed"),
                        r.message());
            }
        }
    }

    @Test
    void istioApisWithoutTheWorkloadAreNotFound() {
        // the API groups are served (Istio's CRDs are installed) but no istiod or gateway runs anywhere
        try (SandboxCluster empty = SandboxCluster.startEmpty(0)) {
            server.registerCluster("empty", empty);
            ApiResponse r = server.client().get("/istio/workloads/istiod/detail?cluster_name=empty");
            assertEquals(404, r.status(), r.toString());
            assertEquals("NotFound", r.errorType(), r.toString());
            assertTrue(r.message().contains("nor in any other namespace") && r.message().contains("networking.istio.io"),
                    r.message());
        }
    }
}
