package io.cloudpilot.dist;

import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint of the server's own {@code /openapi} document (all four built-in plugins loaded, server mode, on a
 * sandbox cluster), every parameter, with hostile values: empty, 10 kB, unicode, control characters, path
 * traversal, negative and huge numbers, malformed selectors, duplicated parameters; every JSON body endpoint with
 * malformed bodies and wrong content types. Every answer is the envelope with a readable sentence, never 5xx, never a
 * stack trace or a Java class name; and the server is still ready afterwards. A value that breaks the parameter's
 * declared schema (an integer's type or range, a boolean, an enum) and a parameter given twice are 400 naming the
 * parameter, while the schema's own bounds and values answer as the request without the parameter does (the positive
 * control); free strings may get 2xx where the value is legitimately valid (a unicode label value matches nothing).
 * New endpoints are swept without touching this test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputSweepTest {

    private static final String TEN_KB = "a".repeat(10 * 1024);

    /** Hostile values for every query parameter. */
    private static final List<String> HOSTILE = List.of(
            "",
            " ",
            TEN_KB,
            "é".repeat(5 * 1024),
            "ünïcødé-名前-🚀",
            "\u0000",
            "a\u0001b\u001fc",
            "line\nbreak\r\n\t",
            "../../../../etc/passwd",
            "..%2F..%2Fetc%2Fpasswd",
            "/k8s/cluster/list",
            "-1",
            "0",
            "-9223372036854775809",
            "99999999999999999999999999",
            "1e309",
            "NaN",
            "0x10",
            "TRUE ",
            "app in (",
            "app notin ()",
            "=,=",
            "!!a",
            "a=b=c",
            "spec.nodeName==x==y",
            "metadata.name=",
            "${jndi:ldap://127.0.0.1/x}",
            "<script>alert(1)</script>",
            "' OR '1'='1",
            "%",
            "%%32%65");

    /** Valid values for the parameters that name an object, so a sweep of one parameter reaches the resource. */
    private static final Map<String, String> BASELINE = Map.ofEntries(
            Map.entry("cluster_name", "sandbox"),
            Map.entry("namespace", "shop"),
            Map.entry("pod_name", "frontend-7d4b9c8f6-x2k9p"),
            Map.entry("container", "istio-proxy"),
            Map.entry("deployment_name", "frontend"),
            Map.entry("service_name", "frontend"),
            Map.entry("node_name", "worker-1"),
            Map.entry("gateway_name", "broken-gateway"),
            Map.entry("virtualservice_name", "frontend"),
            Map.entry("destinationrule_name", "frontend"),
            Map.entry("resource_kind", "Deployment"),
            Map.entry("resource_name", "frontend"));

    /** Malformed bodies for every endpoint that takes JSON. */
    private static final List<String> BODIES = List.of(
            "",
            "{",
            "}",
            "[]",
            "null",
            "\"text\"",
            "42",
            "{\"name\": }",
            "{\"name\": \"x\", \"name\": \"y\"}",
            "{\"unknown_field\": 1}",
            "{\"name\": 12, \"replicas\": \"many\"}",
            "{\"name\": [\"a\"], \"namespace\": {\"x\": 1}, \"deployment_name\": true}",
            "{\"replicas\": -1, \"cluster_name\": \"sandbox\", \"namespace\": \"shop\", \"deployment_name\": \"frontend\"}",
            "{\"replicas\": 1e400, \"cluster_name\": \"sandbox\", \"namespace\": \"shop\", \"deployment_name\": \"frontend\"}",
            "{\"replicas\": 99999999999999999999, \"cluster_name\": \"sandbox\", \"namespace\": \"shop\", \"deployment_name\": \"frontend\"}",
            "{\"replicas\": 2.5, \"cluster_name\": \"sandbox\", \"namespace\": \"shop\", \"deployment_name\": \"frontend\"}",
            "{\"replicas\": \"3\", \"cluster_name\": \"sandbox\", \"namespace\": \"shop\", \"deployment_name\": \"frontend\"}",
            "{\"replicas\": 1, \"replicas\": 3, \"cluster_name\": \"sandbox\", \"namespace\": \"shop\", "
                    + "\"deployment_name\": \"frontend\", \"dry_run\": true}",
            "{\"name\": \"" + TEN_KB + "\"}",
            "{\"name\": \"ok\", \"api_server\": \"https://\\u0000/\", \"token\": \"t\"}",
            "{\"name\": \"ok\", \"api_server\": \"file:///etc/passwd\", \"token\": \"t\"}",
            "{\"name\": \"ok\", \"kubeconfig\": \"::: not yaml [\"}",
            "{\"name\": \"../../x\", \"api_server\": \"https://example.invalid\", \"token\": \"t\"}",
            "[".repeat(5000) + "]".repeat(5000),
            "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
            "\u0000\u0001\u0002",
            "{\"name\": \"\ud83d\ude80\"}");

    private static final List<String> WRONG_CONTENT_TYPES = List.of("text/plain", "application/xml",
            "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=ebcdic",
            "nonsense");

    private static final Pattern STACK_TRACE = Pattern.compile("\\bat [a-z][\\w$]*(\\.[\\w$]+)+\\(|Exception|Error:|"
            + "\\b(java|jakarta|javax|io\\.helidon|io\\.fabric8|tools\\.jackson|com\\.fasterxml|org\\.glassfish|"
            + "io\\.cloudpilot)\\.[a-z]");

    private static CloudPilotTestServer server;
    private static List<Endpoint> endpoints;
    private static final List<String> failures = new ArrayList<>();
    private static int requests;

    /**
     * A query parameter as the OpenAPI document declares it.
     *
     * @param allowed an enum's values, empty for none
     */
    record Parameter(String name, String type, boolean required, BigInteger minimum, BigInteger maximum,
            List<String> allowed) {

        /** @return whether the schema restricts the values (so the server must refuse the others with 400) */
        boolean typed() {
            return type.equals("integer") || type.equals("boolean") || !allowed.isEmpty();
        }

        /** @return whether the value is one the schema allows */
        boolean accepts(String value) {
            if (type.equals("integer")) {
                if (!value.matches("-?[0-9]+")) {
                    return false;
                }
                BigInteger n = new BigInteger(value);
                return (minimum == null || n.compareTo(minimum) >= 0) && (maximum == null || n.compareTo(maximum) <= 0);
            }
            if (type.equals("boolean")) {
                return value.equals("true") || value.equals("false");
            }
            return allowed.isEmpty() || allowed.contains(value);
        }

        /** @return values the schema allows at its edges: the bounds, both booleans, every enum value */
        List<String> validValues() {
            if (type.equals("integer")) {
                return java.util.stream.Stream.of(minimum, maximum).filter(java.util.Objects::nonNull)
                        .map(BigInteger::toString).toList();
            }
            if (type.equals("boolean")) {
                return List.of("true", "false");
            }
            return allowed;
        }
    }

    record Endpoint(String method, String path, List<Parameter> parameters, boolean jsonBody) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    @BeforeAll
    static void start() throws java.io.IOException {
        java.nio.file.Files.deleteIfExists(java.nio.file.Path.of("target", "bad-input-sweep-failures.txt"));
        server = CloudPilotTestServer.builder().mode("server").start();
        ApiResponse openapi = server.client().send(HttpRequest.newBuilder(server.client().uri("/openapi"))
                .header("Accept", "application/json").GET());
        assertEquals(200, openapi.status(), openapi.toString());
        endpoints = endpoints(openapi.body());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theOpenApiDocumentListsEveryPluginsEndpoints() {
        List<String> paths = endpoints.stream().map(Endpoint::path).toList();
        for (String expected : List.of("/k8s/resources/pods/list", "/istio/workloads/istiod/logs",
                "/api/istio/virtualservice/detail", "/istio/health/summary", "/k8s/cluster/add")) {
            assertThat(paths).as(expected + " is swept: " + paths).contains(expected);
        }
        assertTrue(endpoints.size() >= 30, "every endpoint: " + endpoints);
        List<String> typed = endpoints.stream().flatMap(e -> e.parameters().stream()).filter(Parameter::typed)
                .map(Parameter::name).distinct().toList();
        assertThat(typed).as("parameters swept against their declared schema")
                .contains("page_size", "page", "lines", "since_seconds", "force_refresh", "sort_order");
    }

    @Test
    void hostileQueryParametersAreRefusedInTheEnvelope() {
        for (Endpoint e : endpoints) {
            if (e.jsonBody()) {
                continue;
            }
            Map<String, String> base = baseline(e);
            for (Parameter p : e.parameters()) {
                for (String value : HOSTILE) {
                    Map<String, String> q = new LinkedHashMap<>(base);
                    q.put(p.name(), value);
                    ApiResponse r = send(e.method(), e.path() + query(q), null, null);
                    check(e, p.name() + "=" + shown(value), r);
                    if (p.typed() && !p.accepts(value)) {
                        refusedNaming(e, p.name() + "=" + shown(value) + " (" + p.type() + ")", p.name(), r);
                    }
                }
                // the positive control: what the schema allows is not refused
                if (p.typed() && !p.required()) {
                    ApiResponse without = send(e.method(), e.path() + query(base), null, null);
                    for (String value : p.validValues()) {
                        Map<String, String> q = new LinkedHashMap<>(base);
                        q.put(p.name(), value);
                        ApiResponse r = send(e.method(), e.path() + query(q), null, null);
                        check(e, p.name() + "=" + value, r);
                        if (r.status() != without.status()) {
                            failures.add(e + " " + p.name() + "=" + value + " is allowed by the schema: expected "
                                    + without.status() + " as without it, got " + r);
                        }
                    }
                }
                // the same parameter twice
                String twice = query(base) + (base.isEmpty() ? "?" : "&") + enc(p.name()) + "=a&" + enc(p.name()) + "=b";
                refusedNaming(e, p.name() + " twice", p.name(), send(e.method(), e.path() + twice, null, null));
            }
            // an unknown parameter and a missing required one
            check(e, "unknown parameter", send(e.method(), e.path() + query(base)
                    + (base.isEmpty() ? "?" : "&") + "no_such_parameter=%00", null, null));
            for (Parameter p : e.parameters()) {
                if (p.required() || selectsCluster(e, p)) {
                    Map<String, String> q = new LinkedHashMap<>(base);
                    q.remove(p.name());
                    ApiResponse r = send(e.method(), e.path() + query(q), null, null);
                    check(e, "without " + p.name(), r);
                    if (r.status() != 400) {
                        failures.add(e + " without " + p.name() + ": expected 400, got " + r);
                    }
                }
            }
        }
        report();
    }

    @Test
    void malformedBodiesAndWrongContentTypesAreRefusedInTheEnvelope() {
        List<Endpoint> withBody = endpoints.stream().filter(Endpoint::jsonBody).toList();
        assertTrue(withBody.size() >= 2, "cluster/add and deployments/scaling take JSON: " + withBody);
        for (Endpoint e : withBody) {
            for (String body : BODIES) {
                ApiResponse r = send(e.method(), e.path(), "application/json", body);
                check(e, "body " + shown(body), r);
                if (r.status() < 400 || r.status() >= 500) {
                    failures.add(e + " body " + shown(body) + ": expected 4xx, got " + r);
                }
            }
            for (String type : WRONG_CONTENT_TYPES) {
                ApiResponse r = send(e.method(), e.path(), type, "{}");
                check(e, "Content-Type " + type, r);
                if (r.status() < 400) {
                    failures.add(e + " Content-Type " + type + ": expected 4xx, got " + r);
                }
            }
            ApiResponse none = send(e.method(), e.path(), null, "{\"name\": \"x\"}");
            check(e, "no Content-Type", none);
        }
        report();
    }

    @Test
    void wrongMethodsAndHostilePathsAreRefusedInTheEnvelope() {
        for (Endpoint e : endpoints) {
            for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
                if (!method.equals(e.method())) {
                    ApiResponse r = send(method, e.path() + query(baseline(e)), null, null);
                    check(e, "method " + method, r);
                    if (r.status() != 405) {
                        failures.add(method + " " + e.path() + ": expected 405, got " + r);
                    }
                }
            }
        }
        Endpoint any = new Endpoint("GET", "(path)", List.of(), false);
        for (String path : List.of("/k8s/resources/pods/list/..%2F..%2Fplugins", "/k8s/resources/%2e%2e/%2e%2e/plugins",
                "/k8s/resources/pods/list%00", "/k8s/" + TEN_KB, "/%F0%9F%9A%80", "/k8s/resources/pods/list;jsessionid=1",
                "/k8s//resources///pods/list?cluster_name=sandbox", "/k8s/resources/pods/list/", "/api/istio/",
                "/k8s/resources/pods/list?=&&&=x",
                "/k8s/resources/pods/list?cluster_name")) {
            ApiResponse r = send("GET", path, null, null);
            check(any, "path " + shown(path), r);
        }
        report();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    void theServerIsStillHealthyAfterTheSweep() {
        assertTrue(requests > 1000, "runs after the sweeps: " + requests + " requests so far");
        ApiResponse ready = server.client().get("/health/ready");
        assertEquals(200, ready.status(), ready.raw());
        assertThat(ready.raw()).as(ready.raw()).contains("UP");
        ApiResponse pods = server.client().get("/k8s/resources/pods/list?cluster_name=sandbox&namespace=shop");
        assertEquals(200, pods.status(), pods.toString());
        assertTrue(pods.data().path("total").asInt() > 0, pods.toString());
        String metrics = server.client().get("/metrics").raw();
        for (String hostile : List.of("passwd", "jndi", "<script>", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ünïcødé")) {
            assertTrue(!metrics.contains(hostile), "no caller data in metric labels: " + hostile);
        }
        System.out.println("bad-input sweep: " + endpoints.size() + " endpoints, " + requests + " requests");
    }

    /** Checks an answer that must be 400 naming the parameter (in quotes, as the server's messages do). */
    private static void refusedNaming(Endpoint e, String what, String parameter, ApiResponse r) {
        check(e, what, r);
        if (r.status() != 400 || r.message() == null || !r.message().contains("'" + parameter + "'")) {
            failures.add(e + " " + what + ": expected 400 naming '" + parameter + "', got " + r);
        }
    }

    /** Checks one answer: the envelope, a readable sentence, no internals, and no 5xx. */
    private static void check(Endpoint e, String what, ApiResponse r) {
        String where = e + " " + what + ": ";
        if (r.status() >= 500) {
            failures.add(where + "5xx " + r);
            return;
        }
        if (r.body() == null || !r.body().isObject()) {
            failures.add(where + "not the JSON envelope: " + r);
            return;
        }
        if (r.code() != r.status() || !r.body().has("message") || !r.body().has("data")) {
            failures.add(where + "envelope shape: " + r);
            return;
        }
        if (r.status() >= 300) {
            String message = r.message();
            String details = r.data().path("details").asString("");
            if (r.errorType().isEmpty()) {
                failures.add(where + "no error_type: " + r);
            }
            if (message.length() < 15 || message.split(" ").length < 4 || !Character.isUpperCase(firstLetter(message))) {
                failures.add(where + "message is not a sentence: " + r);
            }
            if (message.length() > 1000 || details.length() > 1000) {
                failures.add(where + "message too long to read (" + message.length() + " chars): " + r);
            }
            if (message.chars().anyMatch(c -> c < 0x20) || details.chars().anyMatch(c -> c < 0x20)) {
                failures.add(where + "control characters in the message: " + r);
            }
            if (STACK_TRACE.matcher(message).find() || STACK_TRACE.matcher(details).find()) {
                failures.add(where + "internals in the message: " + r);
            }
        }
    }

    private static char firstLetter(String message) {
        return message.chars().filter(Character::isLetter).mapToObj(c -> (char) c).findFirst().orElse('x');
    }

    private static void report() {
        if (!failures.isEmpty()) {
            String all = failures.stream().limit(60).map(f -> f.length() > 700 ? f.substring(0, 700) + "..." : f)
                    .collect(Collectors.joining("\n"));
            int n = failures.size();
            try {
                java.nio.file.Files.write(java.nio.file.Path.of("target", "bad-input-sweep-failures.txt"), failures);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            failures.clear();
            throw new AssertionError(n + " bad answers (all in target/bad-input-sweep-failures.txt), the first 60:\n"
                    + all);
        }
    }

    private static ApiResponse send(String method, String pathAndQuery, String contentType, String body) {
        requests++;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return server.client().send(request);
    }

    /**
     * In server mode {@code cluster_name} names the cluster an endpoint reads, so it is required, but on
     * {@code /audit} it only filters the entries.
     */
    private static boolean selectsCluster(Endpoint e, Parameter p) {
        return p.name().equals("cluster_name") && !e.path().startsWith("/audit");
    }

    private static Map<String, String> baseline(Endpoint e) {
        Map<String, String> q = new LinkedHashMap<>();
        for (Parameter p : e.parameters()) {
            boolean wanted = p.required() || selectsCluster(e, p)
                    || (p.name().equals("container") && e.path().endsWith("/container"));
            if (wanted) {
                q.put(p.name(), BASELINE.getOrDefault(p.name(), p.type().equals("integer") ? "1" : "x"));
            }
            if (e.method().equals("DELETE") && q.containsKey("cluster_name")) {
                q.put("cluster_name", "not-registered"); // the sweep must not remove the cluster it sweeps
            }
        }
        return q;
    }

    private static String query(Map<String, String> q) {
        if (q.isEmpty()) {
            return "";
        }
        return q.entrySet().stream().map(en -> enc(en.getKey()) + "=" + enc(en.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String shown(String value) {
        String escaped = value.chars().mapToObj(c -> c < 0x20 ? String.format("\\u%04x", c) : Character.toString(c))
                .collect(Collectors.joining());
        return "'" + (escaped.length() > 40 ? escaped.substring(0, 40) + "…(" + value.length() + " chars)" : escaped) + "'";
    }

    private static BigInteger bound(JsonNode n) {
        return n.isNumber() ? n.bigIntegerValue() : null;
    }

    private static List<Endpoint> endpoints(JsonNode openapi) {
        List<Endpoint> list = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : openapi.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String method = op.getKey().toUpperCase(Locale.ROOT);
                if (!List.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                List<Parameter> params = new ArrayList<>();
                for (JsonNode p : op.getValue().path("parameters")) {
                    if (p.path("in").asString().equals("query")) {
                        JsonNode schema = p.path("schema");
                        List<String> allowed = new ArrayList<>();
                        schema.path("enum").forEach(v -> allowed.add(v.asString()));
                        params.add(new Parameter(p.path("name").asString(), schema.path("type").asString("string"),
                                p.path("required").asBoolean(false), bound(schema.path("minimum")),
                                bound(schema.path("maximum")), List.copyOf(allowed)));
                    }
                }
                boolean json = op.getValue().path("requestBody").path("content").has("application/json");
                list.add(new Endpoint(method, path.getKey(), params, json));
            }
        }
        return list;
    }
}
