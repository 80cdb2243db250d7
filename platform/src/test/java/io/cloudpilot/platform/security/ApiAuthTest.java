package io.cloudpilot.platform.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.AllLogs;
import io.cloudpilot.platform.CloudPilotServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API tokens and roles end to end: a real server in server mode (SQLite registry) with a viewer, an operator and an
 * admin token configured by their SHA-256 only, called over HTTP as an operator's script would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiAuthTest {

    static final String VIEWER = token();
    static final String OPERATOR = token();
    static final String ADMIN = token();
    /** A well-formed token no one configured. */
    static final String STRANGER = token();

    Path dataDir;
    CloudPilotServer server;
    AllLogs logs;
    AuthClient anonymous;
    AuthClient viewer;
    AuthClient operator;
    AuthClient admin;

    static String token() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return "cpt_" + HexFormat.of().formatHex(b);
    }

    static String hash(String token) {
        return "sha256:" + HexFormat.of().formatHex(TokenAuthenticator.sha256(token));
    }

    static Map<String, String> tokenSettings() {
        Map<String, String> s = new HashMap<>();
        String[][] tokens = {{"viewer-vic", "viewer", VIEWER}, {"operator-olga", "operator", OPERATOR},
                {"admin-ann", "admin", ADMIN}};
        for (int i = 0; i < tokens.length; i++) {
            s.put("cloudpilot.auth.tokens." + i + ".name", tokens[i][0]);
            s.put("cloudpilot.auth.tokens." + i + ".role", tokens[i][1]);
            s.put("cloudpilot.auth.tokens." + i + ".hash", hash(tokens[i][2]));
        }
        return s;
    }

    @BeforeAll
    void start() throws IOException {
        logs = new AllLogs();
        dataDir = Files.createTempDirectory("cloudpilot-auth-test-");
        Map<String, String> s = new HashMap<>(tokenSettings());
        s.put("server.port", "0");
        s.put("server.host", "127.0.0.1");
        s.put("cloudpilot.mode", "server");
        s.put("cloudpilot.data-dir", dataDir.toString());
        s.put("plugins.dirs", dataDir.resolve("no-plugins").toString());
        server = CloudPilotServer.start(Optional.empty(), s);
        anonymous = AuthClient.anonymous(server.url());
        viewer = AuthClient.bearer(server.url(), VIEWER);
        operator = AuthClient.bearer(server.url(), OPERATOR);
        admin = AuthClient.bearer(server.url(), ADMIN);
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (logs != null) {
            logs.close();
        }
    }

    private static void assertUnauthenticated(AuthClient.Answer a) {
        assertEquals(401, a.status(), a::toString);
        assertEquals(401, a.body().path("code").asInt(), a::toString);
        assertEquals("Unauthenticated", a.errorType(), a::toString);
        assertTrue(a.response().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"),
                () -> "WWW-Authenticate: Bearer on " + a);
    }

    private static void assertForbidden(AuthClient.Answer a, String needed) {
        assertEquals(403, a.status(), a::toString);
        assertEquals(403, a.body().path("code").asInt(), a::toString);
        assertEquals("Forbidden", a.errorType(), a::toString);
        assertThat(a.message()).as(a::message).contains("'" + needed + "'");
    }

    @Test
    @Order(1)
    void withoutATokenEveryEndpointAnswers401BeforeAnythingElse() {
        assertUnauthenticated(anonymous.get("/k8s/cluster/list"));
        assertUnauthenticated(anonymous.get("/plugins"));
        assertUnauthenticated(anonymous.post("/k8s/cluster/add", Map.of("name", "x", "api_server", "https://k.example",
                "token", "t", "verify", false)));
        // an anonymous caller learns nothing about which paths exist, or which parameters are valid
        assertUnauthenticated(anonymous.get("/no/such/endpoint"));
        assertUnauthenticated(anonymous.method("PUT", "/k8s/cluster/list"));
        assertUnauthenticated(anonymous.get("/k8s/cluster/list?page_size=abc"));
        assertUnauthenticated(anonymous.get("/audit"));
    }

    @Test
    @Order(2)
    void aWrongTokenIs401AndNeverEchoed() {
        AuthClient.Answer stranger = AuthClient.bearer(server.url(), STRANGER).get("/k8s/cluster/list");
        assertUnauthenticated(stranger);
        assertThat(stranger.raw()).as(stranger::raw).doesNotContain(STRANGER);
        assertThat(stranger.response().headers().map().toString()).doesNotContain(STRANGER);

        AuthClient.Answer basic = new AuthClient(server.url(), "Basic " + STRANGER).get("/k8s/cluster/list");
        assertUnauthenticated(basic);
        assertThat(basic.raw()).as(basic::raw).doesNotContain(STRANGER);
        // a token that differs from a configured one in its last character only
        String almost = ADMIN.substring(0, ADMIN.length() - 1) + (ADMIN.endsWith("0") ? "1" : "0");
        assertUnauthenticated(AuthClient.bearer(server.url(), almost).get("/k8s/cluster/list"));
        // the hash itself is not a token
        assertUnauthenticated(AuthClient.bearer(server.url(), hash(ADMIN)).get("/k8s/cluster/list"));
    }

    @Test
    @Order(3)
    void aViewerReadsAndSeesUnknownPathsAs404And405() {
        AuthClient.Answer list = viewer.get("/k8s/cluster/list");
        assertEquals(200, list.status(), list::toString);
        assertEquals(200, viewer.get("/plugins").status());
        AuthClient.Answer unknown = viewer.get("/no/such/endpoint");
        assertEquals(404, unknown.status(), unknown::toString);
        assertEquals("NotFound", unknown.errorType());
        AuthClient.Answer wrongMethod = viewer.method("PUT", "/k8s/cluster/list");
        assertEquals(405, wrongMethod.status(), wrongMethod::toString);
        AuthClient.Answer badParam = viewer.get("/k8s/cluster/list?page_size=abc");
        assertEquals(400, badParam.status(), badParam::toString);
    }

    @Test
    @Order(4)
    void viewersAndOperatorsCannotChangeTheRegistry() {
        Map<String, Object> body = Map.of("name", "denied-one", "api_server", "https://k.example", "token",
                "t0k-registry", "verify", false);
        assertForbidden(viewer.post("/k8s/cluster/add", body), "admin");
        assertForbidden(operator.post("/k8s/cluster/add", body), "admin");
        assertForbidden(operator.delete("/k8s/cluster/remove?cluster_name=denied-one"), "admin");
        // spelling the path differently reaches the same endpoint and needs the same role
        assertForbidden(operator.post("/k8s/cluster/add/", body), "admin");
        JsonNode clusters = admin.get("/k8s/cluster/list").data().path("clusters");
        assertEquals(0, clusters.size(), clusters::toString);
    }

    @Test
    @Order(5)
    void anAdminRegistersAndRemovesClusters() {
        AuthClient.Answer add = admin.post("/k8s/cluster/add", Map.of("name", "prod-eu", "api_server",
                "https://k.example", "token", "t0k-registry", "verify", false));
        assertEquals(200, add.status(), add::toString);
        assertEquals("prod-eu", viewer.get("/k8s/cluster/list").data().path("clusters").get(0).path("name").asString());
        AuthClient.Answer remove = admin.delete("/k8s/cluster/remove?cluster_name=prod-eu");
        assertEquals(200, remove.status(), remove::toString);
        assertEquals(0, viewer.get("/k8s/cluster/list").data().path("clusters").size());
    }

    @Test
    @Order(6)
    void onlyAnAdminReadsTheAuditLog() {
        assertForbidden(viewer.get("/audit"), "admin");
        assertForbidden(operator.get("/audit"), "admin");
        // issue 20: Jersey's automatic OPTIONS answered a viewer 200 with what /audit accepts
        assertForbidden(viewer.method("OPTIONS", "/audit"), "admin");
        assertEquals(403, viewer.method("HEAD", "/audit").status());
        AuthClient.Answer audit = admin.get("/audit");
        assertEquals(200, audit.status(), audit::toString);
        assertEquals(200, admin.method("OPTIONS", "/audit").status());
    }

    @Test
    @Order(7)
    void healthIsOpenByDefaultAndMetricsAndOpenApiAreNot() {
        AuthClient.Answer live = anonymous.get("/health/live");
        assertEquals(200, live.status(), live::toString);
        AuthClient.Answer ready = anonymous.get("/health/ready");
        assertEquals(200, ready.status());
        // issue 20: the open readiness check showed where the database lives
        assertThat(ready.raw()).as(ready::raw).contains("\"database\":\"sqlite\"");
        assertThat(ready.raw()).as(ready::raw).doesNotContain(dataDir.toString(), "cloudpilot.db");
        assertUnauthenticated(anonymous.get("/metrics"));
        assertUnauthenticated(anonymous.get("/openapi"));
        assertUnauthenticated(anonymous.get("/openapi/ui"));
        // an open prefix does not open what a dot segment would reach
        assertUnauthenticated(anonymous.get("/health/%2e%2e/k8s/cluster/list"));
        // writes are never open
        assertUnauthenticated(anonymous.method("POST", "/health/live"));
        assertEquals(200, viewer.get("/metrics").status());
        AuthClient.Answer openapi = viewer.get("/openapi");
        assertEquals(200, openapi.status());
        assertTrue(openapi.raw().contains("securitySchemes") && openapi.raw().contains("scheme: bearer"),
                "Swagger UI can send a token: " + openapi.raw().substring(0, 300));
    }

    @Test
    @Order(8)
    void everyWriteAndEveryDenialIsAudited() throws Exception {
        JsonNode entries = admin.get("/audit?page_size=1000").data().path("entries");
        List<JsonNode> all = new ArrayList<>();
        entries.forEach(all::add);

        JsonNode added = find(all, e -> e.path("action").asString().equals("clusters.add"));
        assertEquals("token:admin-ann", added.path("principal").asString());
        assertEquals("admin", added.path("role").asString());
        assertEquals("prod-eu", added.path("cluster").asString());
        assertEquals("Cluster/prod-eu", added.path("object").asString());
        assertEquals("ok", added.path("result").asString());
        assertEquals(200, added.path("status").asInt());
        assertTrue(added.path("time").asString().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"),
                added::toString);
        JsonNode removed = find(all, e -> e.path("action").asString().equals("clusters.remove"));
        assertEquals("prod-eu", removed.path("cluster").asString());

        JsonNode viewerDenied = find(all, e -> e.path("principal").asString().equals("token:viewer-vic")
                && e.path("status").asInt() == 403 && e.path("path").asString().equals("/k8s/cluster/add"));
        assertEquals("denied", viewerDenied.path("result").asString());
        assertEquals("viewer", viewerDenied.path("role").asString());
        assertEquals("POST", viewerDenied.path("method").asString());
        JsonNode anonymousDenied = find(all, e -> e.path("principal").asString().equals("anonymous")
                && e.path("status").asInt() == 401 && e.path("path").asString().equals("/k8s/cluster/list"));
        assertEquals("denied", anonymousDenied.path("result").asString());
        find(all, e -> e.path("status").asInt() == 403 && e.path("path").asString().equals("/audit")
                && e.path("principal").asString().equals("token:operator-olga"));
        assertFalse(all.stream().anyMatch(e -> e.path("method").asString().equals("GET")
                        && e.path("status").asInt() == 200),
                "successful reads are not audited");

        // filters and paging
        JsonNode mine = admin.get("/audit?principal=token%3Aviewer-vic&result=denied").data();
        assertTrue(mine.path("total").asInt() >= 2, mine::toString);
        mine.path("entries").forEach(e -> assertEquals("token:viewer-vic", e.path("principal").asString()));
        JsonNode page = admin.get("/audit?page_size=2&page=2&sort_order=asc").data();
        assertEquals(2, page.path("count").asInt(), page::toString);
        assertEquals(all.size(), page.path("total").asInt(), page::toString);
        assertEquals(all.get(all.size() - 3).path("id").asLong(), page.path("entries").get(0).path("id").asLong(),
                "ascending page 2 holds the 3rd oldest entry");
        // Helidon answers 400 to a raw ':' in a query: a time's colons travel as %3A (curl -G --data-urlencode)
        AuthClient.Answer future = admin.get("/audit?since=2999-01-01T00%3A00%3A00Z");
        assertEquals(200, future.status(), future::toString);
        assertEquals(0, future.data().path("total").asInt(), future::toString);
        assertEquals(0, admin.get("/audit?since=2999-01-01").data().path("total").asInt());
        assertEquals(all.size(), admin.get("/audit?since=2000-01-01&page_size=1").data().path("total").asInt());
        assertEquals(400, admin.get("/audit?since=yesterday").status());
        assertEquals(400, admin.get("/audit?sort_by=token").status());

        // the same entries are in the dedicated file and in the registry's database
        List<String> file = Files.readAllLines(dataDir.resolve("audit.log"));
        assertTrue(file.stream().anyMatch(l -> l.contains("principal=\"token:admin-ann\"") && l.contains("action=\"clusters.add\"")
                && l.contains("cluster=\"prod-eu\"") && l.contains("status=200")), () -> String.join("\n", file));
        assertTrue(file.stream().anyMatch(l -> l.contains("principal=\"anonymous\"") && l.contains("result=\"denied\"")
                && l.contains("status=401")), () -> String.join("\n", file));
        try (Connection c = new org.sqlite.JDBC().connect("jdbc:sqlite:" + dataDir.resolve("cloudpilot.db"),
                new java.util.Properties());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM audit_log WHERE principal = 'token:admin-ann' AND action = "
                     + "'clusters.add' AND cluster = 'prod-eu'")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
        assertTrue(logs.lines().stream().anyMatch(l -> l.startsWith("cloudpilot.audit ")
                && l.contains("action=\"clusters.remove\"") && l.contains("principal=\"token:admin-ann\"")));
    }

    @Test
    @Order(9)
    void noTokenAppearsInAnyLogLineAuditEntryOrFile() throws IOException {
        List<String> lines = logs.lines();
        assertTrue(lines.size() > 50, "the capture saw the server's logs: " + lines.size());
        String audit = admin.get("/audit?page_size=1000").raw();
        String file = Files.readString(dataDir.resolve("audit.log"));
        for (String t : List.of(VIEWER, OPERATOR, ADMIN, STRANGER)) {
            for (String line : lines) {
                assertFalse(line.contains(t), () -> "a token in the log: " + line);
                assertFalse(line.contains(hash(t).substring(7)), () -> "a token's hash in the log: " + line);
            }
            assertThat(audit).doesNotContain(t);
            assertThat(file).doesNotContain(t);
        }
        String metrics = admin.get("/metrics").raw();
        for (String t : List.of(VIEWER, OPERATOR, ADMIN, STRANGER)) {
            assertThat(metrics).doesNotContain(t);
        }
    }

    private static JsonNode find(List<JsonNode> entries, java.util.function.Predicate<JsonNode> p) {
        return entries.stream().filter(p).findFirst()
                .orElseThrow(() -> new AssertionError("no such audit entry in " + entries));
    }
}
