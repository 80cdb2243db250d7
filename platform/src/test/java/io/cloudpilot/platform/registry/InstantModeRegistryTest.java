package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.CloudPilotServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * In instant mode the registry endpoints exist but answer 400, saying they belong to server mode; no database or
 * key file is created.
 */
class InstantModeRegistryTest {

    private static Path dataDir;
    private static CloudPilotServer server;
    private static TestApi api;

    @BeforeAll
    static void start() throws IOException {
        dataDir = Files.createTempDirectory("cloudpilot-instant-test-");
        server = CloudPilotServer.start(Optional.empty(), Map.of(
                "server.port", "0",
                "server.host", "127.0.0.1",
                "cloudpilot.mode", "instant",
                "instant.kubeconfig", dataDir.resolve("no-kubeconfig.yaml").toString(),
                "cloudpilot.data-dir", dataDir.toString(),
                "plugins.dirs", dataDir.resolve("no-plugins").toString()));
        api = new TestApi(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void registryEndpointsBelongToServerMode() {
        TestApi.Answer add = api.post("/k8s/cluster/add", Map.of("name", "x", "api_server", "https://k.example",
                "token", "t"));
        TestApi.Answer list = api.get("/k8s/cluster/list");
        TestApi.Answer remove = api.delete("/k8s/cluster/remove?cluster_name=x");
        for (TestApi.Answer a : new TestApi.Answer[] {add, list, remove}) {
            assertEquals(400, a.status(), a::toString);
            assertEquals("ValidationError", a.errorType());
            assertThat(a.message()).as(a.message()).contains("belongs to server mode");
        }
        assertFalse(Files.exists(dataDir.resolve("cloudpilot.db")), "instant mode opens no registry");
        assertFalse(Files.exists(dataDir.resolve("secret.key")), "instant mode creates no key");
        TestApi.Answer ready = api.get("/health/ready");
        assertEquals(200, ready.status(), ready::toString);
    }
}
