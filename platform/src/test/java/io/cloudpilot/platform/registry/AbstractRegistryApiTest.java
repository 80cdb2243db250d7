package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.cloudpilot.platform.AllLogs;
import io.cloudpilot.platform.CloudPilotServer;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;

import jakarta.enterprise.inject.spi.CDI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry API end to end: a real CloudPilot server in server mode on a free port, a real database (SQLite or
 * PostgreSQL, per subclass), Kubernetes API servers served over HTTP by fabric8's mock, plain HTTP calls.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AbstractRegistryApiTest {

    static final String TOKEN = "tok-3f9a1c77e2d54b0c-registry-secret";
    static final String OTHER_TOKEN = "tok-88b1e0a9c3f24d11-other-secret";
    static final String CA_PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBkjCCATegAwIBAgIUW2f9MHg8InvUt69Ckbqn+HF3ClcwCgYIKoZIzj0EAwIw
            HTEbMBkGA1UEAwwSY2xvdWRwaWxvdC10ZXN0LWNhMCAXDTI2MTEyNTE1NTM0OFoY
            DzIxMjYxMTAxMTU1MzQ4WjAdMRswGQYDVQQDDBJjbG91ZHBpbG90LXRlc3QtY2Ew
            WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARISdGJ9JVn+HY8CaIwSbVL0gdagE/I
            K/y1S4ib0Luvz9J5f88sIE6Hxc/4HMfCMYFt1Bbs4VmBFNGtG+TC8Fy0o1MwUTAd
            BgNVHQ4EFgQUUKVjUnzAGvkYH9Ye5BnwFxDYLpAwHwYDVR0jBBgwFoAUUKVjUnzA
            GvkYH9Ye5BnwFxDYLpAwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBG
            AiEArKAu4r7StQPq8kbzlLKVeBz5HkMPG0uhMk0/cTeMxVkCIQC1rZltRMNDCThr
            ZFoB1NafjzFRfXzvZ9pbw6o08pXuiQ==
            -----END CERTIFICATE-----
            """;
    static final String CA_DATA = Base64.getEncoder().encodeToString(CA_PEM.getBytes(StandardCharsets.US_ASCII));

    Path dataDir;
    CloudPilotServer server;
    TestApi api;
    MockCluster cluster;
    MockCluster otherCluster;
    final List<String> changes = new CopyOnWriteArrayList<>();
    AllLogs logs;

    /** @return settings that choose the database (empty for the SQLite default) */
    abstract Map<String, String> databaseSettings();

    /** @return everything the database holds, as text (file bytes, or every column of every row) */
    abstract String storedContent() throws Exception;

    @BeforeAll
    void startAll() throws IOException {
        logs = new AllLogs();
        dataDir = Files.createTempDirectory("cloudpilot-registry-test-");
        cluster = MockCluster.start(TOKEN, "v1.33.0");
        otherCluster = MockCluster.start(OTHER_TOKEN, "v1.34.1");
        startServer(Map.of());
    }

    @AfterAll
    void stopAll() {
        if (server != null) {
            server.close();
            server = null;
        }
        if (cluster != null) {
            cluster.close();
        }
        if (otherCluster != null) {
            otherCluster.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    void startServer(Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>();
        settings.put("server.port", "0");
        settings.put("server.host", "127.0.0.1");
        settings.put("cloudpilot.mode", "server");
        settings.put("cloudpilot.data-dir", dataDir.toString());
        settings.put("plugins.dirs", dataDir.resolve("no-plugins").toString());
        settings.putAll(databaseSettings());
        settings.putAll(extra);
        server = CloudPilotServer.start(Optional.empty(), settings);
        api = new TestApi(server.url());
        clusters().onChange(changes::add);
    }

    void restartServer() {
        server.close();
        server = null;
        startServer(Map.of());
    }

    static ServerClusters clusters() {
        return CDI.current().select(ServerClusters.class).get();
    }

    static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    Map<String, Object> tokenBody(String name) {
        return body("name", name, "api_server", cluster.url(), "token", TOKEN, "insecure", true,
                "description", "the mock cluster");
    }

    String kubeconfig(MockCluster target, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                - name: unused
                  cluster:
                    server: https://unused.example:6443
                contexts:
                - name: ctx
                  context:
                    cluster: mock
                    user: u
                    namespace: default
                - name: other
                  context:
                    cluster: unused
                    user: unused-user
                current-context: ctx
                users:
                - name: u
                  user:
                    token: %s
                - name: unused-user
                  user:
                    token: unused-user-token-5a7d
                """.formatted(target.url(), token);
    }

    JsonNode listed(String name) {
        TestApi.Answer list = api.get("/k8s/cluster/list");
        assertEquals(200, list.status(), list::toString);
        for (JsonNode c : list.data().get("clusters")) {
            if (c.get("name").asString().equals(name)) {
                return c;
            }
        }
        return null;
    }

    static void assertNoSecret(String text) {
        assertThat(text).as("the token leaked: " + text).doesNotContain(TOKEN);
        assertThat(text).as("the token leaked: " + text).doesNotContain(OTHER_TOKEN);
        assertThat(text).as("a kubeconfig leaked: " + text).doesNotContain("token:");
    }

    @Test
    @Order(1)
    void addListResolveRemove() {
        TestApi.Answer added = api.post("/k8s/cluster/add", tokenBody("alpha"));
        assertEquals(200, added.status(), added::toString);
        assertNoSecret(added.raw());
        JsonNode d = added.data();
        assertAll(
                () -> assertEquals("alpha", d.get("name").asString()),
                () -> assertEquals(cluster.url(), d.get("api_server").asString()),
                () -> assertEquals("the mock cluster", d.get("description").asString()),
                () -> assertEquals("plain-http", d.get("tls_mode").asString()),
                () -> assertEquals("token", d.get("auth_kind").asString()),
                () -> assertEquals("reachable", d.get("reachability").asString()),
                () -> assertEquals("v1.33.0", d.get("server_version").asString()),
                () -> assertTrue(d.get("created_at").asString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ")),
                () -> assertNotNull(d.get("checked_at").asString()),
                () -> assertTrue(d.get("last_error").isNull()),
                () -> assertFalse(d.has("token")));

        TestApi.Answer list = api.get("/k8s/cluster/list");
        assertEquals(200, list.status(), list::toString);
        assertNoSecret(list.raw());
        assertTrue(list.data().get("count").asInt() >= 1);
        assertEquals(list.data().get("clusters").size(), list.data().get("count").asInt());
        JsonNode alpha = listed("alpha");
        assertNotNull(alpha);
        assertEquals("reachable", alpha.get("reachability").asString());
        assertEquals("v1.33.0", alpha.get("server_version").asString());

        // what the k8s-resources plugin's /k8s/cluster/info does: resolve through Clusters, call the cluster
        ClusterContext context = clusters().resolve("alpha");
        assertEquals("alpha", context.name());
        assertEquals("v1.33.0", context.client().getKubernetesVersion().getGitVersion());
        assertEquals(context, clusters().resolve("alpha"), "one client per cluster, reused");

        TestApi.Answer removed = api.delete("/k8s/cluster/remove?cluster_name=alpha");
        assertEquals(200, removed.status(), removed::toString);
        assertEquals("alpha", removed.data().get("name").asString());
        assertNull(listed("alpha"));
        assertThat(changes).as("listeners hear of the removal").contains("alpha");
        ApiException.ClusterNotFound gone = assertThrows(ApiException.ClusterNotFound.class,
                () -> clusters().resolve("alpha"));
        assertThat(gone.getMessage()).as(gone.getMessage()).contains("GET /k8s/cluster/list");

        TestApi.Answer again = api.delete("/k8s/cluster/remove?cluster_name=alpha");
        assertEquals(404, again.status(), again::toString);
        assertEquals("ClusterNotFound", again.errorType());
    }

    @Test
    @Order(2)
    void everyValidationErrorIs400NamingTheField() {
        String unreachable = "http://127.0.0.1:1";
        Map<String, Object> longName = body("name", "a".repeat(64), "api_server", unreachable, "token", TOKEN,
                "insecure", true);
        String exec = """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://k.example:6443"}}]
                users: [{name: u, user: {exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh}}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """;
        String tokenFile = exec.replace("exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh}",
                "tokenFile: /etc/passwd");
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("missing name", new Object[] {body("api_server", unreachable, "token", TOKEN, "insecure", true),
                "'name'"});
        cases.put("bad name", new Object[] {body("name", "Bad_Name", "api_server", unreachable, "token", TOKEN,
                "insecure", true), "'name'"});
        cases.put("name too long", new Object[] {longName, "'name'"});
        cases.put("missing api_server", new Object[] {body("name", "v1", "token", TOKEN), "'api_server'"});
        cases.put("missing token", new Object[] {body("name", "v1", "api_server", "https://k.example:6443"),
                "'token'"});
        cases.put("neither token nor kubeconfig", new Object[] {body("name", "v1", "description", "x"), "neither"});
        cases.put("token and kubeconfig", new Object[] {body("name", "v1", "token", TOKEN, "kubeconfig",
                kubeconfig(cluster, TOKEN)), "not both"});
        cases.put("api_server and kubeconfig", new Object[] {body("name", "v1", "api_server", "https://k.example",
                "kubeconfig", kubeconfig(cluster, TOKEN)), "not both"});
        cases.put("not a url", new Object[] {body("name", "v1", "api_server", "not a url", "token", TOKEN),
                "'api_server'"});
        cases.put("relative url", new Object[] {body("name", "v1", "api_server", "/api", "token", TOKEN),
                "'api_server'"});
        cases.put("ftp url", new Object[] {body("name", "v1", "api_server", "ftp://k.example", "token", TOKEN),
                "'api_server'"});
        cases.put("user info in url", new Object[] {body("name", "v1", "api_server", "https://u:" + TOKEN
                + "@k.example", "token", TOKEN), "'api_server'"});
        cases.put("http without insecure", new Object[] {body("name", "v1", "api_server", unreachable, "token", TOKEN),
                "insecure: true"});
        cases.put("insecure with https", new Object[] {body("name", "v1", "api_server", "https://k.example",
                "token", TOKEN, "insecure", true), "'insecure'"});
        cases.put("token with a space", new Object[] {body("name", "v1", "api_server", "https://k.example",
                "token", "abc " + TOKEN), "'token'"});
        cases.put("empty token", new Object[] {body("name", "v1", "api_server", "https://k.example", "token", ""),
                "'token'"});
        cases.put("ca_data not base64", new Object[] {body("name", "v1", "api_server", "https://k.example",
                "token", TOKEN, "ca_data", "%%% not base64 %%%"), "'ca_data'"});
        cases.put("ca_data not a certificate", new Object[] {body("name", "v1", "api_server", "https://k.example",
                "token", TOKEN, "ca_data", Base64.getEncoder().encodeToString("hello".getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                "Field 'ca_data' does not hold an X.509 certificate: give the base64 of the PEM CA certificate(s) that "
                        + "sign the API server's certificate."}); // the whole sentence: only callers' values are shortened
        cases.put("ca_data and skip verify", new Object[] {body("name", "v1", "api_server", "https://k.example",
                "token", TOKEN, "ca_data", CA_DATA, "insecure_skip_tls_verify", true), "not both"});
        cases.put("ca_data with http", new Object[] {body("name", "v1", "api_server", unreachable, "token", TOKEN,
                "insecure", true, "ca_data", CA_DATA), "'ca_data'"});
        cases.put("description too long", new Object[] {body("name", "v1", "api_server", "https://k.example",
                "token", TOKEN, "description", "d".repeat(1025)), "'description'"});
        cases.put("kubeconfig not yaml", new Object[] {body("name", "v1", "kubeconfig", ": : [" + TOKEN),
                "'kubeconfig'"});
        cases.put("kubeconfig without current context", new Object[] {body("name", "v1", "kubeconfig",
                exec.replace("current-context: x", "")), "current-context"});
        cases.put("kubeconfig with exec", new Object[] {body("name", "v1", "kubeconfig", exec), "'exec'"});
        cases.put("kubeconfig with tokenFile", new Object[] {body("name", "v1", "kubeconfig", tokenFile),
                "'tokenFile'"});
        cases.put("kubeconfig over http without insecure", new Object[] {body("name", "v1", "kubeconfig",
                kubeconfig(cluster, TOKEN)), "insecure: true"});
        cases.put("kubeconfig with ca_data", new Object[] {body("name", "v1", "kubeconfig", kubeconfig(cluster, TOKEN),
                "insecure", true, "ca_data", CA_DATA), "'ca_data'"});
        cases.put("unknown field", new Object[] {body("name", "v1", "api_server", "https://k.example", "token", TOKEN,
                "tokn", TOKEN), "unknown field"});
        // issue 20: stored with verify: false although no client can connect to it
        cases.put("port out of range", new Object[] {body("name", "v1", "api_server", "https://k.example:99999",
                "token", TOKEN, "verify", false), "port 99999"});
        cases.put("port 0", new Object[] {body("name", "v1", "api_server", "https://k.example:0", "token", TOKEN,
                "verify", false), "port 0"});
        cases.put("wrong type", new Object[] {body("name", "v1", "api_server", "https://k.example", "token", TOKEN,
                "verify", List.of(1)), "Field 'verify' of the request body must be true or false"});

        int before = api.get("/k8s/cluster/list").data().get("count").asInt();
        List<Runnable> checks = new ArrayList<>();
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            @SuppressWarnings("unchecked")
            TestApi.Answer a = api.post("/k8s/cluster/add", (Map<String, Object>) c.getValue()[0]);
            String expected = (String) c.getValue()[1];
            checks.add(() -> {
                assertEquals(400, a.status(), c.getKey() + ": " + a);
                assertEquals("ValidationError", a.errorType(), c.getKey() + ": " + a);
                assertThat(a.message()).as(c.getKey() + ": expected '" + expected + "' in " + a).contains(expected);
                assertThat(a.raw()).as(c.getKey() + ": the token leaked: " + a).doesNotContain(TOKEN);
            });
        }
        for (String raw : List.of("", "{", "[]", "null")) {
            TestApi.Answer a = api.postRaw("/k8s/cluster/add", raw);
            checks.add(() -> {
                assertEquals(400, a.status(), "body '" + raw + "': " + a);
                assertEquals("ValidationError", a.errorType(), "body '" + raw + "': " + a);
            });
        }
        assertAll(checks.stream().map(r -> (org.junit.jupiter.api.function.Executable) r::run));
        assertEquals(before, api.get("/k8s/cluster/list").data().get("count").asInt(), "nothing was stored");
    }

    @Test
    @Order(3)
    void duplicateIs409AndReplaceRebuildsTheClient() {
        assertEquals(200, api.post("/k8s/cluster/add", tokenBody("beta")).status());
        String createdAt = listed("beta").get("created_at").asString();
        ClusterContext first = clusters().resolve("beta");
        assertEquals("v1.33.0", first.client().getKubernetesVersion().getGitVersion());

        TestApi.Answer dup = api.post("/k8s/cluster/add", tokenBody("beta"));
        assertEquals(409, dup.status(), dup::toString);
        assertEquals("Conflict", dup.errorType());
        assertThat(dup.message()).as(dup.message()).contains("replace: true");

        changes.clear();
        Map<String, Object> replacement = body("name", "beta", "api_server", otherCluster.url(), "token", OTHER_TOKEN,
                "insecure", true, "description", "moved", "replace", true);
        TestApi.Answer replaced = api.post("/k8s/cluster/add", replacement);
        assertEquals(200, replaced.status(), replaced::toString);
        assertNoSecret(replaced.raw());
        assertEquals("moved", replaced.data().get("description").asString());
        assertEquals("v1.34.1", replaced.data().get("server_version").asString());
        assertEquals(createdAt, replaced.data().get("created_at").asString(), "created_at is kept on replace");
        assertThat(changes).as("listeners hear of the replacement").contains("beta");

        ClusterContext second = clusters().resolve("beta");
        assertNotSame(first, second, "a replaced registration gets a new client");
        assertEquals("v1.34.1", second.client().getKubernetesVersion().getGitVersion());
        int betas = 0;
        for (JsonNode c : api.get("/k8s/cluster/list").data().get("clusters")) {
            betas += c.get("name").asString().equals("beta") ? 1 : 0;
        }
        assertEquals(1, betas, "a replaced registration is listed once");
        assertEquals(200, api.delete("/k8s/cluster/remove?cluster_name=beta").status());
    }

    @Test
    @Order(4)
    void unreachableClusterIsQuick503AndNothingIsStored() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        long start = System.nanoTime();
        TestApi.Answer a = api.post("/k8s/cluster/add", body("name", "gamma", "api_server", "http://127.0.0.1:" + port,
                "token", TOKEN, "insecure", true));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(503, a.status(), a::toString);
        assertEquals("ClusterUnavailable", a.errorType());
        assertThat(a.message()).as(a.message()).contains("Nothing was stored");
        assertNoSecret(a.raw());
        assertTrue(took.compareTo(Duration.ofSeconds(10)) < 0, "took " + took + " (connect timeout 5 s)");
        assertNull(listed("gamma"));
    }

    @Test
    @Order(4)
    void aRedirectOfTheApiServerIsNotFollowed() throws IOException {
        // issue 20: whatever answers at a cluster's address could send CloudPilot, with its bearer token, elsewhere
        com.sun.net.httpserver.HttpServer redirector = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        redirector.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("Location", cluster.url() + exchange.getRequestURI());
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        redirector.start();
        int before = cluster.served() + cluster.rejected();
        try {
            TestApi.Answer a = api.post("/k8s/cluster/add", body("name", "redirected", "api_server", "http://127.0.0.1:"
                    + redirector.getAddress().getPort(), "token", TOKEN, "insecure", true));
            assertEquals(503, a.status(), a::toString);
            assertEquals(before, cluster.served() + cluster.rejected(), "the cluster the redirect pointed at was never called");
            assertNull(listed("redirected"));
        } finally {
            redirector.stop(0);
        }
    }

    @Test
    @Order(5)
    void rejectedCredentialsAre403AndNothingIsStored() {
        int rejectedBefore = cluster.rejected();
        TestApi.Answer a = api.post("/k8s/cluster/add", body("name", "delta", "api_server", cluster.url(),
                "token", OTHER_TOKEN, "insecure", true));
        assertEquals(403, a.status(), a::toString);
        assertEquals("Forbidden", a.errorType());
        assertThat(a.message()).as(a.message()).contains("rejected the credentials");
        assertNoSecret(a.raw());
        assertTrue(cluster.rejected() > rejectedBefore, "the mock saw the wrong token");
        assertNull(listed("delta"));

        TestApi.Answer viaKubeconfig = api.post("/k8s/cluster/add", body("name", "delta", "kubeconfig",
                kubeconfig(cluster, OTHER_TOKEN), "insecure", true));
        assertEquals(403, viaKubeconfig.status(), viaKubeconfig::toString);
        assertNoSecret(viaKubeconfig.raw());
        assertNull(listed("delta"));
    }

    @Test
    @Order(6)
    void verifyFalseStoresAnUnreachableCluster() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        TestApi.Answer a = api.post("/k8s/cluster/add", body("name", "epsilon", "api_server",
                "http://127.0.0.1:" + port, "token", TOKEN, "insecure", true, "verify", false));
        assertEquals(200, a.status(), a::toString);
        assertEquals("unknown", a.data().get("reachability").asString());
        assertTrue(a.data().get("server_version").isNull());
        assertEquals("unknown", listed("epsilon").get("reachability").asString());
        // a client is built (no call made); using it fails as an unreachable cluster
        ClusterContext context = clusters().resolve("epsilon");
        assertEquals("epsilon", context.name());

        ClusterView checked = clusters().registry().check("epsilon");
        assertEquals("unreachable", checked.reachability());
        assertNotNull(checked.lastError());
        assertEquals("unreachable", listed("epsilon").get("reachability").asString());

        TestApi.Answer https = api.post("/k8s/cluster/add", body("name", "epsilon-ca", "api_server",
                "https://127.0.0.1:" + port, "token", TOKEN, "ca_data", CA_DATA, "verify", false));
        assertEquals(200, https.status(), https::toString);
        assertEquals("verified-ca-data", https.data().get("tls_mode").asString());
        TestApi.Answer skip = api.post("/k8s/cluster/add", body("name", "epsilon-skip", "api_server",
                "https://127.0.0.1:" + port, "token", TOKEN, "insecure_skip_tls_verify", true, "verify", false));
        assertEquals("insecure-skip-verify", skip.data().get("tls_mode").asString());
        TestApi.Answer system = api.post("/k8s/cluster/add", body("name", "epsilon-sys", "api_server",
                "https://127.0.0.1:" + port, "token", TOKEN, "verify", false));
        assertEquals("verified-system-trust", system.data().get("tls_mode").asString());
        for (String n : List.of("epsilon", "epsilon-ca", "epsilon-skip", "epsilon-sys")) {
            assertEquals(200, api.delete("/k8s/cluster/remove?cluster_name=" + n).status());
        }
    }

    @Test
    @Order(7)
    void kubeconfigRegistration() {
        TestApi.Answer a = api.post("/k8s/cluster/add", body("name", "zeta", "kubeconfig", kubeconfig(cluster, TOKEN),
                "insecure", true, "description", "from a kubeconfig"));
        assertEquals(200, a.status(), a::toString);
        assertNoSecret(a.raw());
        assertEquals("kubeconfig", a.data().get("auth_kind").asString());
        assertEquals("plain-http", a.data().get("tls_mode").asString());
        assertEquals(cluster.url(), a.data().get("api_server").asString());
        assertEquals("v1.33.0", a.data().get("server_version").asString());
        assertEquals("v1.33.0", clusters().resolve("zeta").client().getKubernetesVersion().getGitVersion());
        assertEquals("default", clusters().resolve("zeta").client().getConfiguration().getNamespace());
    }

    @Test
    @Order(8)
    void registerFromKubeconfigUpserts() throws IOException {
        Path file = dataDir.resolve("demo-kubeconfig.yaml");
        Files.writeString(file, kubeconfig(cluster, TOKEN));
        ClusterView first = clusters().registerFromKubeconfig("sandbox", file, "The demo's sandbox");
        assertEquals("unknown", first.reachability());
        ClusterView second = clusters().registerFromKubeconfig("sandbox", file, "The demo's sandbox, again");
        assertEquals(first.createdAt(), second.createdAt());
        assertEquals("The demo's sandbox, again", listed("sandbox").get("description").asString());
        assertEquals("v1.33.0", clusters().resolve("sandbox").client().getKubernetesVersion().getGitVersion());
        assertThrows(ApiException.ValidationError.class,
                () -> clusters().registerFromKubeconfig("Not_A_Name", file, null));

        // registry.register-at-start: NAME=FILE entries; a file no plugin wrote is skipped, a relative path refused
        Path missing = dataDir.resolve("nobody-wrote-this.yaml");
        clusters().registerAtStart(CloudPilotServer.config(Optional.empty(), Map.of(ServerClusters.REGISTER_AT_START,
                " sandbox=" + file + ", ghost=" + missing)));
        assertEquals("Registered at start from " + file, listed("sandbox").get("description").asString());
        assertThat(api.get("/k8s/cluster/list").raw()).as("a missing file registers nothing")
                .doesNotContain("\"ghost\"");
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class, () -> clusters()
                .registerAtStart(CloudPilotServer.config(Optional.empty(), Map.of(ServerClusters.REGISTER_AT_START,
                        "sandbox=demo-kubeconfig.yaml"))));
        assertThat(relative.getMessage()).contains(ServerClusters.REGISTER_AT_START, "NAME=ABSOLUTE_PATH");
    }

    @Test
    @Order(9)
    void credentialsAreEncryptedAtRest() throws Exception {
        // zeta (kubeconfig) and sandbox exist from the tests before; add a token registration
        TestApi.Answer a = api.post("/k8s/cluster/add", tokenBody("eta"));
        assertEquals(200, a.status(), a::toString);
        String stored = storedContent();
        assertThat(stored).as("the test reads the registry's storage").contains("eta", cluster.url());
        assertThat(stored).as("sealed values are stored").contains("v1:");
        assertThat(stored).as("the token is stored in clear").doesNotContain(TOKEN);
        assertThat(stored).as("a kubeconfig's other users are not stored at all").doesNotContain("unused-user-token");
        assertThat(stored).as("the kubeconfig is stored in clear").doesNotContain("current-context");
        TestApi.Answer list = api.get("/k8s/cluster/list");
        assertNoSecret(list.raw());
        TestApi.Answer ready = api.get("/health/ready");
        assertNoSecret(ready.raw());
    }

    @Test
    @Order(10)
    void keyFileIsCreatedPrivate() throws IOException {
        Path key = dataDir.resolve("secret.key");
        assertTrue(Files.isRegularFile(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(key).trim()).length);
    }

    @Test
    @Order(11)
    void resolveAndRemoveNeedAName() {
        assertThrows(ApiException.ValidationError.class, () -> clusters().resolve(null));
        assertThrows(ApiException.ValidationError.class, () -> clusters().resolve(" "));
        assertThrows(ApiException.ClusterNotFound.class, () -> clusters().resolve("no-such-cluster"));
        TestApi.Answer missing = api.delete("/k8s/cluster/remove");
        assertEquals(400, missing.status(), missing::toString);
        assertThat(missing.message()).as(missing.message()).contains("cluster_name");
        TestApi.Answer bad = api.delete("/k8s/cluster/remove?cluster_name=Not_Valid");
        assertEquals(400, bad.status(), bad::toString);
    }

    @Test
    @Order(12)
    void readinessReportsTheRegistry() {
        TestApi.Answer ready = api.get("/health/ready");
        assertEquals(200, ready.status(), ready::toString);
        assertThat(ready.raw()).as(ready.raw()).contains("cluster-registry");
        assertTrue(clusters().healthy());
        assertTrue(clusters().lastError().isEmpty());
    }

    @Test
    @Order(13)
    void noLogLineAtAnyLevelCarriesACredential() {
        // a fresh registration: its clients are built while every CloudPilot and fabric8 logger is at ALL
        Map<String, Object> b = tokenBody("theta");
        assertEquals(200, api.post("/k8s/cluster/add", b).status());
        assertEquals("v1.33.0", clusters().resolve("theta").client().getKubernetesVersion().getGitVersion());
        assertEquals(403, api.post("/k8s/cluster/add", body("name", "iota", "api_server", cluster.url(),
                "token", OTHER_TOKEN, "insecure", true)).status());
        assertEquals(200, api.delete("/k8s/cluster/remove?cluster_name=theta").status());
        List<String> lines = logs.lines();
        assertTrue(lines.stream().anyMatch(l -> l.contains("theta")), "the capture sees CloudPilot's logs");
        for (String line : lines) {
            assertFalse(line.contains(TOKEN) || line.contains(OTHER_TOKEN) || line.contains("unused-user-token"),
                    "a credential in a log line: " + line);
        }
    }

    @Test
    @Order(14)
    void concurrentRequestsAreSerializedCorrectly() throws Exception {
        int n = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<TestApi.Answer>> distinct = new ArrayList<>();
            List<java.util.concurrent.Future<TestApi.Answer>> same = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String name = "par-" + i;
                distinct.add(pool.submit(() -> {
                    go.await();
                    return api.post("/k8s/cluster/add", body("name", name, "api_server", cluster.url(), "token", TOKEN,
                            "insecure", true, "verify", false));
                }));
                same.add(pool.submit(() -> {
                    go.await();
                    return api.post("/k8s/cluster/add", body("name", "par-same", "api_server", cluster.url(),
                            "token", TOKEN, "insecure", true, "verify", false));
                }));
            }
            go.countDown();
            for (var f : distinct) {
                TestApi.Answer a = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(200, a.status(), a::toString);
            }
            int created = 0;
            for (var f : same) {
                TestApi.Answer a = f.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(a.status() == 200 || a.status() == 409, a::toString);
                created += a.status() == 200 ? 1 : 0;
            }
            assertEquals(1, created, "one add of the same name wins, the others are 409");
            List<java.util.concurrent.Future<String>> resolved = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                resolved.add(pool.submit(() -> clusters().resolve("par-same").client().getKubernetesVersion()
                        .getGitVersion()));
            }
            for (var f : resolved) {
                assertEquals("v1.33.0", f.get(60, java.util.concurrent.TimeUnit.SECONDS));
            }
            for (int i = 0; i < n; i++) {
                assertEquals(200, api.delete("/k8s/cluster/remove?cluster_name=par-" + i).status());
            }
            assertEquals(200, api.delete("/k8s/cluster/remove?cluster_name=par-same").status());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(90)
    void registrationsSurviveARestart() {
        assertNotNull(listed("eta"));
        restartServer();
        JsonNode eta = listed("eta");
        assertNotNull(eta, "registrations persist");
        assertEquals("reachable", eta.get("reachability").asString());
        assertEquals("v1.33.0", eta.get("server_version").asString());
        assertNotNull(listed("zeta"));
        assertEquals("v1.33.0", clusters().resolve("eta").client().getKubernetesVersion().getGitVersion());
        assertEquals("v1.33.0", clusters().resolve("zeta").client().getKubernetesVersion().getGitVersion());
    }

    @Test
    @Order(91)
    void aChangedKeyFailsClearlyAndReplaceRecovers() throws IOException {
        server.close();
        server = null;
        Path key = dataDir.resolve("secret.key");
        byte[] other = new byte[32];
        new SecureRandom().nextBytes(other);
        Files.writeString(key, Base64.getEncoder().encodeToString(other) + "\n");
        startServer(Map.of());

        assertNotNull(listed("eta"), "listing needs no secret");
        ApiException.ClusterUnavailable e = assertThrows(ApiException.ClusterUnavailable.class,
                () -> clusters().resolve("eta"));
        assertTrue(e.getMessage().startsWith("Cannot decrypt the credentials of cluster 'eta': the secret key changed"),
                e.getMessage());
        assertEquals(503, e.status());

        TestApi.Answer again = api.post("/k8s/cluster/add", body("name", "eta", "api_server", cluster.url(),
                "token", TOKEN, "insecure", true, "replace", true));
        assertEquals(200, again.status(), again::toString);
        assertEquals("v1.33.0", clusters().resolve("eta").client().getKubernetesVersion().getGitVersion());

        server.close();
        server = null;
        String configured = Base64.getEncoder().encodeToString(other);
        startServer(Map.of("cloudpilot.secret-key", configured));
        assertEquals("v1.33.0", clusters().resolve("eta").client().getKubernetesVersion().getGitVersion(),
                "the same key given as cloudpilot.secret-key works");
    }

    @Test
    @Order(92)
    void rotatingTheKeyReencryptsEveryCredentialWhileTheOldKeyStillOpensThem() throws Exception {
        // state of @Order(91): the server runs with key 'other' (configured); eta is sealed with it, zeta with a lost key
        server.close();
        server = null;
        String other = Files.readString(dataDir.resolve("secret.key")).strip(); // base64, as configured in @Order(91)
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        String next = Base64.getEncoder().encodeToString(fresh);
        String storedBefore = storedContent();

        // the switch: the new key encrypts, the old one still opens what it sealed
        startServer(Map.of("cloudpilot.secret-key", next, "cloudpilot.previous-secret-keys", other));
        assertEquals("v1.33.0", clusters().resolve("eta").client().getKubernetesVersion().getGitVersion(),
                "a credential sealed with the previous key is used during the switch");
        assertTrue(logs.lines().stream().anyMatch(l -> l.contains("Secret key rotation: the credentials of 1 cluster(s) "
                + "were encrypted again")), "the rotation says what it did");
        String storedAfter = storedContent();
        assertNotEquals(storedBefore, storedAfter, "the stored values changed");
        assertThat(storedAfter).as("no key is stored").doesNotContain(next, other);

        // the old key removed: every credential it sealed was moved to the new key
        server.close();
        server = null;
        startServer(Map.of("cloudpilot.secret-key", next));
        assertEquals("v1.33.0", clusters().resolve("eta").client().getKubernetesVersion().getGitVersion(),
                "re-encrypted with the new key");
        ApiException.ClusterUnavailable lost = assertThrows(ApiException.ClusterUnavailable.class,
                () -> clusters().resolve("zeta"));
        assertThat(lost.getMessage()).as("a value of a key nobody gave is left alone: "
                + lost.getMessage()).contains("secret key changed");
        TestApi.Answer added = api.post("/k8s/cluster/add", tokenBody("theta"));
        assertEquals(200, added.status(), added::toString);

        // a malformed previous key stops the start and is never quoted
        server.close();
        server = null;
        RuntimeException refused = assertThrows(RuntimeException.class, () -> startServer(Map.of(
                "cloudpilot.secret-key", next, "cloudpilot.previous-secret-keys", next + ",not-a-key-4f2a")));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = refused; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).as(messages::toString).contains("Key 2 of cloudpilot.previous-secret-keys");
        assertThat(messages.toString()).as(messages::toString).doesNotContain("not-a-key-4f2a");
        startServer(Map.of("cloudpilot.secret-key", next));
    }
}
