package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.CloudPilotServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * How the server starts when the registry cannot be used: a database that does not answer leaves it running but
 * not ready; a key that must not be used stops it.
 */
class RegistryStartupTest {

    @TempDir
    Path dataDir;

    private Map<String, String> settings(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put("server.port", "0");
        s.put("server.host", "127.0.0.1");
        s.put("cloudpilot.mode", "server");
        s.put("cloudpilot.data-dir", dataDir.toString());
        s.put("plugins.dirs", dataDir.resolve("no-plugins").toString());
        s.putAll(extra);
        return s;
    }

    @Test
    void anUnreachableDatabaseMakesTheServerNotReady() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (CloudPilotServer server = CloudPilotServer.start(Optional.empty(), settings(Map.of(
                "db.url", "jdbc:postgresql://127.0.0.1:" + port + "/cloudpilot?password=in-the-url-secret",
                "db.user", "cloudpilot", "db.password", "pw-4c1d-secret")))) {
            TestApi api = new TestApi(server.url());
            TestApi.Answer ready = api.get("/health/ready");
            assertEquals(503, ready.status(), ready::toString);
            assertThat(ready.raw()).as(ready.raw()).contains("\"cluster-registry\"", "DOWN");
            assertThat(ready.raw()).as("no password in readiness: " + ready.raw()).doesNotContain("secret");
            // issue 20: the open readiness check named where the database lives
            assertThat(ready.raw()).as(ready.raw()).contains("\"database\":\"postgresql\"");
            assertThat(ready.raw()).as(ready.raw()).doesNotContain("127.0.0.1:" + port, "/cloudpilot");

            TestApi.Answer list = api.get("/k8s/cluster/list");
            assertEquals(503, list.status(), list::toString);
            assertEquals("ClusterUnavailable", list.errorType());
            assertThat(list.message()).as(list.message()).contains("registry's database is unavailable");
            TestApi.Answer add = api.post("/k8s/cluster/add", Map.of("name", "x", "api_server", "https://k.example",
                    "token", "t0k", "verify", false));
            assertEquals(503, add.status(), add::toString);
            assertFalse(list.raw().contains("secret") || add.raw().contains("secret"));
            TestApi.Answer live = api.get("/health/live");
            assertEquals(200, live.status(), live::toString);
        }
    }

    @Test
    void aKeyFileOthersCanReadStopsTheServer() throws IOException {
        Path key = dataDir.resolve("secret.key");
        Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        Files.writeString(key, java.util.Base64.getEncoder().encodeToString(new byte[32]));
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> CloudPilotServer.start(Optional.empty(), settings(Map.of())).close());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        assertThat(messages.toString()).as(messages.toString()).contains("chmod 600 " + key);

        // and the next server of this JVM starts normally once the file is fixed
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        try (CloudPilotServer server = CloudPilotServer.start(Optional.empty(), settings(Map.of()))) {
            assertEquals(200, new TestApi(server.url()).get("/k8s/cluster/list").status());
        }
    }
}
