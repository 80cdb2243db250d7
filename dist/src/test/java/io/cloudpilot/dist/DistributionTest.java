package io.cloudpilot.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.PluginJars;
import io.cloudpilot.testkit.SecretLedger;
import io.cloudpilot.testkit.SqliteFiles;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembled distribution, installed in a temporary directory and started as an operator starts it
 * ({@code bin/cloudpilot demo}), with the example plugin ({@code examples/hello-plugin}) dropped into its
 * {@code plugins/}.
 */
class DistributionTest {

    private static final List<String> BUILT_IN = List.of("k8s-resources", "istio-workloads", "istio-config",
            "istio-health");

    private static Path distDir;
    private static Path work;
    private static Path log;
    private static Process process;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        Installation installation = Installation.copy();
        distDir = installation.home();
        work = installation.work();
        // what an operator does with a third party's plugin: copy its jar into plugins/ and (re)start
        Files.copy(Installation.examplePluginJar(), distDir.resolve("plugins/cloudpilot-hello-plugin.jar"));
        // and a jar in ./dist/plugins of the working directory, which was once a default plugin directory: never again
        PluginJars.build(work.resolve("dist/plugins/greeter.jar"), PluginJars.helloPlugin("ext.greeter", "greeter", ""),
                Map.of("Plugin-Id", "greeter", "Plugin-Spi-Version", "1"), "ext.greeter.HelloPlugin");
        int port = Installation.freePort();
        log = SecretLedger.directory().resolve("distribution-demo.log"); // under target/: the secret scan reads it
        Files.createDirectories(log.getParent());
        // the data directory from the environment, as a container or a systemd unit sets it
        process = installation.start(log, Map.of("CLOUDPILOT_DATA_DIR", work.resolve("demo-data").toString()), "demo",
                "--port", Integer.toString(port));
        api = new ApiClient("http://127.0.0.1:" + port);
        Installation.awaitReady(process, api, log);
        SecretLedger.record("the demo's sandbox token", sandboxToken());
        SecretLedger.recordKubeconfig("the demo's sandbox", work.resolve("demo-data/demo/kubeconfig.yaml"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (process == null) {
            return;
        }
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "cloudpilot stops on SIGTERM");
    }

    @Test
    void everythingOfTheDemoIsInItsDataDirectory() {
        // issue 20: with CLOUDPILOT_DATA_DIR the sandbox's kubeconfig still went to ./data
        assertTrue(Files.isRegularFile(work.resolve("demo-data/demo/kubeconfig.yaml")));
        assertTrue(Files.isRegularFile(work.resolve("demo-data/cloudpilot.db")));
        assertFalse(Files.exists(work.resolve("data")), "nothing under ./data of the working directory");
    }

    @Test
    void printsWhereTheSwaggerUiIs() throws Exception {
        // printed once the server is up, which may be just after /health/ready first answers
        Instant deadline = Instant.now().plusSeconds(20);
        while (!Files.readString(log).contains("Swagger UI: http://127.0.0.1:") && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(Files.readString(log)).as(Files.readString(log)).contains("Swagger UI: http://127.0.0.1:");
    }

    @Test
    void healthReady() {
        ApiResponse r = api.get("/health/ready");
        assertEquals(200, r.status());
        assertThat(r.raw()).as(r.raw()).contains("UP");
    }

    @Test
    void openApiDocumentsPluginEndpoints() {
        ApiResponse r = api.get("/openapi");
        assertEquals(200, r.status());
        assertThat(r.raw()).as("plugins in their own class loaders are documented").contains("/k8s/overview/cluster");
        assertThat(r.raw()).contains("/k8s/cluster/info");
        assertThat(r.raw()).contains("ErrorEnvelope");
        assertEquals(200, api.get("/openapi/ui/index.html").status());
    }

    @Test
    void everyOperationHasAUniqueStableOperationId() {
        JsonNode paths = openApi().path("paths");
        java.util.Set<String> ids = new java.util.HashSet<>();
        int operations = 0;
        for (var path : paths.properties()) {
            for (var op : path.getValue().properties()) {
                operations++;
                String id = op.getValue().path("operationId").asString("");
                assertTrue(id.matches("[a-z]+[A-Z][A-Za-z0-9]*"), op.getKey() + " " + path.getKey() + ": '" + id + "'");
                assertTrue(ids.add(id), "operationId " + id + " is used twice");
            }
        }
        assertTrue(operations > 30, "the built-in plugins' and the example's operations: " + operations);
        // the naming rule of docs/api.md: method, then every path segment's words capitalised
        assertEquals("getK8sOverviewCluster", paths.path("/k8s/overview/cluster").path("get").path("operationId").asString());
        assertEquals("postK8sResourcesDeploymentsScaling", paths.path("/k8s/resources/deployments/scaling").path("post")
                .path("operationId").asString());
        assertEquals("getHelloGreeting", paths.path("/hello/greeting").path("get").path("operationId").asString());
    }

    @Test
    void schemaNamesAreQualifiedByTheirPluginAndNeverNumbered() {
        JsonNode doc = openApi();
        List<String> names = new java.util.ArrayList<>();
        doc.path("components").path("schemas").properties().forEach(e -> names.add(e.getKey()));
        for (String name : names) {
            if (!name.equals("ErrorEnvelope")) {
                assertTrue(name.matches("[A-Z][A-Za-z0-9]*(_[A-Z][A-Za-z0-9]*)+"), "not qualified: " + name);
            }
            for (String other : names) {
                assertFalse(other.matches(java.util.regex.Pattern.quote(name) + "[0-9]+"),
                        "numbered duplicate: " + name + " and " + other);
            }
        }
        // two records named ConditionView in one plugin, one in another; Report of the example plugin
        assertTrue(names.containsAll(List.of("K8sResources_PodViews_PodConditionView",
                "K8sResources_DeploymentViews_ConditionView", "IstioWorkloads_WorkloadDetails_ConditionView",
                "Hello_NamespaceOwners_Report", "Platform_PluginsResource_PluginList")), names.toString());
        assertEquals("#/components/schemas/Hello_NamespaceOwners_Report", doc.path("paths").path("/hello/namespaces")
                .path("get").path("responses").path("200").path("content").path("application/json").path("schema")
                .path("properties").path("data").path("$ref").asString(), "the operation refers to the renamed schema");
    }

    private static JsonNode openApi() {
        ApiResponse r = api.get("/openapi?format=json");
        assertEquals(200, r.status());
        return tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.raw());
    }

    @Test
    void demoRunsServerModeWithTheSandboxRegistered() {
        ApiResponse list = api.get("/k8s/cluster/list");
        assertEquals(200, list.status(), list.toString());
        assertEquals("sandbox", list.data().path("clusters").path(0).path("name").asString(), list.toString());
        assertThat(list.raw()).as("no credential in the list: " + list.raw()).doesNotContain(sandboxToken());
        ApiResponse missing = api.get("/k8s/overview/cluster");
        assertEquals(400, missing.status(), "server mode requires cluster_name");
    }

    @Test
    void clusterInfoOfTheSandbox() {
        ApiResponse r = api.get("/k8s/cluster/info?cluster_name=sandbox");
        assertEquals(200, r.status(), r.toString());
        assertEquals("sandbox", r.data().path("cluster_name").asString());
        assertEquals(4, r.data().path("node_count").asInt());
    }

    @Test
    void overviewOfTheSandbox() {
        ApiResponse r = api.get("/k8s/overview/cluster?cluster_name=sandbox");
        assertEquals(200, r.status(), r.toString());
        assertEquals(4, r.data().path("nodes").path("total").asInt());
        assertTrue(r.data().path("workloads").path("pods").path("total").asInt() > 10, r.toString());
        assertEquals(0, r.data().path("unavailable").size(), r.toString());
    }

    @Test
    void healthSummaryGathersEveryPluginsContribution() {
        ApiResponse r = api.get("/istio/health/summary?cluster_name=sandbox");
        assertEquals(200, r.status(), r.toString());
        JsonNode d = r.data();
        assertEquals("full", d.path("confidence").asString(), r.toString());
        assertEquals("1.22.1", d.path("control_plane").path("workloads").path(0).path("version").asString(),
                "istio-workloads reports the control plane");
        assertEquals("203.0.113.10", d.path("gateways").path("workloads").path(0).path("external_addresses").path(0)
                .asString(), "istio-workloads reports the gateways");
        assertTrue(d.path("configuration").path("errors").asInt() > 0, "istio-config reports validations: " + d);
        List<String> sources = new java.util.ArrayList<>();
        d.path("top_issues").forEach(i -> sources.add(i.path("source").asString()));
        assertTrue(sources.containsAll(List.of("istio-config", "istio-workloads", "istio-health")), sources.toString());
        assertEquals("critical", d.path("top_issues").path(0).path("severity").asString());
    }

    @Test
    void builtInPluginsLoadFromTheirOwnDirectories() {
        for (String id : BUILT_IN) {
            JsonNode p = listedPlugin(id);
            assertEquals("loaded", p.path("status").asString(), p.toString());
            assertTrue(p.path("source").asString().startsWith(distDir.resolve("plugins").resolve(id).toString()),
                    "loaded from plugins/" + id + ", not the class path: " + p);
        }
    }

    @Test
    void demoLoadsTheDemoPluginFromOutsidePlugins() {
        JsonNode demo = listedPlugin("demo");
        assertEquals("loaded", demo.path("status").asString(), demo.toString());
        assertThat(demo.path("source").asString()).as(demo.toString())
                .startsWith(distDir.resolve("demo/plugins/demo").toString());
        assertFalse(Files.exists(distDir.resolve("plugins/demo")), "the demo plugin is not in the production plugins/");
        assertFalse(Files.exists(distDir.resolve("plugins/sandbox")), "no sandbox plugin in plugins/");
        JsonNode plugins = api.get("/plugins").data().path("plugins");
        assertThat(plugins.toString()).as(plugins.toString()).doesNotContain("\"sandbox\"");
    }

    @Test
    void examplePluginDroppedIntoPluginsIsLoadedFromItsJar() {
        JsonNode hello = listedPlugin("hello");
        assertEquals("loaded", hello.path("status").asString(), hello.toString());
        assertEquals("1.0.0", hello.path("version").asString(), hello.toString());
        assertEquals(distDir.resolve("plugins/cloudpilot-hello-plugin.jar").toString(), hello.path("source").asString());
    }

    @Test
    void jarInDistPluginsOfTheWorkingDirectoryIsNeverLoaded() {
        assertEquals(404, api.get("/greeter/greeting").status());
        JsonNode plugins = api.get("/plugins").data().path("plugins");
        assertThat(plugins.toString()).as("plugins come from absolute directories only: " + plugins).doesNotContain("greeter");
    }

    @Test
    void examplePluginEndpointAnswersInTheEnvelope() {
        ApiResponse r = api.get("/hello/greeting?name=operator");
        assertEquals(200, r.status(), r.toString());
        assertEquals(200, r.code(), r.toString());
        assertEquals("ok", r.message());
        assertEquals("hello, operator", r.data().path("greeting_text").asString());
        ApiResponse owners = api.get("/hello/namespaces?cluster_name=sandbox");
        assertEquals(200, owners.status(), owners.toString());
        assertThat(owners.data().path("without_owner").toString()).as(owners.toString()).contains("\"shop\"");
        ApiResponse missing = api.get("/hello/namespaces");
        assertEquals(400, missing.status(), "server mode: the platform's cluster_name rule holds in a plugin too");
        assertEquals("ValidationError", missing.errorType());
    }

    @Test
    void examplePluginsHealthContributorIsInTheSummary() {
        ApiResponse r = api.get("/istio/health/summary?cluster_name=sandbox");
        assertEquals(200, r.status(), r.toString());
        JsonNode section = r.data().path("contributions").path("hello");
        assertEquals("team", section.path("owner_label").asString(), r.toString());
        assertThat(section.path("namespaces_without_owner").toString()).as(section.toString()).contains("\"shop\"");
        assertTrue(StreamSupport.stream(r.data().path("top_issues").spliterator(), false)
                        .anyMatch(i -> i.path("source").asString().equals("hello")
                                && i.path("code").asString().equals("NamespaceWithoutOwner")
                                && i.path("severity").asString().equals("info")),
                "the example's findings are among the summary's issues: " + r.data().path("top_issues"));
        assertEquals("full", r.data().path("confidence").asString(), "the contributor reported: " + r);
    }

    @Test
    void logNeverContainsTheClusterToken() throws IOException {
        api.get("/k8s/overview/cluster?cluster_name=sandbox&force_refresh=true");
        String token = sandboxToken();
        assertTrue(token.length() >= 16);
        assertThat(Files.readString(log)).as("the sandbox's bearer token is in the server log").doesNotContain(token);
        String db = SqliteFiles.text(work.resolve("demo-data/cloudpilot.db"));
        assertThat(db).as("control: the sandbox's row is in the database files read (the WAL "
                + "included), with its api_server in clear").contains(sandboxServer());
        assertThat(db).as("the token is encrypted at rest").doesNotContain(token);
    }

    /** @return the plugin of that id in {@code GET /plugins} */
    private static JsonNode listedPlugin(String id) {
        JsonNode plugins = api.get("/plugins").data().path("plugins");
        return StreamSupport.stream(plugins.spliterator(), false).filter(n -> n.path("id").asString().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("plugin " + id + " is not listed: " + plugins));
    }

    /** @return the sandbox's API server URL, from the kubeconfig the demo wrote */
    private static String sandboxServer() throws IOException {
        return Files.readAllLines(work.resolve("demo-data/demo/kubeconfig.yaml")).stream()
                .filter(l -> l.trim().startsWith("server:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim().replace("\"", ""))
                .findFirst().orElseThrow();
    }

    private static String sandboxToken() {
        try {
            return Files.readAllLines(work.resolve("demo-data/demo/kubeconfig.yaml")).stream()
                    .filter(l -> l.trim().startsWith("token:"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim().replace("\"", ""))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
