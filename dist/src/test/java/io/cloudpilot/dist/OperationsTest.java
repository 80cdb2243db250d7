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

import io.cloudpilot.plugin.sandbox.SandboxCluster;
import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
    private static Process process;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        cluster = SandboxCluster.start();
        Installation installation = Installation.copy();
        int port = Installation.freePort();
        log = installation.work().resolve("server.log");
        process = installation.start(log, Map.of(), "serve", "--port=" + port,
                "--data-dir", installation.work().resolve("data").toString(), "--log-format", "json",
                "-D", "shutdown.grace-period=PT40S");
        api = new ApiClient("http://127.0.0.1:" + port);
        Installation.awaitReady(process, api, log);
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
    void logsAsJsonWithAnAccessLogAndShutsDownGracefully() throws Exception {
        // the access log, with secrets in the query and in a header
        ApiResponse list = api.send(HttpRequest.newBuilder(api.uri("/k8s/cluster/list?token=" + QUERY_SECRET
                + "&Password=" + QUERY_SECRET + "&verbose=1")).header("Authorization", "Bearer " + HEADER_SECRET).GET());
        assertTrue(list.status() < 500, list.toString());

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
        assertTrue(finished.body().contains("\"cluster_name\":\"slow\""), finished.body());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ends once the request was answered");
        assertTrue(Duration.ofNanos(System.nanoTime() - signalled).toSeconds() < 40, "within the grace period");

        String output = Files.readString(log);
        JsonMapper json = JsonMapper.builder().build();
        List<String> records = output.lines().filter(l -> l.startsWith("{")).toList();
        assertTrue(records.size() > 10, output);
        for (String line : records) {
            JsonNode record = json.readTree(line);
            for (String field : List.of("time", "level", "logger", "thread", "message")) {
                assertTrue(record.has(field), "field " + field + " in " + line);
            }
        }
        assertFalse(output.lines().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\S+ (INFO|WARNING|SEVERE) .*")),
                "no line in the text format: " + output);

        List<String> access = records.stream().map(json::readTree)
                .filter(r -> r.path("logger").asString().equals("io.cloudpilot.access"))
                .map(r -> r.path("message").asString()).toList();
        assertTrue(access.stream().anyMatch(m -> m.matches("127\\.0\\.0\\.1 \"GET /k8s/cluster/list\\?token=\\*\\*\\*"
                + "&Password=\\*\\*\\*&verbose=1\" " + list.status() + " \\d+B \\d+ms")), access.toString());
        assertTrue(access.stream().anyMatch(m -> m.matches("127\\.0\\.0\\.1 \"GET /k8s/cluster/info\\?cluster_name=slow"
                + "&force_refresh=true\" 200 \\d+B \\d+ms") && Integer.parseInt(m.replaceAll(".* (\\d+)ms$", "$1")) >= 4500),
                "the slow request, with its duration: " + access);
        assertTrue(access.stream().anyMatch(m -> m.contains("\"GET /health/ready\" 503 ")), access.toString());
        assertTrue(output.contains("Shutting down: waiting up to 40 s for 1 request(s) in flight"), output);

        for (String secret : List.of(QUERY_SECRET, HEADER_SECRET, cluster.token())) {
            assertFalse(output.contains(secret), "a secret is in the log");
        }
    }
}
