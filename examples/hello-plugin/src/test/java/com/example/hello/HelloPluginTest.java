package com.example.hello;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hello plugin in a real CloudPilot server (the testkit's: a free port, a sandbox cluster in instant mode),
 * called over HTTP as an operator calls it. The plugin is on the test class path, so the server finds it like an
 * installed one; {@code @CloudPilotTest} starts the server before the first test and stops it after the last.
 */
@CloudPilotTest(config = "plugins.hello.owner-label=team")
class HelloPluginTest {

    private static CloudPilotTestServer server;

    @Test
    void greetingComesInTheEnvelope() {
        ApiResponse r = server.client().get("/hello/greeting?name=operator");
        assertEquals(200, r.status(), r.toString());
        assertEquals(200, r.code());
        assertEquals("hello, operator", r.data().path("greeting_text").asString());
        assertEquals("hello", r.data().path("plugin_id").asString());
    }

    @Test
    void badInputIsA400InTheEnvelope() {
        ApiResponse r = server.client().get("/hello/greeting?name=" + "x".repeat(65));
        assertEquals(400, r.status(), r.toString());
        assertEquals("ValidationError", r.errorType());
        assertTrue(r.message().contains("'name'"), r.message());
    }

    @Test
    void listedAsLoadedWithItsEndpoints() {
        JsonNode hello = plugin("hello");
        assertEquals("loaded", hello.path("status").asString(), hello.toString());
        List<String> paths = new ArrayList<>();
        hello.path("paths").forEach(p -> paths.add(p.asString()));
        assertTrue(paths.containsAll(List.of("GET /hello/greeting", "GET /hello/namespaces")), paths.toString());
    }

    @Test
    void namespacesWithoutOwnerAreNamedAndALabelledOneIsOwned() {
        server.sandbox().client().namespaces().resource(new NamespaceBuilder().withNewMetadata()
                .withName("billing").withLabels(Map.of("team", "payments")).endMetadata().build()).create();
        ApiResponse r = server.client().get("/hello/namespaces?force_refresh=true");
        assertEquals(200, r.status(), r.toString());
        List<String> without = new ArrayList<>();
        r.data().path("without_owner").forEach(n -> without.add(n.asString()));
        assertTrue(without.contains("shop"), without.toString());
        assertFalse(without.contains("billing"), without.toString());
        assertFalse(without.stream().anyMatch(n -> n.startsWith("kube-")), "system namespaces are left out: " + without);
        assertEquals("payments", r.data().path("owned").path("billing").asString(), r.toString());
    }

    @Test
    void healthSummaryShowsTheContribution() {
        ApiResponse r = server.client().get("/istio/health/summary?force_refresh=true");
        assertEquals(200, r.status(), r.toString());
        JsonNode section = r.data().path("contributions").path("hello");
        assertEquals("team", section.path("owner_label").asString(), r.toString());
        List<String> without = new ArrayList<>();
        section.path("namespaces_without_owner").forEach(n -> without.add(n.asString()));
        assertTrue(without.contains("shop"), section.toString());
        JsonNode issue = StreamSupport.stream(r.data().path("top_issues").spliterator(), false)
                .filter(i -> i.path("source").asString().equals("hello")).findFirst()
                .orElseThrow(() -> new AssertionError("no issue from the hello plugin: " + r));
        assertEquals("NamespaceWithoutOwner", issue.path("code").asString());
        assertEquals("info", issue.path("severity").asString());
        assertTrue(issue.path("endpoint").asString().startsWith("/hello/namespaces"), issue.toString());
    }

    @Test
    void endpointsAreInTheOpenApiDocument() {
        ApiResponse r = server.client().get("/openapi");
        assertEquals(200, r.status());
        assertTrue(r.raw().contains("/hello/namespaces"), "the jar's Jandex index documents its endpoints");
    }

    private static JsonNode plugin(String id) {
        JsonNode plugins = server.client().get("/plugins").data().path("plugins");
        return StreamSupport.stream(plugins.spliterator(), false).filter(p -> p.path("id").asString().equals(id))
                .findFirst().orElseThrow(() -> new AssertionError("plugin " + id + " not listed: " + plugins));
    }
}
