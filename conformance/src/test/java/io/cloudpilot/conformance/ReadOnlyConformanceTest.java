package io.cloudpilot.conformance;

import java.util.Locale;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.Pod;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static io.cloudpilot.conformance.Json.find;
import static io.cloudpilot.conformance.Json.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster registered a second time with the read-only token (ClusterRole {@code view} plus node read): what
 * the role allows answers with the values the API server gives the admin ({@link ApiServerValues}), what it does not is a 403 {@code Forbidden} or a list named as
 * unavailable, never a 500 and never an empty list that looks like "nothing there".
 */
@Order(2)
@ExtendWith(ConformanceCluster.class)
class ReadOnlyConformanceTest {

    static final String CLUSTER = "real-readonly";

    private static CloudPilotTestServer server;
    private static ControlPlane plane;

    @BeforeAll
    static void start() {
        plane = ConformanceCluster.plane();
        server = CloudPilotTestServer.builder().mode("server").sandbox(false).pluginDirs(Plugins.dirs()).start();
        ApiResponse added = server.client().post("/k8s/cluster/add", """
                {"name": "%s", "api_server": "%s", "token": "%s", "ca_data": "%s"}
                """.formatted(CLUSTER, plane.url(), plane.viewerToken(), plane.caData()));
        assertEquals(200, added.status(), added.toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static ApiResponse get(String path) {
        ApiResponse r = server.client().get(path + (path.contains("?") ? "&" : "?") + "cluster_name=" + CLUSTER);
        assertThat(r.raw()).as("the answer never carries the token").doesNotContain(plane.viewerToken());
        assertFalse(r.status() == 500, path + " " + r);
        return r;
    }

    @Test
    void scalingIsForbiddenByTheClusterRbacAndChangesNothing() {
        int before = plane.admin().apps().deployments().inNamespace("scaling").withName("scalable").get().getSpec()
                .getReplicas();
        ApiResponse r = server.client().post("/k8s/resources/deployments/scaling", """
                {"cluster_name": "%s", "namespace": "scaling", "deployment_name": "scalable", "replicas": %d}
                """.formatted(CLUSTER, before + 1));
        assertEquals(403, r.status(), r.toString());
        assertEquals("Forbidden", r.errorType());
        assertTrue(r.message().toLowerCase(Locale.ROOT).contains("rbac") || r.message().contains("cluster"), r.message());
        assertEquals(before, plane.admin().apps().deployments().inNamespace("scaling").withName("scalable").get()
                .getSpec().getReplicas().intValue());
    }

    @Test
    void whatTheViewRoleAllowsAnswersWithRealValues() {
        ApiResponse pods = get("/k8s/resources/pods/list?namespace=shop");
        assertEquals(200, pods.status(), pods.toString());
        assertEquals(3, pods.data().path("total").asInt());
        ApiResponse nodes = get("/k8s/resources/nodes/list");
        assertEquals(200, nodes.status(), nodes.toString());
        assertEquals(3, nodes.data().path("total").asInt());
        ApiResponse deployments = get("/k8s/resources/deployments/detail?namespace=shop&deployment_name=frontend");
        assertEquals(200, deployments.status(), deployments.toString());
        ApiResponse events = get("/k8s/resources/events/namespace?namespace=shop");
        assertEquals(200, events.status(), events.toString());
        Pod frontend = ConformanceCluster.topology().pods("shop", "frontend").getFirst();
        ApiResponse logs = get("/k8s/resources/logs/container?namespace=shop&container=frontend&pod_name="
                + frontend.getMetadata().getName());
        assertEquals(200, logs.status(), "view includes pods/log: " + logs);
        ApiResponse info = get("/k8s/cluster/info");
        assertEquals(200, info.status(), info.toString());
        assertEquals(3, info.data().path("node_count").asInt());
        ApiServerValues.assertShown(ReadOnlyConformanceTest::get, plane.admin());
    }

    @Test
    void theOverviewNamesTheListTheRoleMayNotRead() {
        ApiResponse r = get("/k8s/overview/cluster?force_refresh=true");
        assertEquals(200, r.status(), r.toString());
        JsonNode secrets = find(r.data().path("unavailable"), "kind", "secrets");
        assertEquals("Forbidden", secrets.path("error_type").asString(), secrets.toString());
        assertTrue(r.data().path("configs").path("secrets").isNull(), "not zero: " + r.data().path("configs"));
        assertEquals(3, r.data().path("nodes").path("total").asInt());
    }

    @Test
    void istioConfigTheRoleMayNotReadIsForbiddenNotEmpty() {
        for (String path : new String[] {"/api/istio/gateway/list", "/api/istio/virtualservice/list",
                "/api/istio/destinationrule/detail?namespace=payments&destinationrule_name=ghost"}) {
            ApiResponse r = get(path);
            assertEquals(403, r.status(), path + " " + r);
            assertEquals("Forbidden", r.errorType(), path);
        }
    }

    @Test
    void theHealthSummarySaysWhatItCouldNotRead() {
        ApiResponse r = get("/istio/health/summary?force_refresh=true");
        assertEquals(200, r.status(), r.toString());
        assertEquals("partial", r.data().path("confidence").asString(), r.data().toString());
        assertFalse(list(r.data().path("partial")).isEmpty(), r.data().toString());
    }
}
