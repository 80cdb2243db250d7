package io.cloudpilot.conformance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static io.cloudpilot.conformance.Json.strings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Label and field selectors mean what the real API server makes of them: for each selector, valid or not, the
 * pods CloudPilot lists (or its 400) are the pods kube-apiserver lists (or its 400), both when the selector is
 * passed to the cluster (TTL cache) and when the watch cache evaluates it in memory ({@code cache.mode=watch}).
 */
@Order(2)
@ExtendWith(ConformanceCluster.class)
class SelectorConformanceTest {

    private static final String CLUSTER = "real";

    /** Label selectors over the seeded pods: each operator, blanks where Kubernetes allows them, and mistakes. */
    private static final List<String> LABEL_SELECTORS = List.of(
            "app=frontend", "app==frontend", "app!=frontend", "app in (frontend,cart)", "app in(frontend,cart)",
            "app notin (frontend)", "app in (frontend,,ledger)", "version", "!version", "version,app!=frontend",
            "app in ()", "app notin ()", "app in (in)", "pod-template-hash", " app = frontend ", "app>1", "app<1",
            "app in (frontend", "app=-x", ",app", "app,", "a b", "app in (x y)", "!app=frontend",
            "Example.com/app", "app=frontend,,version", "app in frontend", "app>x");

    /** Field selectors over pods, including ones the API server refuses. */
    private static final List<String> FIELD_SELECTORS = List.of(
            "status.phase=Running", "metadata.namespace=shop", "metadata.namespace!=shop",
            "metadata.namespace==shop,status.phase=Running", "spec.nodeName=node-a", "metadata.name=nothing",
            "metadata.namespace=shop,", "status.phase = Running", "status.phase", "metadata.name=a=b",
            "metadata.namespace=sh\\op");

    @Test
    void whenTheSelectorGoesToTheCluster() {
        try (CloudPilotTestServer server = server("ttl")) {
            selectWhatTheApiServerSelects(server, "ttl");
        }
    }

    @Test
    void whenTheWatchCacheEvaluatesTheSelector() {
        try (CloudPilotTestServer server = server("watch")) {
            selectWhatTheApiServerSelects(server, "watch");
        }
    }

    /** One server per cache mode (Helidon MP runs one server per JVM at a time). */
    private static CloudPilotTestServer server(String cacheMode) {
        ControlPlane plane = ConformanceCluster.plane();
        CloudPilotTestServer server = CloudPilotTestServer.builder().mode("server").sandbox(false)
                .pluginDirs(Plugins.dirs()).config("cloudpilot.cache.mode", cacheMode).start();
        ApiResponse added = server.client().post("/k8s/cluster/add", """
                {"name": "%s", "api_server": "%s", "token": "%s", "ca_data": "%s"}
                """.formatted(CLUSTER, plane.url(), plane.adminToken(), plane.caData()));
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        return server;
    }

    private static void selectWhatTheApiServerSelects(CloudPilotTestServer server, String cacheMode) {
        int[] labels = compare(server, cacheMode, "label_selector", LABEL_SELECTORS, true);
        assertThat(labels[0]).as("label selectors that select some pods").isGreaterThanOrEqualTo(8);
        assertThat(labels[1]).as("label selectors the API server refuses").isGreaterThanOrEqualTo(8);
        int[] fields = compare(server, cacheMode, "field_selector", FIELD_SELECTORS, false);
        assertThat(fields[0]).as("field selectors that select some pods").isGreaterThanOrEqualTo(4);
        assertThat(fields[1]).as("field selectors the API server refuses").isGreaterThanOrEqualTo(3);
    }

    /** @return how many selectors selected some pods and how many the API server refused */
    private static int[] compare(CloudPilotTestServer server, String cacheMode, String parameter,
                                 List<String> selectors, boolean labels) {
        int matchedSome = 0;
        int refused = 0;
        for (String selector : selectors) {
            ListOptionsBuilder options = new ListOptionsBuilder();
            String expected = apiServer(labels ? options.withLabelSelector(selector).build()
                    : options.withFieldSelector(selector).build());
            matchedSome += expected.startsWith("[") && !expected.equals("[]") ? 1 : 0;
            refused += expected.equals("400") ? 1 : 0;
            assertThat(cloudPilot(server, parameter, selector))
                    .as("%s '%s' (cache %s)", parameter, selector, cacheMode).isEqualTo(expected);
        }
        return new int[] {matchedSome, refused};
    }

    /** @return the sorted namespace/name of the pods kube-apiserver lists, or "400" when it refuses the selector */
    private static String apiServer(ListOptions options) {
        try {
            return ConformanceCluster.plane().admin().pods().inAnyNamespace().list(options).getItems().stream()
                    .map(HasMetadata::getMetadata).map(m -> m.getNamespace() + "/" + m.getName()).sorted().toList()
                    .toString();
        } catch (KubernetesClientException e) {
            return String.valueOf(e.getCode());
        }
    }

    /** @return the same for CloudPilot's pod list, or its status when not 200 */
    private static String cloudPilot(CloudPilotTestServer server, String parameter, String selector) {
        ApiResponse r = server.client().get("/k8s/resources/pods/list?page_size=1000&cluster_name=" + CLUSTER + "&"
                + parameter + "=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
        if (r.status() != 200) {
            return String.valueOf(r.status());
        }
        List<String> namespaces = strings(r.data().path("pods"), "namespace");
        List<String> names = strings(r.data().path("pods"), "name");
        return java.util.stream.IntStream.range(0, names.size()).mapToObj(i -> namespaces.get(i) + "/" + names.get(i))
                .sorted().toList().toString();
    }
}
