package io.cloudpilot.testkit;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With every CloudPilot logger at every level and Helidon's and fabric8's at DEBUG (as {@link ServerLogFiles} sets
 * them), neither a caller's {@code Authorization} header nor the cluster's token reaches the log, the metrics or the
 * OpenAPI document: Helidon's request/response header logging is off, fabric8's HTTP logging is removed from
 * cluster clients.
 */
@CloudPilotTest(mode = "server")
class CredentialsNeverLoggedTest {

    private static CloudPilotTestServer server;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) throws Exception {
        server.pluginDirs(PluginJars.helloPluginDirectory());
    }

    @Test
    void callersCredentialsAndClusterTokensStayOutOfTheLog() throws Exception {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        String apiToken = "cp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        SecretLedger.record("a caller's bearer token", apiToken);
        for (String path : List.of("/hello/nodes?cluster_name=sandbox&force_refresh=true", "/k8s/cluster/list",
                "/no/such/path")) {
            server.client().send(HttpRequest.newBuilder(server.client().uri(path))
                    .header("Authorization", "Bearer " + apiToken).header("Cookie", "session=" + apiToken).GET());
        }
        assertEquals(200, server.client().get("/hello/nodes?cluster_name=sandbox&force_refresh=true").status());

        // what the server publishes is scanned too: metric labels and the OpenAPI document (its examples)
        long pid = ProcessHandle.current().pid();
        Files.writeString(SecretLedger.directory().resolve("metrics-" + pid + ".log"),
                server.client().get("/metrics").raw());
        Files.writeString(SecretLedger.directory().resolve("openapi-" + pid + ".log"),
                server.client().get("/openapi").raw());
        List<Path> logs;
        try (Stream<Path> files = Files.list(SecretLedger.directory())) {
            logs = files.filter(p -> p.getFileName().toString().endsWith(".log")).toList();
        }
        assertTrue(!logs.isEmpty(), "the server's log is captured under target/");
        assertTrue(logs.stream().anyMatch(p -> {
            try {
                return Files.readString(p).contains("FINE");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }), "debug records are captured");
        List<SecretScanner.Finding> findings = SecretScanner.scan(logs,
                SecretLedger.read(SecretLedger.directory().resolve(SecretLedger.FILE)));
        assertTrue(findings.isEmpty(), "credentials in the log: " + findings);
    }
}
