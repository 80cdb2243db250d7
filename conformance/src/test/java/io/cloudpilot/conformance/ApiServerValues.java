package io.cloudpilot.conformance;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import io.cloudpilot.testkit.ApiResponse;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import tools.jackson.databind.JsonNode;

import static io.cloudpilot.conformance.Json.list;
import static io.cloudpilot.conformance.Json.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What a few representative endpoints show, against what the API server itself says through the admin client (the
 * reads {@code kubectl get} and {@code kubectl logs} make): a sweep of statuses alone passes on an endpoint that
 * answers 200 with nothing, or with another cluster's objects.
 */
final class ApiServerValues {

    private ApiServerValues() {
    }

    /**
     * @param get   makes a CloudPilot request for the cluster under test (adding {@code cluster_name} if needed)
     * @param admin the API server's admin client
     */
    static void assertShown(Function<String, ApiResponse> get, KubernetesClient admin) {
        // kubectl get pods -n shop
        List<String> pods = names(admin.pods().inNamespace("shop").list().getItems());
        assertThat(pods).as("the topology has pods in shop").isNotEmpty();
        JsonNode podList = ok(get, "/k8s/resources/pods/list?namespace=shop&page_size=1000&force_refresh=true");
        assertEquals(pods, strings(podList.path("pods"), "name").stream().sorted().toList(), podList.toString());
        assertEquals(pods.size(), podList.path("total").asInt());

        // kubectl get nodes
        List<String> nodes = names(admin.nodes().list().getItems());
        JsonNode nodeList = ok(get, "/k8s/resources/nodes/list?page_size=1000&force_refresh=true");
        assertEquals(nodes, strings(nodeList.path("nodes"), "name").stream().sorted().toList(), nodeList.toString());
        assertEquals(nodes.size(), ok(get, "/k8s/cluster/info?force_refresh=true").path("node_count").asInt());

        // kubectl get deployment frontend -n shop -o jsonpath='{.spec.replicas}'
        int replicas = admin.apps().deployments().inNamespace("shop").withName("frontend").get().getSpec().getReplicas();
        JsonNode deployment = ok(get, "/k8s/resources/deployments/detail?namespace=shop&deployment_name=frontend"
                + "&force_refresh=true");
        assertEquals(replicas, deployment.path("replicas").path("desired").asInt(), deployment.toString());

        // kubectl get service frontend -n shop -o jsonpath='{.spec.clusterIP}'
        String clusterIp = admin.services().inNamespace("shop").withName("frontend").get().getSpec().getClusterIP();
        JsonNode service = ok(get, "/k8s/resources/services/detail?namespace=shop&service_name=frontend"
                + "&force_refresh=true");
        assertEquals(clusterIp, service.path("cluster_ip").asString(), service.toString());

        // kubectl logs POD -c frontend -n shop
        String pod = ConformanceCluster.topology().pods("shop", "frontend").getFirst().getMetadata().getName();
        List<String> log = Arrays.stream(admin.pods().inNamespace("shop").withName(pod).inContainer("frontend")
                .getLog().split("\n")).filter(l -> !l.isBlank()).toList();
        assertThat(log).as("the fake kubelet serves frontend's log").isNotEmpty();
        JsonNode logs = ok(get, "/k8s/resources/logs/container?namespace=shop&container=frontend&pod_name=" + pod);
        List<String> shown = (logs.has("containers") ? list(logs.path("containers")) : List.of(logs)).stream()
                .flatMap(c -> list(c.path("lines")).stream().map(JsonNode::asString)).toList();
        assertEquals(log, shown, logs.toString());
    }

    private static JsonNode ok(Function<String, ApiResponse> get, String path) {
        ApiResponse r = get.apply(path);
        assertEquals(200, r.status(), path + " " + r);
        return r.data();
    }

    private static List<String> names(List<? extends HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
    }
}
