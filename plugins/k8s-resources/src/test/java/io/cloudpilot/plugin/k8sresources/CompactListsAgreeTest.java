package io.cloudpilot.plugin.k8sresources;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The platform keeps lists of pods and Deployments compact (only the fields views read, docs/performance.md): every
 * list item still shows what the cluster's own object says. Expected values are computed here from the objects the
 * sandbox's API serves, for every pod and Deployment of the fixtures.
 */
class CompactListsAgreeTest {

    private static CloudPilotTestServer server;

    @BeforeAll
    static void start() {
        server = CloudPilotTestServer.builder().start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, JsonNode> byKey(JsonNode items) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode n : Items.list(items)) {
            out.put(n.path("namespace").asString() + "/" + n.path("name").asString(), n);
        }
        return out;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        return out;
    }

    @Test
    void everyPodOfTheListShowsWhatItsObjectSays() {
        List<Pod> pods = server.sandbox().client().pods().inAnyNamespace().list().getItems();
        Map<String, JsonNode> listed = byKey(server.client().get("/k8s/resources/pods/list?page_size=1000").data()
                .path("pods"));
        assertEquals(pods.size(), listed.size());
        for (Pod p : pods) {
            String key = p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
            JsonNode item = listed.get(key);
            List<ContainerStatus> statuses = p.getStatus().getContainerStatuses() == null ? List.of()
                    : p.getStatus().getContainerStatuses();
            long ready = statuses.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
            int restarts = statuses.stream().mapToInt(c -> c.getRestartCount() == null ? 0 : c.getRestartCount()).sum();
            OwnerReference owner = p.getMetadata().getOwnerReferences().stream()
                    .filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(null);
            assertEquals(p.getStatus().getPhase(), item.path("phase").asString(), key);
            assertEquals(ready + "/" + p.getSpec().getContainers().size(), item.path("ready").asString(), key);
            assertEquals(restarts, item.path("restart_count").asInt(), key);
            assertEquals(String.valueOf(p.getSpec().getNodeName()), item.path("node_name").asString("null"), key);
            assertEquals(String.valueOf(p.getStatus().getPodIP()), item.path("pod_ip").asString("null"), key);
            assertEquals(String.valueOf(p.getStatus().getQosClass()), item.path("qos_class").asString("null"), key);
            assertEquals(owner == null ? "null" : owner.getKind() + "/" + owner.getName(),
                    item.path("owner").asString("null"), key);
            assertEquals(p.getMetadata().getCreationTimestamp(), item.path("created_at").asString(), key);
            assertEquals(new TreeMap<>(p.getMetadata().getLabels()), strings(item.path("labels")), key);
        }
    }

    @Test
    void everyDeploymentOfTheListShowsWhatItsObjectSays() {
        List<Deployment> deployments = server.sandbox().client().apps().deployments().inAnyNamespace().list()
                .getItems();
        Map<String, JsonNode> listed = byKey(server.client()
                .get("/k8s/resources/deployments/list?page_size=1000").data().path("deployments"));
        assertEquals(deployments.size(), listed.size());
        for (Deployment d : deployments) {
            String key = d.getMetadata().getNamespace() + "/" + d.getMetadata().getName();
            JsonNode item = listed.get(key);
            var status = d.getStatus();
            assertEquals(d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(),
                    item.path("desired_replicas").asInt(), key);
            assertEquals(status.getReadyReplicas() == null ? 0 : status.getReadyReplicas(),
                    item.path("ready_replicas").asInt(), key);
            assertEquals(status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas(),
                    item.path("updated_replicas").asInt(), key);
            assertEquals(d.getSpec().getStrategy().getType(), item.path("strategy_type").asString(), key);
            assertEquals(d.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getImage).toList(),
                    Items.texts(item.path("images")), key);
            assertEquals(new TreeMap<>(d.getSpec().getSelector().getMatchLabels()), strings(item.path("selector")), key);
        }
    }
}
