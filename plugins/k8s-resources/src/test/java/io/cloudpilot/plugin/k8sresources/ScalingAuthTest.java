package io.cloudpilot.plugin.k8sresources;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.HexFormat;

import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scaling under API authentication, instant mode: a viewer cannot scale, an operator can, and the audit log
 * ({@code GET /audit}, stored in instant mode's {@code <data-dir>/audit.db}) names who did what, from what to what.
 */
@CloudPilotTest
class ScalingAuthTest {

    private static final String PATH = "/k8s/resources/deployments/scaling";
    private static final String VIEWER = token();
    private static final String OPERATOR = token();
    private static final String ADMIN = token();

    private static CloudPilotTestServer server;

    private static String token() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) {
        server.token("dashboards", "viewer", VIEWER)
                .token("release-bot", "operator", OPERATOR)
                .token("sre-lead", "admin", ADMIN);
    }

    private static int specReplicas(String namespace, String name) {
        return server.sandbox().client().apps().deployments().inNamespace(namespace).withName(name).get().getSpec()
                .getReplicas();
    }

    @Test
    void onlyOperatorsScaleAndTheAuditLogSaysWhoDid() throws Exception {
        int before = specReplicas("shop", "cart");
        String body = "{\"namespace\":\"shop\",\"deployment_name\":\"cart\",\"replicas\":" + (before + 1) + "}";

        ApiResponse anonymous = server.client().post(PATH, body);
        assertEquals(401, anonymous.status(), anonymous.toString());
        assertEquals("Unauthenticated", anonymous.errorType());
        ApiResponse viewer = server.client().withToken(VIEWER).post(PATH, body);
        assertEquals(403, viewer.status(), viewer.toString());
        assertEquals("Forbidden", viewer.errorType());
        assertThat(viewer.message()).as(viewer.message()).contains("'operator'");
        assertEquals(before, specReplicas("shop", "cart"), "a refused request changes nothing");
        assertEquals(200, server.client().withToken(VIEWER).get("/k8s/resources/deployments/detail?namespace=shop"
                + "&deployment_name=cart").status(), "a viewer reads");

        ApiClient operator = server.client().withToken(OPERATOR);
        ApiResponse scaled = operator.post(PATH, body);
        assertEquals(200, scaled.status(), scaled.toString());
        assertEquals(before + 1, specReplicas("shop", "cart"));
        assertEquals(403, operator.get("/audit").status(), "the audit log is for admins");

        ApiResponse audit = server.client().withToken(ADMIN).get("/audit");
        assertEquals(200, audit.status(), audit.toString());
        JsonNode entries = audit.data().path("entries");
        JsonNode auditDenied = entries.get(0);
        assertEquals("GET /audit", auditDenied.path("action").asString(), entries.toString());
        assertEquals("token:release-bot", auditDenied.path("principal").asString());
        assertEquals("denied", auditDenied.path("result").asString());
        JsonNode scale = entries.get(1);
        assertEquals("deployments.scale", scale.path("action").asString(), entries.toString());
        assertEquals("token:release-bot", scale.path("principal").asString());
        assertEquals("operator", scale.path("role").asString());
        assertEquals(scaled.data().path("cluster_name").asString(), scale.path("cluster").asString());
        assertEquals("shop", scale.path("namespace").asString());
        assertEquals("Deployment/cart", scale.path("object").asString());
        assertEquals("replicas=" + before, scale.path("from").asString());
        assertEquals("replicas=" + (before + 1), scale.path("to").asString());
        assertEquals("ok", scale.path("result").asString());
        assertEquals(200, scale.path("status").asInt());
        assertEquals(1, countOf(entries, "deployments.scale"), "one entry per write: " + entries);

        JsonNode denied = entries.get(2);
        assertEquals("token:dashboards", denied.path("principal").asString(), entries.toString());
        assertEquals(403, denied.path("status").asInt());
        assertEquals("denied", denied.path("result").asString());
        assertEquals(PATH, denied.path("path").asString());
        JsonNode anonymousDenied = entries.get(3);
        assertEquals("anonymous", anonymousDenied.path("principal").asString(), entries.toString());
        assertEquals(401, anonymousDenied.path("status").asInt());

        // instant mode keeps its audit rows in a database of its own; it opens no cluster registry
        assertTrue(Files.exists(server.dataDir().resolve("audit.db")));
        assertFalse(Files.exists(server.dataDir().resolve("cloudpilot.db")));
        String file = Files.readString(server.dataDir().resolve("audit.log"));
        assertTrue(file.contains("principal=\"token:release-bot\"") && file.contains("to=\"replicas=" + (before + 1) + "\""),
                file);
        for (String t : new String[] {VIEWER, OPERATOR, ADMIN}) {
            assertFalse(file.contains(t) || audit.raw().contains(t));
        }
    }

    private static int countOf(JsonNode entries, String action) {
        int n = 0;
        for (JsonNode e : entries) {
            if (e.path("action").asString().equals(action)) {
                n++;
            }
        }
        return n;
    }
}
