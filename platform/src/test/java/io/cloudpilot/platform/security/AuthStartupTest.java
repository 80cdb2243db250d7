package io.cloudpilot.platform.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.AllLogs;
import io.cloudpilot.platform.CloudPilotServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How a server starts, or refuses to, depending on its bind address and its authentication settings.
 */
class AuthStartupTest {

    @TempDir
    Path dataDir;

    private Map<String, String> settings(String host, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put("server.port", "0");
        s.put("server.host", host);
        s.put("cloudpilot.mode", "server");
        s.put("cloudpilot.data-dir", dataDir.toString());
        s.put("plugins.dirs", dataDir.resolve("no-plugins").toString());
        s.putAll(extra);
        return s;
    }

    @Test
    void aPublicAddressWithoutAuthenticationRefusesToStart() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CloudPilotServer.start(Optional.empty(), settings("0.0.0.0", Map.of())).close());
        assertTrue(e.getMessage().contains("0.0.0.0") && e.getMessage().contains("without authentication")
                && e.getMessage().contains("cloudpilot.auth.tokens")
                && e.getMessage().contains("cloudpilot.auth.mode=none"), e.getMessage());
    }

    @Test
    void aSecondSocketOnAPublicAddressWithoutAuthenticationRefusesToStart() {
        // the guard used to look at server.host only: this served the whole API on every interface with no token
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CloudPilotServer.start(Optional.empty(), settings("127.0.0.1", Map.of(
                        "server.sockets.0.name", "admin", "server.sockets.0.host", "0.0.0.0",
                        "server.sockets.0.port", "0"))).close());
        assertTrue(e.getMessage().contains("0.0.0.0") && e.getMessage().contains("'admin'")
                && e.getMessage().contains("without authentication"), e.getMessage());
        // a socket without host binds every interface (Helidon's default)
        IllegalArgumentException noHost = assertThrows(IllegalArgumentException.class,
                () -> CloudPilotServer.start(Optional.empty(), settings("127.0.0.1", Map.of(
                        "server.sockets.0.name", "admin", "server.sockets.0.port", "0"))).close());
        assertTrue(noHost.getMessage().contains("0.0.0.0") && noHost.getMessage().contains("'admin'"),
                noHost.getMessage());
    }

    @Test
    void aSecondSocketOnLoopbackStartsAndServesThroughTheEdge() {
        try (CloudPilotServer server = CloudPilotServer.start(Optional.empty(), settings("127.0.0.1", Map.of(
                "server.sockets.0.name", "admin", "server.sockets.0.host", "127.0.0.1",
                "server.sockets.0.port", "0")))) {
            AuthClient.Answer list = AuthClient.anonymous(server.url()).get("/k8s/cluster/list");
            assertEquals(200, list.status(), list::toString);
        }
    }

    @Test
    void explicitlyNoAuthenticationStartsOnAPublicAddressWithAWarning() {
        try (AllLogs logs = new AllLogs();
             CloudPilotServer server = CloudPilotServer.start(Optional.empty(),
                     settings("0.0.0.0", Map.of("cloudpilot.auth.mode", "none")))) {
            AuthClient.Answer list = AuthClient.anonymous(server.url()).get("/k8s/cluster/list");
            assertEquals(200, list.status(), list::toString);
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains(" WARNING ")
                    && l.contains("API authentication is OFF") && l.contains("0.0.0.0")), "a warning at start");
        }
    }

    @Test
    void onLoopbackAuthenticationIsOffByDefaultAndWritesAreStillAudited() throws IOException {
        try (CloudPilotServer server = CloudPilotServer.start(Optional.empty(), settings("127.0.0.1", Map.of()))) {
            AuthClient anonymous = AuthClient.anonymous(server.url());
            assertEquals(200, anonymous.get("/metrics").status());
            AuthClient.Answer add = anonymous.post("/k8s/cluster/add", Map.of("name", "lab", "api_server",
                    "https://k.example", "token", "t0k-lab", "verify", false));
            assertEquals(200, add.status(), add::toString);
            AuthClient.Answer audit = anonymous.get("/audit");
            assertEquals(200, audit.status(), audit::toString);
            assertEquals("anonymous", audit.data().path("entries").get(0).path("principal").asString());
            assertEquals("clusters.add", audit.data().path("entries").get(0).path("action").asString());
            assertThat(Files.readString(dataDir.resolve("audit.log"))).doesNotContain("t0k-lab");
        }
    }

    @Test
    void tokensProtectAPublicAddress() {
        String token = ApiAuthTest.token();
        try (CloudPilotServer server = CloudPilotServer.start(Optional.empty(), settings("0.0.0.0", Map.of(
                "cloudpilot.auth.tokens.0.name", "ops", "cloudpilot.auth.tokens.0.role", "viewer",
                "cloudpilot.auth.tokens.0.hash", ApiAuthTest.hash(token))))) {
            assertEquals(401, AuthClient.anonymous(server.url()).get("/k8s/cluster/list").status());
            assertEquals(200, AuthClient.bearer(server.url(), token).get("/k8s/cluster/list").status());
        }
    }

    @Test
    void configuredOpenPathsAreServedWithoutAToken() {
        String token = ApiAuthTest.token();
        try (CloudPilotServer server = CloudPilotServer.start(Optional.empty(), settings("127.0.0.1", Map.of(
                "cloudpilot.auth.tokens.0.name", "ops", "cloudpilot.auth.tokens.0.role", "viewer",
                "cloudpilot.auth.tokens.0.hash", ApiAuthTest.hash(token),
                "cloudpilot.auth.open-paths", "/health,/openapi,/metrics")))) {
            AuthClient anonymous = AuthClient.anonymous(server.url());
            assertEquals(200, anonymous.get("/health/ready").status());
            AuthClient.Answer openapi = anonymous.get("/openapi");
            assertEquals(200, openapi.status(), openapi::toString);
            assertThat(openapi.raw()).as("the OpenAPI document").contains("/k8s/cluster/list");
            assertEquals(200, anonymous.get("/metrics").status());
            assertEquals(401, anonymous.get("/k8s/cluster/list").status());
            assertEquals(401, anonymous.get("/audit").status());
        }
    }

    @Test
    void aTokenPastedWhereItsHashBelongsStopsTheServerWithoutQuotingIt() {
        String token = ApiAuthTest.token();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CloudPilotServer.start(Optional.empty(), settings("127.0.0.1", Map.of(
                        "cloudpilot.auth.tokens.0.name", "ops", "cloudpilot.auth.tokens.0.role", "admin",
                        "cloudpilot.auth.tokens.0.hash", token))).close());
        assertTrue(e.getMessage().contains("cloudpilot.auth.tokens.0.hash") && e.getMessage().contains("sha256sum"),
                e.getMessage());
        assertThat(e.getMessage()).as(e.getMessage()).doesNotContain(token);
    }
}
