package io.cloudpilot.testkit;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every answer, success or error, is {@code {code, message, data}} with HTTP status = code.
 */
@CloudPilotTest
class EnvelopeTest {

    private static CloudPilotTestServer server;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) throws Exception {
        server.pluginDirs(PluginJars.helloPluginDirectory());
    }

    @Test
    void successIsWrapped() {
        ApiResponse r = server.client().get("/hello/greeting");
        assertEquals(200, r.status());
        assertEquals(200, r.code());
        assertEquals("ok", r.message());
        assertEquals("hello", r.data().path("greeting_text").asString(), "snake_case field names");
        assertEquals("application/json", r.header("content-type").orElseThrow());
    }

    @ParameterizedTest
    @CsvSource({
            "ValidationError, 400", "Unauthenticated, 401", "Forbidden, 403", "ClusterNotFound, 404",
            "NotFound, 404", "IstioNotInstalled, 404", "Conflict, 409", "InternalError, 500",
            "ClusterUnavailable, 503", "ClusterTimeout, 503"})
    void eachErrorTypeHasItsStatus(String type, int status) {
        ApiResponse r = server.client().get("/hello/error?type=" + type);
        assertEquals(status, r.status(), r.toString());
        assertEquals(status, r.code());
        assertEquals(type, r.errorType());
        assertFalse(r.message().isBlank());
        assertTrue(r.data().has("details"));
    }

    @Test
    void unexpectedExceptionIs500WithoutInternals() {
        ApiResponse r = server.client().get("/hello/error?type=bug");
        assertEquals(500, r.status());
        assertEquals("InternalError", r.errorType());
        assertThat(r.raw()).as("exception message must not leak: " + r.raw()).doesNotContain("secret-detail-42");
        assertThat(r.raw()).as("no exception class in the answer").doesNotContain("IllegalStateException");
        assertThat(r.raw()).as("no stack trace in the answer").doesNotContain("at ext.hello");
    }

    @Test
    void unknownPathIs404InTheEnvelope() {
        ApiResponse r = server.client().get("/no/such/endpoint");
        assertEquals(404, r.status());
        assertEquals(404, r.code());
        assertEquals("NotFound", r.errorType());
        assertThat(r.message()).as(r.message()).contains("/no/such/endpoint");
    }

    @Test
    void wrongMethodIs405InTheEnvelope() {
        ApiResponse r = server.client().post("/plugins", "{}");
        assertEquals(405, r.status(), r.toString());
        assertEquals(405, r.code());
        assertEquals("MethodNotAllowed", r.errorType());
        assertThat(r.message()).as(r.message()).contains("GET");
        assertThat(r.header("allow").orElse("")).contains("GET");
    }

    @Test
    void malformedCommonParameterIs400() {
        ApiResponse r = server.client().get("/hello/nodes?force_refresh=maybe");
        assertEquals(400, r.status());
        assertEquals("ValidationError", r.errorType());
        assertThat(r.message()).as(r.message()).contains("force_refresh");
        ApiResponse twice = server.client().get("/hello/nodes?force_refresh=true&force_refresh=false");
        assertEquals(400, twice.status());
        ApiResponse badName = server.client().get("/hello/nodes?cluster_name=Not_A_Name");
        assertEquals(400, badName.status());
    }

    @Test
    void aPluginsEndpointRefusesParametersItDoesNotDeclare() {
        ApiResponse typo = server.client().get("/hello/nodes?cluster_nme=sandbox");
        assertEquals(400, typo.status(), typo.toString());
        assertEquals("ValidationError", typo.errorType());
        assertEquals("Query parameter 'cluster_nme' is not one GET /hello/nodes takes (did you mean 'cluster_name'?): "
                + "it takes cluster_name, force_refresh.", typo.message(), "from the plugin's own @QueryParams");
        ApiResponse none = server.client().get("/hello/greeting?verbose=true");
        assertEquals(400, none.status(), none.toString());
        assertThat(none.message()).as(none.message()).contains("it takes no query parameters");
        String longName = "p".repeat(200);
        ApiResponse shortened = server.client().get("/hello/greeting?" + longName + "=1");
        assertEquals(400, shortened.status(), shortened.toString());
        assertTrue(shortened.message().startsWith("Query parameter '" + "p".repeat(40) + "…' (200 characters) is not one"),
                "only the caller's value is shortened: " + shortened.message());
        assertEquals(200, server.client().get("/hello/nodes?force_refresh=true").status());
    }

    @Test
    void malformedJsonBodyIs400WithoutEchoingIt() {
        ApiResponse r = server.client().send(HttpRequest.newBuilder(server.client().uri("/hello/greeting"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\": sk-live-abcdef")));
        assertTrue(r.status() == 405 || r.status() == 400, r.toString());
        assertThat(r.raw()).doesNotContain("sk-live-abcdef");
    }

    @Test
    void openApiDeclaresTheEnvelope() throws Exception {
        ApiResponse r = server.client().get("/openapi?format=JSON");
        assertEquals(200, r.status(), r.toString());
        JsonNode doc = JsonMapper.builder().build().readTree(r.raw());
        JsonNode info = doc.path("paths").path("/hello/nodes").path("get");
        JsonNode schema = info.path("responses").path("200").path("content").path("application/json").path("schema");
        assertTrue(schema.path("properties").has("code"), schema.toString());
        assertTrue(schema.path("properties").has("message"));
        JsonNode data = schema.path("properties").path("data");
        assertTrue(data.has("$ref") || data.has("properties"), "data carries the DTO schema: " + data);
        assertTrue(info.path("responses").has("503"), "cluster errors are declared");
        assertTrue(doc.path("components").path("schemas").has("ErrorEnvelope"));
        boolean forceRefreshDocumented = false;
        for (JsonNode p : info.path("parameters")) {
            if (p.path("name").asString().equals("force_refresh")) {
                forceRefreshDocumented = !p.path("description").asString().isBlank()
                        && p.path("schema").path("default").asBoolean(true) == false;
            }
        }
        assertTrue(forceRefreshDocumented, "force_refresh has a description and default: " + info.path("parameters"));
        assertThat(r.raw()).as("DTO fields are snake_case in the schema").contains("greeting_text");
    }

    @Test
    void openApiGivesEachErrorStatusItsOwnExample() throws Exception {
        JsonNode doc = JsonMapper.builder().build().readTree(server.client().get("/openapi?format=JSON").raw());
        assertEquals("CloudPilot", doc.path("info").path("title").asString());
        assertFalse(doc.path("info").path("version").asString().isBlank(), doc.path("info").toString());
        JsonNode responses = doc.path("paths").path("/hello/nodes").path("get").path("responses");
        Map<String, List<String>> expected = Map.of(
                "400", List.of("ValidationError"), "401", List.of("Unauthenticated"),
                "403", List.of("Forbidden"), "404", List.of("ClusterNotFound", "NotFound",
                        "IstioNotInstalled"), "500", List.of("InternalError"),
                "503", List.of("ClusterUnavailable", "ClusterTimeout", "ShuttingDown"));
        expected.forEach((status, types) -> {
            JsonNode examples = responses.path(status).path("content").path("application/json").path("examples");
            assertEquals(types.size(), examples.size(), status + ": " + responses.path(status));
            for (String type : types) {
                JsonNode value = examples.path(type).path("value");
                assertEquals(Integer.parseInt(status), value.path("code").asInt(), status + " " + type + ": " + value);
                assertEquals(type, value.path("data").path("error_type").asString(), value.toString());
                assertFalse(value.path("message").asString().isBlank(), value.toString());
            }
        });
        JsonNode errorTypes = doc.path("components").path("schemas").path("ErrorEnvelope").path("properties")
                .path("data").path("properties").path("error_type").path("enum");
        List<String> enumeration = new ArrayList<>();
        errorTypes.forEach(t -> enumeration.add(t.asString()));
        assertTrue(enumeration.containsAll(List.of("ShuttingDown", "MethodNotAllowed", "Conflict",
                "ValidationError", "ClusterTimeout")), enumeration.toString());
    }

    @Test
    void swaggerUiIsServed() {
        ApiResponse r = server.client().get("/openapi/ui/index.html");
        assertEquals(200, r.status());
        assertThat(r.raw().toLowerCase(Locale.ROOT)).contains("swagger");
    }
}
