package io.cloudpilot.conformance;

import java.nio.file.Path;
import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Instant mode on a kubeconfig (context {@code conformance}, admin token, the cluster's CA): every read endpoint
 * without {@code cluster_name}, the registry endpoints refused, the context name as the cluster name.
 */
@Order(3)
@ExtendWith(ConformanceCluster.class)
class InstantModeConformanceTest {

    static final String CONTEXT = "conformance";

    private static CloudPilotTestServer server;
    private static ControlPlane plane;

    @BeforeAll
    static void start() throws Exception {
        plane = ConformanceCluster.plane();
        server = instantServer(plane, CONTEXT);
    }

    /** CloudPilot in instant mode on a kubeconfig whose context {@code context} holds the plane's admin token. */
    static CloudPilotTestServer instantServer(ControlPlane plane, String context) throws java.io.IOException {
        Path dir = java.nio.file.Files.createTempDirectory("cloudpilot-instant-");
        Path kubeconfig = plane.writeKubeconfig(dir.resolve("kubeconfig.yaml"), context, plane.adminToken());
        return CloudPilotTestServer.builder().mode("instant").sandbox(false).pluginDirs(Plugins.dirs())
                .config("instant.kubeconfig", kubeconfig.toString()).start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static List<String> everyRead() {
        Topology t = ConformanceCluster.topology();
        String frontend = t.pods("shop", "frontend").getFirst().getMetadata().getName();
        return List.of(
                "/k8s/cluster/info",
                "/k8s/overview/cluster",
                "/k8s/resources/nodes/list",
                "/k8s/resources/nodes/detail?node_name=node-a",
                "/k8s/resources/nodes/capacity",
                "/k8s/resources/pods/list?namespace=shop",
                "/k8s/resources/pods/detail?namespace=shop&pod_name=" + frontend,
                "/k8s/resources/deployments/list",
                "/k8s/resources/deployments/detail?namespace=shop&deployment_name=frontend",
                "/k8s/resources/services/list",
                "/k8s/resources/services/detail?namespace=shop&service_name=frontend",
                "/k8s/resources/logs/pod?namespace=shop&pod_name=" + frontend,
                "/k8s/resources/logs/container?namespace=shop&container=frontend&pod_name=" + frontend,
                "/k8s/resources/events/resource?namespace=shop&resource_kind=Deployment&resource_name=frontend",
                "/k8s/resources/events/namespace?namespace=shop",
                "/k8s/resources/events/cluster",
                "/api/istio/gateway/list",
                "/api/istio/gateway/detail?namespace=istio-system&gateway_name=shop-gateway",
                "/api/istio/virtualservice/list",
                "/api/istio/virtualservice/detail?namespace=shop&virtualservice_name=frontend",
                "/api/istio/destinationrule/list",
                "/api/istio/destinationrule/detail?namespace=shop&destinationrule_name=frontend",
                "/istio/workloads/istiod/detail",
                "/istio/workloads/istiod/logs",
                "/istio/workloads/istiod/events",
                "/istio/workloads/gateway/detail",
                "/istio/workloads/gateway/logs",
                "/istio/workloads/gateway/events",
                "/istio/health/summary");
    }

    /** Status and cluster name of every read; the values of a few are {@link #representativeEndpointsShowTheApiServersValues}. */
    @Test
    void everyReadEndpointAnswersForTheKubeconfigCluster() {
        for (String path : everyRead()) {
            ApiResponse r = server.client().get(path);
            assertEquals(200, r.status(), path + " " + r);
            assertThat(r.raw()).as(path).doesNotContain(plane.adminToken());
            assertTrue(r.header("X-Cache").isPresent(), path + " carries X-Cache");
            String name = r.data().path("cluster_name").asString();
            assertTrue(name.equals(CONTEXT) || r.data().path("cluster_name").isMissingNode(), path + " " + name);
        }
        ApiResponse info = server.client().get("/k8s/cluster/info");
        assertEquals(CONTEXT, info.data().path("cluster_name").asString());
        assertEquals("instant", info.data().path("mode").asString());
        assertEquals(3, info.data().path("node_count").asInt());
    }

    @Test
    void representativeEndpointsShowTheApiServersValues() {
        ApiServerValues.assertShown(server.client()::get, plane.admin());
    }

    @Test
    void theContextNameIsTheClusterNameAndNoOtherIs() {
        ApiResponse named = server.client().get("/k8s/resources/nodes/list?cluster_name=" + CONTEXT);
        assertEquals(200, named.status(), named.toString());
        assertEquals(3, named.data().path("total").asInt());
        ApiResponse other = server.client().get("/k8s/resources/nodes/list?cluster_name=production");
        assertEquals(404, other.status());
        assertEquals("ClusterNotFound", other.errorType());
    }

    @Test
    void theRegistryBelongsToServerMode() {
        ApiResponse add = server.client().post("/k8s/cluster/add", """
                {"name": "x", "api_server": "%s", "token": "t"}""".formatted(plane.url()));
        assertEquals(400, add.status(), add.toString());
        assertEquals(400, server.client().get("/k8s/cluster/list").status());
        assertEquals(400, server.client().delete("/k8s/cluster/remove?cluster_name=x").status());
    }

    @Test
    void aDryRunScaleGoesToTheApiServer() {
        ApiResponse r = server.client().post("/k8s/resources/deployments/scaling", """
                {"namespace": "shop", "deployment_name": "frontend", "replicas": 7, "dry_run": true}""");
        assertEquals(200, r.status(), r.toString());
        assertEquals(2, r.data().path("previous_replicas").asInt());
        assertEquals(7, r.data().path("replicas").asInt());
        assertEquals(2, plane.admin().apps().deployments().inNamespace("shop").withName("frontend").get().getSpec()
                .getReplicas().intValue(), "a dry run changes nothing");
    }
}
