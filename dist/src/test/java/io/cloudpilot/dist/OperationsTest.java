package io.cloudpilot.dist;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.cloudpilot.sandbox.SandboxCluster;
import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/cloudpilot serve --log-format json} as a process: every log line is one JSON object, the access log
 * records each request without secrets, and SIGTERM lets a slow request in flight finish while new ones are refused.
 */
class OperationsTest {

    private static final String QUERY_SECRET = "s3cr3t-query-value";
    private static final String HEADER_SECRET = "header-secret-4711";

    private static SandboxCluster cluster;
    private static Path log;
    private static Path stdout;
    private static Process process;
    private static ApiClient api;
    private static JsonNode plugins;

    @BeforeAll
    static void start() throws Exception {
        cluster = SandboxCluster.start();
        Installation installation = Installation.copy();
        int port = Installation.freePort();
        log = installation.work().resolve("server.log");
        stdout = installation.work().resolve("server.out");
        process = installation.start(stdout, log, Map.of(), "serve", "--port=" + port,
                "--data-dir", installation.work().resolve("data").toString(), "--log-format", "json",
                "-D", "shutdown.grace-period=PT40S");
        api = new ApiClient("http://127.0.0.1:" + port);
        Installation.awaitReady(process, api, log);
        plugins = api.get("/plugins").data().path("plugins");
        String kubeconfig = Files.readString(cluster.writeKubeconfig(installation.work().resolve("slow.yaml")));
        ApiResponse added = api.post("/k8s/cluster/add", JsonMapper.builder().build().writeValueAsString(
                Map.of("name", "slow", "kubeconfig", kubeconfig, "insecure", true)));
        assertEquals(200, added.status(), added.toString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void serveLoadsNeitherTheSandboxNorTheDemoPlugin() {
        List<String> ids = new java.util.ArrayList<>();
        plugins.forEach(p -> ids.add(p.path("id").asString()));
        assertThat(ids).as("control: the built-in plugins are listed").contains("k8s-resources", "istio-health");
        assertThat(ids).as("serve has no inert sandbox (issue 21)").doesNotContain("sandbox", "demo");
    }

    @Test
    void logsAsJsonWithAnAccessLogAndShutsDownGracefully() throws Exception {
        // the access log, with secrets in the query and in a header
        ApiResponse list = api.send(HttpRequest.newBuilder(api.uri("/k8s/cluster/list?token=" + QUERY_SECRET
                + "&Password=" + QUERY_SECRET + "&verbose=1")).header("Authorization", "Bearer " + HEADER_SECRET).GET());
        assertTrue(list.status() < 500, list.toString());
        // request ids: the caller's when valid, else a new one; returned either way
        ApiResponse traced = api.send(HttpRequest.newBuilder(api.uri("/k8s/cluster/info?cluster_name=slow"))
                .header("X-Request-Id", "trace-4711.a:b").GET());
        assertEquals(200, traced.status(), traced.toString());
        assertEquals("trace-4711.a:b", traced.header("X-Request-Id").orElseThrow(), "the caller's id is kept");
        ApiResponse refusedId = api.send(HttpRequest.newBuilder(api.uri("/health/live"))
                .header("X-Request-Id", "x".repeat(65)).GET());
        String generated = refusedId.header("X-Request-Id").orElseThrow();
        assertTrue(generated.matches("[0-9a-f]{16}"), "an over-long id is replaced: " + generated);

        // a request that takes 5 s at the cluster is in flight when the process receives SIGTERM
        cluster.setLatency(Duration.ofSeconds(5));
        HttpClient http = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                        api.uri("/k8s/cluster/info?cluster_name=slow&force_refresh=true")).timeout(Duration.ofSeconds(60))
                .build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(1500);
        assertFalse(slow.isDone(), "the slow request is still in flight");
        long signalled = System.nanoTime();
        process.destroy(); // SIGTERM
        Thread.sleep(500);

        ApiResponse refused = api.get("/health/ready");
        assertEquals(503, refused.status(), "a new request while shutting down is refused: " + refused);
        assertEquals("ShuttingDown", refused.errorType(), refused.toString());

        HttpResponse<String> finished = slow.get(60, TimeUnit.SECONDS);
        assertEquals(200, finished.statusCode(), "the request in flight was answered: " + finished.body());
        assertThat(finished.body()).as(finished.body()).contains("\"cluster_name\":\"slow\"");
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ends once the request was answered");
        assertTrue(Duration.ofNanos(System.nanoTime() - signalled).toSeconds() < 40, "within the grace period");

        String output = Files.readString(log);
        assertEquals("", Files.readString(stdout), "the log goes to standard error, as docs/operations.md says");
        JsonMapper json = JsonMapper.builder().build();
        List<String> records = output.lines().toList();
        assertTrue(records.size() > 10, output);
        for (String line : records) {
            JsonNode record = json.readTree(line); // every line, the banner lines too
            for (String field : List.of("time", "level", "logger", "thread", "message")) {
                assertTrue(record.has(field), "field " + field + " in " + line);
            }
        }
        assertTrue(records.stream().map(json::readTree).anyMatch(r -> r.path("message").asString()
                .startsWith("CloudPilot ") && r.path("message").asString().contains(" listening on http://")), output);

        List<JsonNode> access = records.stream().map(json::readTree)
                .filter(r -> r.path("logger").asString().equals("io.cloudpilot.access")).toList();
        JsonNode listed = access.stream().filter(r -> r.path("route").asString().equals("/k8s/cluster/list"))
                .findFirst().orElseThrow(() -> new AssertionError("no access record of the list: " + access));
        assertEquals("GET", listed.path("method").asString());
        assertEquals("/k8s/cluster/list", listed.path("path").asString());
        assertEquals("token=***&Password=***&verbose=1", listed.path("query").asString());
        assertEquals(list.status(), listed.path("status").asInt());
        assertTrue(listed.path("bytes").asLong() > 0 && listed.path("duration_ms").isNumber(), listed.toString());
        assertTrue(listed.has("principal") && listed.has("cluster"), listed.toString());
        assertTrue(listed.path("message").asString().startsWith("127.0.0.1 \"GET /k8s/cluster/list?token=***"
                + "&Password=***&verbose=1\" " + list.status() + " "), listed.toString());

        JsonNode slowRecord = access.stream().filter(r -> r.path("route").asString().equals("/k8s/cluster/info")
                && r.path("query").asString().equals("cluster_name=slow&force_refresh=true")).findFirst()
                .orElseThrow(() -> new AssertionError("no access record of the slow request: " + output));
        assertEquals(200, slowRecord.path("status").asInt());
        assertEquals("slow", slowRecord.path("cluster").asString(), "the cluster it read");
        assertTrue(slowRecord.path("duration_ms").asLong() >= 4500, "the slow request, with its duration: " + slowRecord);
        assertTrue(access.stream().anyMatch(r -> r.path("request_id").asString().equals("trace-4711.a:b")
                && r.path("route").asString().equals("/k8s/cluster/info")), "the caller's request id: " + access);
        assertTrue(access.stream().anyMatch(r -> r.path("request_id").asString().equals(generated)), access.toString());
        assertTrue(access.stream().anyMatch(r -> r.path("route").asString().equals("/health/ready")
                && r.path("status").asInt() == 503), access.toString());
        assertThat(output).as(output).contains("Shutting down: waiting up to 40 s for 1 request(s) in flight");

        for (String secret : List.of(QUERY_SECRET, HEADER_SECRET, cluster.token())) {
            assertThat(output).as("a secret is in the log").doesNotContain(secret);
        }
    }
}
