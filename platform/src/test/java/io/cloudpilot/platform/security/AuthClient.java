package io.cloudpilot.platform.security;

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
 * An HTTP client for the CloudPilot API that sends (or does not send) an {@code Authorization} header, as an
 * operator's script would.
 */
final class AuthClient {

    private final String baseUrl;
    private final String authorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One answer. */
    record Answer(int status, HttpResponse<String> response, JsonNode body) {
        String raw() {
            return response.body();
        }

        String errorType() {
            return body.path("data").path("error_type").asString();
        }

        String message() {
            return body.path("message").asString();
        }

        JsonNode data() {
            return body.path("data");
        }

        @Override
        public String toString() {
            return status + " " + raw();
        }
    }

    AuthClient(String baseUrl, String authorization) {
        this.baseUrl = baseUrl;
        this.authorization = authorization;
    }

    static AuthClient anonymous(String baseUrl) {
        return new AuthClient(baseUrl, null);
    }

    static AuthClient bearer(String baseUrl, String token) {
        return new AuthClient(baseUrl, "Bearer " + token);
    }

    Answer get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    Answer delete(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).DELETE());
    }

    Answer method(String method, String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    Answer post(String path, Map<String, ?> body) {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body))));
    }

    private URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }

    private Answer send(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = null;
            if (r.headers().firstValue("content-type").orElse("").contains("json") && !r.body().isEmpty()) {
                body = Json.MAPPER.readTree(r.body());
            }
            return new Answer(r.statusCode(), r, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
