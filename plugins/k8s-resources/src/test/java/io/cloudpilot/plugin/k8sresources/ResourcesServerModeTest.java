package io.cloudpilot.plugin.k8sresources;

import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every nodes/pods/deployments/services/logs/events endpoint and scaling in server mode: the sandbox registered as
 * cluster {@code sandbox}; cluster_name required, unknown clusters 404; the default max-replicas.
 */
@CloudPilotTest(mode = "server", config = {
        "cloudpilot.request-timeout=PT1.5S" // the last bound of every request, below the cluster's own bounds
})
class ResourcesServerModeTest {

    /** One request per endpoint, without cluster_name. */
    private static final List<String> GETS = List.of(
            "/k8s/resources/nodes/list",
            "/k8s/resources/nodes/detail?node_name=worker-1",
            "/k8s/resources/nodes/capacity",
            "/k8s/resources/pods/list?namespace=shop",
            "/k8s/resources/pods/detail?namespace=shop&pod_name=cart-5b7f9d6c8-z9x8c",
            "/k8s/resources/deployments/list",
            "/k8s/resources/deployments/detail?namespace=shop&deployment_name=cart",
            "/k8s/resources/services/list",
            "/k8s/resources/services/detail?namespace=shop&service_name=legacy",
            "/k8s/resources/logs/pod?namespace=shop&pod_name=cart-5b7f9d6c8-h4j6k&lines=3",
            "/k8s/resources/logs/container?namespace=shop&pod_name=cart-5b7f9d6c8-h4j6k&container=istio-proxy&lines=3",
            "/k8s/resources/events/resource?namespace=shop&resource_kind=Deployment&resource_name=cart",
            "/k8s/resources/events/namespace?namespace=shop",
            "/k8s/resources/events/cluster");

    private static CloudPilotTestServer server;

    private static String with(String path, String clusterName) {
        return path + (path.contains("?") ? "&" : "?") + "cluster_name=" + clusterName;
    }

    @Test
    void everyEndpointAnswersForTheRegisteredCluster() {
        for (String path : GETS) {
            ApiResponse r = server.client().get(with(path, "sandbox"));
            assertEquals(200, r.status(), path + " " + r);
            assertEquals("sandbox", r.data().path("cluster_name").asString(), path);
        }
        ApiResponse pod = server.client().get(with("/k8s/resources/pods/detail?namespace=shop&pod_name=cart-5b7f9d6c8-z9x8c", "sandbox"));
        assertEquals("CrashLoopBackOff", pod.data().path("status").asString());
        ApiResponse nodes = server.client().get(with("/k8s/resources/nodes/list", "sandbox"));
        assertEquals(4, nodes.data().path("total").asInt());
    }

    @Test
    void clusterNameIsRequiredAndMustBeRegistered() {
        for (String path : GETS) {
            ApiResponse missing = server.client().get(path);
            assertEquals(400, missing.status(), path + " " + missing);
            assertThat(missing.message()).as(path + ": " + missing.message()).contains("cluster_name");
            ApiResponse unknown = server.client().get(with(path, "production"));
            assertEquals(404, unknown.status(), path + " " + unknown);
            assertEquals("ClusterNotFound", unknown.errorType(), path);
        }
    }

    @Test
    void openApiDocumentsEveryEndpointAndItsParameters() {
        ApiResponse r = server.client().get("/openapi?format=JSON");
        assertEquals(200, r.status(), r.toString());
        JsonNode doc = JsonMapper.builder().build().readTree(r.raw());
        for (String path : GETS) {
            String bare = path.substring(0, path.indexOf('?') < 0 ? path.length() : path.indexOf('?'));
            JsonNode get = doc.path("paths").path(bare).path("get");
            assertFalse(get.isMissingNode(), bare + " is in the OpenAPI document");
            assertFalse(get.path("description").asString().isBlank(), bare);
            for (JsonNode p : get.path("parameters")) {
                assertFalse(p.path("description").asString().isBlank(), bare + " parameter " + p);
            }
        }
        JsonNode scale = doc.path("paths").path("/k8s/resources/deployments/scaling").path("post");
        assertFalse(scale.isMissingNode());
        assertThat(r.raw()).as("response fields are documented in snake_case").contains("previous_replicas");
        assertThat(r.raw()).contains("usage_unavailable_reason");
        assertThat(r.raw()).as("response fields carry their descriptions").contains("what kubectl get pods shows");
    }

    @Test
    void aSlowClusterIsCutByTheRequestDeadline() {
        server.sandbox().setLatency(java.time.Duration.ofSeconds(4));
        try {
            ApiResponse r = server.client().get("/k8s/resources/pods/list?cluster_name=sandbox&force_refresh=true");
            assertEquals(503, r.status(), r.toString());
            assertEquals("ClusterTimeout", r.errorType());
            assertThat(r.message()).as(r.message()).contains("within 1.5 s");
        } finally {
            server.sandbox().setLatency(java.time.Duration.ZERO);
        }
    }

    @Test
    void scalingInServerMode() {
        String path = "/k8s/resources/deployments/scaling";
        ApiResponse noCluster = server.client().post(path, "{\"namespace\":\"shop\",\"deployment_name\":\"catalog\",\"replicas\":3}");
        assertEquals(400, noCluster.status(), noCluster.toString());
        assertThat(noCluster.message()).as(noCluster.message()).contains("cluster_name");
        ApiResponse unknown = server.client().post(path,
                "{\"cluster_name\":\"production\",\"namespace\":\"shop\",\"deployment_name\":\"catalog\",\"replicas\":3}");
        assertEquals(404, unknown.status(), unknown.toString());
        ApiResponse tooMany = server.client().post(path,
                "{\"cluster_name\":\"sandbox\",\"namespace\":\"shop\",\"deployment_name\":\"catalog\",\"replicas\":1001}");
        assertEquals(400, tooMany.status(), tooMany.toString());
        assertThat(tooMany.message()).as("the default maximum: " + tooMany.message()).contains("1000");
        ApiResponse ok = server.client().post(path,
                "{\"cluster_name\":\"sandbox\",\"namespace\":\"shop\",\"deployment_name\":\"catalog\",\"replicas\":3}");
        assertEquals(200, ok.status(), ok.toString());
        assertEquals(2, ok.data().path("previous_replicas").asInt());
        assertEquals(3, server.sandbox().client().apps().deployments().inNamespace("shop").withName("catalog").get()
                .getSpec().getReplicas());
        ApiResponse detail = server.client().get("/k8s/resources/deployments/detail?cluster_name=sandbox&namespace=shop"
                + "&deployment_name=catalog");
        assertEquals(3, detail.data().path("replicas").path("desired").asInt());
    }
}
