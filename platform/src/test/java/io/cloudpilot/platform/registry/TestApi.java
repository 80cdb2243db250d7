package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.cloudpilot.platform.json.Json;

import tools.jackson.databind.JsonNode;

/**
 * A tiny HTTP client for the CloudPilot API, as an operator's script would call it.
 */
final class TestApi {

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer: status, parsed body (null when not JSON), raw text. */
    record Answer(int status, JsonNode body, String raw) {
        JsonNode data() {
            return body.get("data");
        }

        String message() {
            return body.get("message").asString();
        }

        String errorType() {
            return body.get("data").get("error_type").asString();
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    TestApi(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Answer get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    Answer delete(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).DELETE());
    }

    Answer post(String path, Map<String, ?> body) {
        return postRaw(path, Json.MAPPER.writeValueAsString(body));
    }

    Answer postRaw(String path, String json) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            if (r.headers().firstValue("content-type").orElse("").contains("json") && !r.body().isEmpty()) {
                body = Json.MAPPER.readTree(r.body());
            }
            return new Answer(r.statusCode(), body, r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
