package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import tools.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reads details and their validations over HTTP, for the tests. */
final class Details {

    private Details() {
    }

    static ApiResponse detail(CloudPilotTestServer server, String kind, String namespace, String name) {
        ApiResponse r = server.client().get("/api/istio/" + kind + "/detail?force_refresh=true&namespace=" + namespace
                + "&" + kind + "_name=" + name);
        assertEquals(200, r.status(), r.toString());
        return r;
    }

    static List<JsonNode> validations(CloudPilotTestServer server, String kind, String namespace, String name) {
        return validationsOf(detail(server, kind, namespace, name));
    }

    static List<JsonNode> validationsOf(ApiResponse detail) {
        List<JsonNode> out = new ArrayList<>();
        detail.data().path("validations").forEach(out::add);
        return out;
    }

    /** @return the one validation with this code and path, failing when there is not exactly one */
    static JsonNode find(List<JsonNode> validations, String code, String path) {
        List<JsonNode> hits = validations.stream()
                .filter(v -> v.path("code").asString().equals(code) && v.path("path").asString().equals(path)).toList();
        assertEquals(1, hits.size(), "expected one " + code + " at " + path + " in " + validations);
        return hits.getFirst();
    }

    /**
     * Asserts a finding with this code and path, of this severity, referring to the object named (any finding of the
     * code and path when {@code refKind} is null): a conflict has one finding per other object involved.
     */
    static void assertFinding(List<JsonNode> validations, String code, String severity, String path,
                              String refKind, String refNamespace, String refName) {
        List<JsonNode> hits = validations.stream()
                .filter(v -> v.path("code").asString().equals(code) && v.path("path").asString().equals(path)).toList();
        assertTrue(!hits.isEmpty(), "expected " + code + " at " + path + " in " + validations);
        JsonNode v = hits.stream().filter(h -> refKind == null || refers(h, refKind, refNamespace, refName)).findFirst()
                .orElse(null);
        assertTrue(v != null, "expected " + code + " at " + path + " with a ref to " + refKind + " " + refNamespace
                + "/" + refName + " in " + hits);
        assertEquals(severity, v.path("severity").asString(), v.toString());
        assertTrue(!v.path("message").asString().isBlank(), v.toString());
    }

    private static boolean refers(JsonNode v, String kind, String namespace, String name) {
        for (JsonNode ref : v.path("refs")) {
            if (ref.path("kind").asString().equals(kind) && ref.path("name").asString().equals(name)
                    && (namespace == null || ref.path("namespace").asString().equals(namespace))) {
                return true;
            }
        }
        return false;
    }

    /** No error and no warning: the correct objects must stay quiet. */
    static void assertQuiet(List<JsonNode> validations) {
        List<JsonNode> loud = validations.stream()
                .filter(v -> !v.path("severity").asString().equals("info")).toList();
        assertTrue(loud.isEmpty(), "false positives: " + loud);
    }

    static List<String> codes(List<JsonNode> validations) {
        return validations.stream().map(v -> v.path("code").asString()).toList();
    }
}
