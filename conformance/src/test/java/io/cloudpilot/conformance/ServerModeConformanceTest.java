package io.cloudpilot.conformance;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.cloudpilot.testkit.Wait;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static io.cloudpilot.conformance.Json.find;
import static io.cloudpilot.conformance.Json.list;
import static io.cloudpilot.conformance.Json.strings;
import static io.cloudpilot.conformance.Json.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint in server mode against the real control plane, registered through {@code POST /k8s/cluster/add}
 * with the admin token as cluster {@code real}. Values are checked against the seeded {@link Topology} and
 * against what the API server itself says (read with fabric8 at the same time).
 */
@Order(1)
@ExtendWith(ConformanceCluster.class)
class ServerModeConformanceTest {

    static final String CLUSTER = "real";

    private static CloudPilotTestServer server;
    private static ControlPlane plane;
    private static KubernetesClient admin;
    /** every log record of the in-process server, formatted with its parameters and stack traces */
    @SuppressWarnings("JdkObsolete") // appended to from the server's threads: StringBuffer's locking is wanted
    private static final StringBuffer LOG = new StringBuffer();
    private static final java.util.logging.Handler CAPTURE = new java.util.logging.Handler() {
        private final java.util.logging.SimpleFormatter format = new java.util.logging.SimpleFormatter();

        @Override
        public void publish(java.util.logging.LogRecord record) {
            LOG.append(format.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() {
        java.util.logging.Logger.getLogger("").addHandler(CAPTURE);
        plane = ConformanceCluster.plane();
        admin = plane.admin();
        server = CloudPilotTestServer.builder().mode("server").sandbox(false).pluginDirs(Plugins.dirs()).start();
        ApiResponse added = server.client().post("/k8s/cluster/add", """
                {"name": "%s", "api_server": "%s", "token": "%s", "ca_data": "%s",
                 "description": "kube-apiserver on loopback"}
                """.formatted(CLUSTER, plane.url(), plane.adminToken(), plane.caData()));
        assertEquals(200, added.status(), added.toString());
    }

    @AfterAll
    static void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(CAPTURE);
        }
        assertTrue(LOG.length() > 0, "the server logged through java.util.logging");
        assertThat(LOG.toString()).as("the token never appears in a log line").doesNotContain(plane.adminToken());
    }

    static ApiResponse get(String path) {
        ApiResponse r = server.client().get(path + (path.contains("?") ? "&" : "?") + "cluster_name=" + CLUSTER);
        assertThat(r.raw()).as("the answer never carries the token").doesNotContain(plane.adminToken());
        return r;
    }

    static JsonNode ok(String path) {
        ApiResponse r = get(path);
        assertEquals(200, r.status(), path + " " + r);
        assertEquals(200, r.code(), path);
        return r.data();
    }

    // ------------------------------------------------------------------ registry and cluster

    @Test
    void theRegistryShowsTheClusterWithItsRealVersionAndNoSecret() {
        ApiResponse r = server.client().get("/k8s/cluster/list");
        assertEquals(200, r.status(), r.toString());
        assertThat(r.raw()).doesNotContain(plane.adminToken());
        JsonNode real = find(r.data().path("clusters"), "name", CLUSTER);
        assertEquals(plane.url(), real.path("api_server").asString());
        assertEquals("verified-ca-data", real.path("tls_mode").asString());
        assertEquals("token", real.path("auth_kind").asString());
        assertEquals("reachable", real.path("reachability").asString());
        assertEquals("v1.20.2", real.path("server_version").asString(), "the registration probed /version");
    }

    @Test
    void aRegistrationWithoutTheCaIsRefusedBecauseTlsIsVerified() {
        ApiResponse r = server.client().post("/k8s/cluster/add", """
                {"name": "untrusted", "api_server": "%s", "token": "%s"}
                """.formatted(plane.url(), plane.adminToken()));
        assertEquals(503, r.status(), "an API server whose CA is not given is not trusted: " + r);
        assertEquals("ClusterUnavailable", r.errorType());
        assertThat(r.raw()).doesNotContain(plane.adminToken());
        ApiResponse list = server.client().get("/k8s/cluster/list");
        assertThat(list.raw()).as("nothing stored: " + list).doesNotContain("\"untrusted\"");
    }

    @Test
    void aRegistrationWithAWrongTokenIsRefused() {
        ApiResponse r = server.client().post("/k8s/cluster/add", """
                {"name": "wrong-token", "api_server": "%s", "token": "not-a-valid-token", "ca_data": "%s"}
                """.formatted(plane.url(), plane.caData()));
        assertEquals(403, r.status(), "the API server answers 401 to an unknown token: " + r);
        assertEquals("Forbidden", r.errorType());
        assertThat(r.raw()).as("the token is not echoed: " + r).doesNotContain("not-a-valid-token");
    }

    @Test
    void aRegistrationCanBeRemoved() {
        ApiResponse added = server.client().post("/k8s/cluster/add", """
                {"name": "temporary", "api_server": "%s", "token": "%s", "ca_data": "%s"}
                """.formatted(plane.url(), plane.viewerToken(), plane.caData()));
        assertEquals(200, added.status(), added.toString());
        assertEquals(200, server.client().get("/k8s/resources/nodes/list?cluster_name=temporary").status());
        ApiResponse removed = server.client().delete("/k8s/cluster/remove?cluster_name=temporary");
        assertEquals(200, removed.status(), removed.toString());
        ApiResponse gone = server.client().get("/k8s/resources/nodes/list?cluster_name=temporary");
        assertEquals(404, gone.status());
        assertEquals("ClusterNotFound", gone.errorType());
    }

    @Test
    void platformEndpointsReportThePluginsAndTheUpstreamCalls() {
        ok("/k8s/resources/nodes/list?force_refresh=true");
        ApiResponse plugins = server.client().get("/plugins");
        assertEquals(200, plugins.status(), plugins.toString());
        for (String id : Plugins.IDS) {
            JsonNode plugin = find(plugins.data().path("plugins"), "id", id);
            assertEquals("loaded", plugin.path("status").asString(), plugin.toString());
        }
        assertEquals(200, server.client().get("/health/ready").status());
        assertEquals(200, server.client().get("/health/live").status());
        ApiResponse metrics = server.client().method("GET", "/metrics");
        assertEquals(200, metrics.status());
        assertTrue(metrics.raw().contains("cloudpilot_upstream_calls_total") && metrics.raw().contains("\"" + CLUSTER
                + "\""), "upstream calls to the real cluster are counted");
        ApiResponse openapi = server.client().get("/openapi?format=JSON");
        assertEquals(200, openapi.status());
        assertThat(openapi.raw()).contains("/k8s/resources/deployments/scaling");
    }

    @Test
    void clusterInfoReportsTheApiServerNodesAndIstioVersions() {
        JsonNode info = ok("/k8s/cluster/info?force_refresh=true");
        assertEquals("v1.20.2", info.path("cluster_version").asString());
        assertEquals("linux/amd64", info.path("platform").asString());
        assertEquals(3, info.path("node_count").asInt());
        assertEquals(2, info.path("ready_nodes").asInt());
        assertEquals(1, info.path("not_ready_nodes").asInt());
        assertEquals("NotReady", find(info.path("nodes"), "name", "node-c").path("status").asString());
        assertEquals(Set.of("v1beta1", "v1alpha3"),
                Set.copyOf(texts(info.path("api_groups").path("networking.istio.io"))), info.toString());
        assertTrue(info.path("api_groups").path("metrics.k8s.io").isEmpty(), "no metrics server: " + info);
        assertTrue(info.path("istio_installed").asBoolean());
    }

    @Test
    void overviewCountsWhatTheApiServerHas() {
        JsonNode o = ok("/k8s/overview/cluster?force_refresh=true");
        assertEquals(3, o.path("nodes").path("total").asInt());
        assertEquals(2, o.path("nodes").path("ready").asInt());
        List<Pod> pods = admin.pods().inAnyNamespace().list().getItems();
        JsonNode podCounts = o.path("workloads").path("pods");
        assertEquals(pods.size(), podCounts.path("total").asInt(), o.toString());
        assertEquals(pods.stream().filter(p -> "Running".equals(p.getStatus().getPhase())).count(),
                podCounts.path("running").asLong());
        assertEquals(admin.apps().deployments().inAnyNamespace().list().getItems().size(),
                o.path("workloads").path("deployments").asInt());
        assertEquals(admin.services().inAnyNamespace().list().getItems().size(),
                o.path("discovery").path("services").asInt());
        assertEquals(admin.namespaces().list().getItems().size(), o.path("configs").path("namespaces").asInt());
        assertEquals(admin.secrets().inAnyNamespace().list().getItems().size(),
                o.path("configs").path("secrets").asInt());
        assertEquals(8.0, o.path("resources").path("cpu_allocatable_cores").asDouble(), 1e-9, "4 + 2 + 2 cores");
        assertTrue(o.path("unavailable").isEmpty(), o.toString());
    }

    // ------------------------------------------------------------------ nodes

    @Test
    void nodesListWithRealSelectorsAndSorting() {
        JsonNode all = ok("/k8s/resources/nodes/list?sort_by=name&sort_order=desc");
        assertEquals(3, all.path("total").asInt());
        assertEquals(List.of("node-c", "node-b", "node-a"), strings(all.path("nodes"), "name"));
        JsonNode a = find(all.path("nodes"), "name", "node-a");
        assertEquals("Ready", a.path("status").asString());
        assertEquals("127.0.0.1", a.path("internal_ip").asString());
        assertEquals("v1.20.2", a.path("kubelet_version").asString());
        assertEquals(4.0, a.path("cpu_allocatable_cores").asDouble(), 1e-9);
        assertEquals(8L << 30, a.path("memory_allocatable_bytes").asLong());
        assertTrue(a.path("taints").isEmpty(), "the not-ready taint was lifted: " + a);
        JsonNode c = find(all.path("nodes"), "name", "node-c");
        assertEquals("NotReady", c.path("status").asString());
        assertEquals(List.of("node.kubernetes.io/not-ready"), strings(c.path("taints"), "key"),
                "added by the API server's admission: " + c);

        JsonNode byField = ok("/k8s/resources/nodes/list?field_selector=metadata.name%3Dnode-b");
        assertEquals(List.of("node-b"), strings(byField.path("nodes"), "name"));
        JsonNode byLabel = ok("/k8s/resources/nodes/list?label_selector=topology.kubernetes.io%2Fzone%20in%20(zone-b,zone-x)");
        assertEquals(List.of("node-b"), strings(byLabel.path("nodes"), "name"), "set-based selectors work upstream");
        JsonNode notB = ok("/k8s/resources/nodes/list?field_selector=metadata.name!%3Dnode-b");
        assertEquals(Set.of("node-a", "node-c"), Set.copyOf(strings(notB.path("nodes"), "name")));
    }

    @Test
    void nodeDetailAndCapacityAddUpTheScheduledPods() {
        List<Pod> onA = admin.pods().inAnyNamespace().withField("spec.nodeName", "node-a").list().getItems().stream()
                .filter(p -> !Set.of("Succeeded", "Failed").contains(p.getStatus().getPhase())).toList();
        JsonNode detail = ok("/k8s/resources/nodes/detail?node_name=node-a&force_refresh=true");
        assertEquals("node-a", detail.path("name").asString());
        assertEquals(onA.size(), detail.path("allocated").path("pod_count").asInt(), detail.toString());
        assertEquals(requestedCpu(onA).doubleValue(), detail.path("allocated").path("cpu_requests_cores").asDouble(),
                1e-9);
        assertEquals(onA.size(), detail.path("pods").size());
        assertTrue(detail.path("usage").isNull(), "no metrics.k8s.io here");
        assertThat(detail.path("usage_unavailable_reason").asString()).as(detail.path("usage_unavailable_reason").toString()).contains("metrics.k8s.io");
        assertEquals(List.of("InternalIP", "Hostname"), strings(detail.path("addresses"), "type"));

        JsonNode notReady = ok("/k8s/resources/nodes/detail?node_name=node-c");
        assertThat(strings(notReady.path("health").path("findings"), "code")).as(notReady.path("health").toString()).contains("NodeNotReady");
        assertEquals(0, notReady.path("allocated").path("pod_count").asInt(), "the scheduler avoids the tainted node");

        JsonNode capacity = ok("/k8s/resources/nodes/capacity");
        assertEquals(Set.of("node-a", "node-b", "node-c"), Set.copyOf(strings(capacity.path("capacity_info"), "node_name")));
        JsonNode one = ok("/k8s/resources/nodes/capacity?node_name=node-b");
        assertEquals(1, one.path("capacity_info").size());
        assertEquals(2.0, one.path("capacity_info").get(0).path("resources").path("cpu_capacity_cores").asDouble(), 1e-9);
        assertEquals(404, get("/k8s/resources/nodes/detail?node_name=node-z").status());
    }

    static BigDecimal requestedCpu(List<Pod> pods) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Pod p : pods) {
            for (var c : p.getSpec().getContainers()) {
                var q = c.getResources().getRequests() == null ? null : c.getResources().getRequests().get("cpu");
                if (q != null) {
                    sum = sum.add(q.getNumericalAmount());
                }
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ pods

    @Test
    void podsListShowsKubectlStatusAndHonoursRealFieldSelectors() {
        JsonNode shop = ok("/k8s/resources/pods/list?namespace=shop&force_refresh=true");
        assertEquals(3, shop.path("total").asInt(), shop.toString());
        JsonNode cart = list(shop.path("pods")).stream()
                .filter(p -> p.path("name").asString().startsWith("cart-")).findFirst().orElseThrow();
        assertEquals("CrashLoopBackOff", cart.path("status").asString());
        assertEquals("Running", cart.path("phase").asString());
        assertEquals("1/2", cart.path("ready").asString());
        assertEquals(5, cart.path("restart_count").asInt());
        assertTrue(cart.path("owner").asString().startsWith("ReplicaSet/cart-"), cart.toString());
        for (JsonNode p : list(shop.path("pods"))) {
            if (p.path("name").asString().startsWith("frontend-")) {
                assertEquals("Running", p.path("status").asString());
                assertEquals("2/2", p.path("ready").asString());
            }
        }

        // spec.nodeName and status.phase are served by the API server's field selectors (the mock's gap)
        for (String node : List.of("node-a", "node-b")) {
            Set<String> expected = admin.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems()
                    .stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
            JsonNode onNode = ok("/k8s/resources/pods/list?field_selector=spec.nodeName%3D" + node);
            assertEquals(expected, Set.copyOf(strings(onNode.path("pods"), "name")), node);
        }
        JsonNode running = ok("/k8s/resources/pods/list?namespace=shop&field_selector=status.phase%3DRunning");
        assertEquals(3, running.path("total").asInt());
        JsonNode pending = ok("/k8s/resources/pods/list?namespace=shop&field_selector=status.phase%3DPending");
        assertEquals(0, pending.path("total").asInt());
        JsonNode byLabel = ok("/k8s/resources/pods/list?label_selector=app%20in%20(cart,ledger)");
        assertEquals(2, byLabel.path("total").asInt(), byLabel.toString());
        JsonNode paged = ok("/k8s/resources/pods/list?namespace=shop&page_size=2&page=2&sort_by=name");
        assertEquals(1, paged.path("count").asInt());
        assertEquals(3, paged.path("total").asInt());
    }

    @Test
    void aFieldSelectorTheApiServerRejectsIsABadRequest() {
        ApiResponse r = get("/k8s/resources/pods/list?field_selector=spec.unknownField%3Dx&force_refresh=true");
        assertEquals(400, r.status(), r.toString());
        assertEquals("ValidationError", r.errorType());
        assertTrue(r.message().contains("field_selector") || r.message().contains("field label"), r.message());
    }

    @Test
    void podDetailExplainsTheCrashLoop() {
        Pod cart = ConformanceCluster.topology().pods("shop", "cart").getFirst();
        JsonNode d = ok("/k8s/resources/pods/detail?namespace=shop&pod_name=" + cart.getMetadata().getName());
        assertEquals("CrashLoopBackOff", d.path("status").asString());
        assertEquals(cart.getSpec().getNodeName(), d.path("node_name").asString());
        assertEquals("Ready", d.path("node_status").asString());
        assertEquals("127.0.0.1", d.path("host_ip").asString());
        JsonNode container = find(d.path("containers"), "name", "cart");
        assertEquals("waiting", container.path("state").asString(), container.toString());
        assertEquals("CrashLoopBackOff", container.path("reason").asString());
        assertEquals(5, container.path("restart_count").asInt());
        assertEquals(1, container.path("last_termination").path("exit_code").asInt(), container.toString());
        assertEquals("default", d.path("service_account").asString(), "set by the ServiceAccount admission plugin");
        assertFalse(d.path("health").path("findings").isEmpty(), d.path("health").toString());
        assertEquals(404, get("/k8s/resources/pods/detail?namespace=shop&pod_name=cart-0").status());
    }

    // ------------------------------------------------------------------ deployments and scaling

    @Test
    void deploymentsCarryTheControllersStatus() {
        JsonNode shop = ok("/k8s/resources/deployments/list?namespace=shop&force_refresh=true");
        assertEquals(2, shop.path("total").asInt());
        JsonNode frontend = find(shop.path("deployments"), "name", "frontend");
        assertEquals("2/2", frontend.path("ready").asString());
        assertEquals("complete", frontend.path("rollout_status").asString(), frontend.toString());
        JsonNode cart = find(shop.path("deployments"), "name", "cart");
        assertEquals("0/1", cart.path("ready").asString());
        assertEquals(1, cart.path("unavailable_replicas").asInt());

        JsonNode d = ok("/k8s/resources/deployments/detail?namespace=shop&deployment_name=frontend");
        assertEquals(1, d.path("replicasets").size(), d.path("replicasets").toString());
        JsonNode rs = d.path("replicasets").get(0);
        assertTrue(rs.path("is_current").asBoolean());
        assertEquals(2, rs.path("ready").asInt());
        assertEquals(2, d.path("pods").size());
        assertThat(strings(d.path("conditions"), "type")).as(d.path("conditions").toString()).contains("Available");
        assertEquals(List.of("nginx:1.25.3", Topology.PROXY_IMAGE), texts(d.path("images")));
        assertEquals(404, get("/k8s/resources/deployments/detail?namespace=shop&deployment_name=nope").status());
    }

    @Test
    void scalingChangesSpecReplicasAndTheControllersCreateThePods() {
        String body = """
                {"cluster_name": "%s", "namespace": "scaling", "deployment_name": "scalable", "replicas": %d%s}
                """;
        int before = admin.apps().deployments().inNamespace("scaling").withName("scalable").get().getSpec()
                .getReplicas();
        ApiResponse dry = server.client().post("/k8s/resources/deployments/scaling",
                body.formatted(CLUSTER, before + 4, ", \"dry_run\": true"));
        assertEquals(200, dry.status(), dry.toString());
        assertEquals(before + 4, dry.data().path("replicas").asInt(), "the API server validated the new count");
        assertEquals(before, admin.apps().deployments().inNamespace("scaling").withName("scalable").get().getSpec()
                .getReplicas(), "a dry run changes nothing");

        int target = before + 2;
        ApiResponse scaled = server.client().post("/k8s/resources/deployments/scaling",
                body.formatted(CLUSTER, target, ""));
        assertEquals(200, scaled.status(), scaled.toString());
        assertEquals(before, scaled.data().path("previous_replicas").asInt());
        assertEquals(target, scaled.data().path("replicas").asInt());
        assertEquals(target, admin.apps().deployments().inNamespace("scaling").withName("scalable").get().getSpec()
                .getReplicas().intValue());
        ConformanceCluster.topology().awaitBoundPods("scaling", "scalable", target);
        Wait.until("CloudPilot sees the new pods", Duration.ofSeconds(30), () -> get(
                        "/k8s/resources/deployments/detail?namespace=scaling&deployment_name=scalable&force_refresh=true")
                        .data().path("pods").size() == target,
                () -> get("/k8s/resources/deployments/detail?namespace=scaling&deployment_name=scalable").data()
                        .path("replicas"));

        ApiResponse tooMany = server.client().post("/k8s/resources/deployments/scaling",
                body.formatted(CLUSTER, 5000, ""));
        assertEquals(400, tooMany.status());
        ApiResponse missing = server.client().post("/k8s/resources/deployments/scaling",
                body.formatted(CLUSTER, 1, "").replace("scalable", "absent"));
        assertEquals(404, missing.status(), missing.toString());
    }

    // ------------------------------------------------------------------ services

    @Test
    void servicesShowTheEndpointsTheControllerWrote() {
        JsonNode shop = ok("/k8s/resources/services/list?namespace=shop&force_refresh=true");
        assertEquals(2, shop.path("total").asInt());
        JsonNode frontend = find(shop.path("services"), "name", "frontend");
        assertTrue(frontend.path("cluster_ip").asString().startsWith("10.96."), "allocated by the API server: "
                + frontend);
        assertEquals(2, frontend.path("ready_endpoints").asInt());
        JsonNode cart = ok("/k8s/resources/services/detail?namespace=shop&service_name=cart");
        assertEquals(0, cart.path("endpoints").path("ready_count").asInt(), cart.path("endpoints").toString());
        assertEquals(1, cart.path("endpoints").path("not_ready_count").asInt());
        assertTrue(cart.path("selector_matches_pods").asBoolean());
        JsonNode svc = ok("/k8s/resources/services/detail?namespace=shop&service_name=frontend");
        assertEquals("8080", find(svc.path("endpoints").path("ports"), "name", "http").path("port").asString());
        assertEquals(404, get("/k8s/resources/services/detail?namespace=shop&service_name=nope").status());
    }

    // ------------------------------------------------------------------ logs (API server -> fake kubelet)

    @Test
    void logsComeThroughTheApiServerFromTheKubelet() {
        Pod frontend = ConformanceCluster.topology().pods("shop", "frontend").getFirst();
        String pod = frontend.getMetadata().getName();
        JsonNode all = ok("/k8s/resources/logs/pod?namespace=shop&pod_name=" + pod + "&force_refresh=true");
        assertEquals(List.of("frontend", "istio-proxy"), strings(all.path("containers"), "container"));
        JsonNode main = all.path("containers").get(0);
        assertEquals(6, main.path("line_count").asInt(), main.toString());
        assertEquals(1, main.path("error_count").asInt());
        assertEquals(1, main.path("warning_count").asInt());

        JsonNode tail = ok("/k8s/resources/logs/container?namespace=shop&pod_name=" + pod
                + "&container=frontend&lines=2&timestamps=true&force_refresh=true");
        List<String> lines = texts(tail.path("containers").get(0).path("lines"));
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z GET /api/items 200 28ms"),
                lines.get(1));
        assertTrue(plane.kubelet().requests().stream().anyMatch(q -> q.startsWith("/containerLogs/shop/" + pod
                + "/frontend?") && q.contains("tailLines=2") && q.contains("timestamps=true")),
                "the options reached the kubelet: " + plane.kubelet().requests());

        // sinceSeconds: a log written now, with lines 5 min, 3 min and 10 s old
        plane.kubelet().setLog("payments", "ledger", false, List.of(
                new FakeKubelet.LogLine(java.time.Instant.now().minusSeconds(300), "old line"),
                new FakeKubelet.LogLine(java.time.Instant.now().minusSeconds(180), "older line"),
                new FakeKubelet.LogLine(java.time.Instant.now().minusSeconds(10), "fresh line")));
        Pod ledger = ConformanceCluster.topology().pods("payments", "ledger").getFirst();
        JsonNode since = ok("/k8s/resources/logs/container?namespace=payments&pod_name="
                + ledger.getMetadata().getName() + "&container=ledger&since_seconds=120&force_refresh=true");
        assertEquals(List.of("fresh line"), texts(since.path("containers").get(0).path("lines")));

        Pod cart = ConformanceCluster.topology().pods("shop", "cart").getFirst();
        JsonNode previous = ok("/k8s/resources/logs/container?namespace=shop&pod_name=" + cart.getMetadata().getName()
                + "&container=cart&previous=true&force_refresh=true");
        JsonNode block = previous.path("containers").get(0);
        assertEquals(5, block.path("line_count").asInt(), block.toString());
        assertThat(texts(block.path("lines"))).contains("FATAL cart cannot start without its database");
        // the exception line, the stack frame with its module prefix (java.base/...) and the FATAL line
        assertEquals(3, block.path("error_count").asInt(), block.toString());

        ApiResponse noSuchContainer = get("/k8s/resources/logs/container?namespace=shop&pod_name=" + pod
                + "&container=redis");
        assertEquals(400, noSuchContainer.status());
        assertThat(noSuchContainer.message()).as(noSuchContainer.message()).contains("frontend");
    }

    // ------------------------------------------------------------------ events (real controllers' events)

    @Test
    void eventsIncludeWhatTheRealControllersRecorded() {
        JsonNode d = ok("/k8s/resources/events/resource?namespace=shop&resource_kind=Deployment&resource_name=frontend"
                + "&force_refresh=true");
        Set<String> reasons = Set.copyOf(strings(d.path("events"), "reason"));
        assertThat(reasons).as("the deployment controller's event: " + reasons).contains("ScalingReplicaSet");
        assertThat(reasons).as("the ReplicaSet controller's event: " + reasons).contains("SuccessfulCreate");
        assertThat(reasons).as("the scheduler's event on the pods: " + reasons).contains("Scheduled");
        JsonNode scaling = find(d.path("events"), "reason", "ScalingReplicaSet");
        assertEquals("deployment-controller", scaling.path("source").asString(), scaling.toString());

        JsonNode warnings = ok("/k8s/resources/events/namespace?namespace=shop&field_selector=type%3DWarning"
                + "&force_refresh=true");
        assertEquals(List.of("BackOff"), strings(warnings.path("events"), "reason"));
        assertEquals(12, warnings.path("events").get(0).path("count").asInt());
        assertEquals(1, warnings.path("summary").path("warnings").asInt());

        JsonNode cluster = ok("/k8s/resources/events/cluster?force_refresh=true&page_size=1");
        int expected = admin.v1().events().inAnyNamespace().list().getItems().size();
        assertTrue(cluster.path("total").asInt() >= expected, cluster.path("total") + " >= " + expected);
        assertEquals(1, cluster.path("count").asInt());
        assertTrue(cluster.path("summary").path("by_reason").has("Scheduled"), cluster.path("summary").toString());
    }

    // ------------------------------------------------------------------ Istio config

    @Test
    void istioConfigIsReadAtTheNewestServedVersionWithItsProblems() {
        JsonNode gateways = ok("/api/istio/gateway/list?force_refresh=true");
        assertEquals(Set.of("shop-gateway", "orphan-gateway"), Set.copyOf(strings(gateways.path("gateways"), "name")),
                "objects written at v1alpha3 and v1beta1 are read at one version");
        JsonNode shopGateway = ok("/api/istio/gateway/detail?namespace=istio-system&gateway_name=shop-gateway");
        assertEquals("networking.istio.io/v1beta1", shopGateway.path("metadata").path("api_version").asString());
        JsonNode missingSecret = find(shopGateway.path("validations"), "code", "GatewaySecretNotFound");
        assertEquals("error", missingSecret.path("severity").asString());
        assertTrue(missingSecret.path("path").asString().startsWith("spec.servers[0]"), missingSecret.toString());
        JsonNode orphan = ok("/api/istio/gateway/detail?namespace=shop&gateway_name=orphan-gateway");
        assertThat(strings(orphan.path("validations"), "code")).as(orphan.path("validations").toString()).contains("GatewaySelectorNoWorkload");

        JsonNode vsErrors = ok("/api/istio/virtualservice/list?has_errors=true");
        assertEquals(List.of("cart"), strings(vsErrors.path("virtualservices"), "name"));
        JsonNode cart = ok("/api/istio/virtualservice/detail?namespace=shop&virtualservice_name=cart");
        List<String> codes = strings(cart.path("validations"), "code");
        assertThat(codes).as(codes.toString()).contains("VirtualServiceGatewayNotFound");
        assertThat(codes).as(codes.toString()).contains("VirtualServiceSubsetNotFound");
        assertEquals("spec.http[0].route[0].destination.subset",
                find(cart.path("validations"), "code", "VirtualServiceSubsetNotFound").path("path").asString());
        JsonNode frontend = ok("/api/istio/virtualservice/detail?namespace=shop&virtualservice_name=frontend");
        assertEquals(0, frontend.path("error_count").asInt(), frontend.path("validations").toString());

        JsonNode rules = ok("/api/istio/destinationrule/list?sort_by=name");
        assertEquals(List.of("cart", "external-payments", "frontend", "ghost"),
                strings(rules.path("destinationrules"), "name"));
        JsonNode ghost = ok("/api/istio/destinationrule/detail?namespace=payments&destinationrule_name=ghost");
        assertThat(strings(ghost.path("validations"), "code")).as(ghost.path("validations").toString()).contains("DestinationRuleHostNotFound");
        JsonNode external = ok("/api/istio/destinationrule/detail?namespace=payments"
                + "&destinationrule_name=external-payments");
        assertThat(strings(external.path("validations"), "code")).as("a ServiceEntry host is a known host: " + external.path("validations")).doesNotContain("DestinationRuleHostNotFound");
        assertTrue(external.path("not_validated").isEmpty(), external.toString());
        JsonNode frontendRule = ok("/api/istio/destinationrule/detail?namespace=shop&destinationrule_name=frontend");
        assertThat(strings(frontendRule.path("validations"), "code")).as(frontendRule.path("validations").toString()).contains("DestinationRuleSubsetNoPods");
        assertEquals(404, get("/api/istio/gateway/detail?namespace=shop&gateway_name=nope").status());
    }

    // ------------------------------------------------------------------ Istio workloads and health

    @Test
    void istioWorkloadsAreFoundByLabelWithLogsAndEvents() {
        JsonNode istiod = ok("/istio/workloads/istiod/detail?force_refresh=true");
        JsonNode workload = istiod.path("workloads").get(0);
        assertNotNull(workload);
        assertEquals("istiod", workload.path("name").asString(), istiod.toString());
        assertThat(workload.toString()).as(workload.toString()).contains(Topology.ISTIO_VERSION);
        JsonNode logs = ok("/istio/workloads/istiod/logs?force_refresh=true");
        assertThat(logs.toString()).as(logs.toString()).contains("ADS:LDS: ACK ERROR cart.shop");
        JsonNode events = ok("/istio/workloads/istiod/events?force_refresh=true");
        assertThat(events.toString()).as(events.toString()).contains("ScalingReplicaSet");

        JsonNode gateway = ok("/istio/workloads/gateway/detail?force_refresh=true");
        assertEquals("istio-ingressgateway", gateway.path("workloads").get(0).path("name").asString(),
                gateway.toString());
        JsonNode gatewayLogs = ok("/istio/workloads/gateway/logs?lines=1&force_refresh=true");
        assertThat(gatewayLogs.toString()).as(gatewayLogs.toString()).contains("route_not_found");
        assertThat(gatewayLogs.toString()).as("lines=1 is the tail").doesNotContain("Envoy proxy is ready");
        JsonNode gatewayEvents = ok("/istio/workloads/gateway/events");
        assertThat(gatewayEvents.toString()).as(gatewayEvents.toString()).contains("SuccessfulCreate");

        ApiResponse elsewhere = get("/istio/workloads/istiod/detail?namespace=shop");
        assertEquals(404, elsewhere.status());
        assertEquals("NotFound", elsewhere.errorType(), "istiod runs in istio-system: " + elsewhere);
        assertThat(elsewhere.message()).as(elsewhere.message()).contains("namespace=istio-system");
    }

    @Test
    void meshHealthSummaryNamesTheSeededProblems() {
        JsonNode s = ok("/istio/health/summary?force_refresh=true");
        List<String> codes = strings(s.path("top_issues"), "code");
        assertThat(codes).as("payments/ledger runs without istio-proxy: " + codes).contains("SidecarMissing");
        assertTrue(codes.contains("GatewaySecretNotFound") || codes.contains("VirtualServiceGatewayNotFound"),
                codes.toString());
        assertTrue(s.path("score").asInt() < 100, s.toString());
        assertEquals("critical", s.path("status").asString(), s.toString());
    }
}
