package io.cloudpilot.testkit;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /metrics}: request and upstream duration histograms with the documented labels, process and build metrics,
 * labels that never carry what a caller typed, exposition that {@code promtool check metrics} finds nothing wrong
 * with, and alerting rules ({@code deploy/prometheus/cloudpilot-rules.yaml}) that {@code promtool check rules}
 * accepts and that name only metrics the server exports.
 */
@CloudPilotTest(mode = "server")
class MetricsTest {

    private static CloudPilotTestServer server;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) throws Exception {
        server.pluginDirs(PluginJars.helloPluginDirectory());
    }

    @BeforeAll
    static void start() throws Exception {
        assertEquals(200, server.client().get("/hello/nodes?cluster_name=sandbox&force_refresh=true").status());
    }

    private static String metrics() {
        ApiResponse r = server.client().get("/metrics");
        assertEquals(200, r.status());
        return r.raw();
    }

    /** @return whether a sample of {@code name} carries all the labels (in any order) */
    private static boolean has(String metrics, String name, String... labels) {
        for (String line : metrics.lines().toList()) {
            if (line.startsWith(name + "{") && List.of(labels).stream().allMatch(line::contains)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void requestsAndUpstreamCallsAreHistograms() {
        String m = metrics();
        assertThat(m).as("a histogram").contains("# TYPE cloudpilot_http_request_duration_seconds histogram");
        assertTrue(has(m, "cloudpilot_http_request_duration_seconds_bucket", "route=\"/hello/nodes\"", "method=\"GET\"",
                "status_class=\"2xx\"", "le=\"+Inf\""), "by route template, method and status class");
        assertTrue(has(m, "cloudpilot_http_request_duration_seconds_bucket", "route=\"/hello/nodes\"", "le=\"0.1\""),
                "with buckets");
        assertTrue(has(m, "cloudpilot_http_request_duration_seconds_sum", "route=\"/hello/nodes\""));
        assertTrue(has(m, "cloudpilot_upstream_call_duration_seconds_bucket", "cluster=\"sandbox\"", "kind=\"nodes\"",
                "outcome=\"ok\"", "le=\"+Inf\""), "upstream calls by cluster, kind and outcome");
        assertTrue(has(m, "cloudpilot_http_request_duration_seconds_count", "route=\"/metrics\"")
                || has(metrics(), "cloudpilot_http_request_duration_seconds_count", "route=\"/metrics\""),
                "Helidon's own paths are counted under their own route, not as unmatched 404s");
        assertThat(m).as("buckets, not client-side percentiles").doesNotContain("quantile=");
        for (String process : List.of("process_cpu_seconds_total", "process_start_time_seconds", "process_open_fds",
                "process_max_fds", "process_resident_memory_bytes")) {
            assertTrue(m.lines().anyMatch(l -> l.startsWith(process + "{") || l.startsWith(process + " ")), process);
        }
        assertTrue(has(m, "cloudpilot_build_info", "version=\"", "java_version=\"" + System.getProperty("java.version")
                + "\""), "build info");
    }

    @Test
    void labelsCarryNothingTheCallerTyped() {
        String typed = "x" + UUID.randomUUID().toString().replace("-", "");
        server.client().get("/no/such/" + typed);
        server.client().get("/hello/nodes?cluster_name=sandbox&" + typed + "=1");
        server.client().send(HttpRequest.newBuilder(server.client().uri("/hello/" + typed))
                .method("BREW" + typed.substring(0, 5).toUpperCase(java.util.Locale.ROOT), HttpRequest.BodyPublishers.noBody()));
        String m = metrics();
        assertThat(m.toLowerCase(java.util.Locale.ROOT)).as("no caller text in any label").doesNotContain(typed.substring(0, 12));
        assertThat(m).as("an unknown method is counted as other").doesNotContain("BREW");
        assertTrue(has(m, "cloudpilot_http_request_duration_seconds_count", "route=\"unmatched\"", "status_class=\"4xx\""));
        assertTrue(has(m, "cloudpilot_http_request_duration_seconds_count", "method=\"other\""));
    }

    @Test
    void promtoolFindsNothingWrongWithOurMetrics() throws Exception {
        Path promtool = ExternalTool.require("checking the /metrics exposition", "apt-get install prometheus",
                "promtool");
        String ours = families(metrics(), "cloudpilot_", "process_");
        assertThat(ours).as(ours).contains("cloudpilot_http_request_duration_seconds_bucket");
        Result check = run(List.of(promtool.toString(), "check", "metrics"), ours);
        assertEquals(0, check.exitCode(), "promtool check metrics:\n" + check.output());
        assertTrue(check.output().isBlank(), "no lint findings:\n" + check.output());
    }

    @Test
    void shippedAlertRulesAreValidAndNameExportedMetrics() throws Exception {
        Path promtool = ExternalTool.require("checking the shipped alerting rules", "apt-get install prometheus",
                "promtool");
        Path rules = repositoryRoot().resolve("deploy/prometheus/cloudpilot-rules.yaml");
        Result check = run(List.of(promtool.toString(), "check", "rules", rules.toString()), "");
        assertEquals(0, check.exitCode(), "promtool check rules:\n" + check.output());
        assertThat(check.output()).as(check.output()).contains("SUCCESS");

        String exported = metrics();
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile("\\b(cloudpilot_[a-z_]+)").matcher(Files.readString(rules));
        while (m.find()) {
            used.add(m.group(1));
        }
        assertFalse(used.isEmpty());
        for (String name : used) {
            assertTrue(exported.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")
                            || l.startsWith("# TYPE " + name + " ")),
                    "the rules use " + name + ", which /metrics exports");
        }
    }

    /** The metric families (HELP, TYPE and samples) whose names start with one of the prefixes. */
    static String families(String exposition, String... prefixes) {
        StringBuilder out = new StringBuilder();
        boolean keep = false;
        for (String line : exposition.lines().toList()) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                String name = line.split(" ")[2];
                keep = List.of(prefixes).stream().anyMatch(name::startsWith);
            }
            if (keep) {
                out.append(line).append('\n');
            }
        }
        return out.toString();
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/prometheus"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/prometheus above " + Path.of("").toAbsolutePath());
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, String stdin) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
