package io.cloudpilot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the CloudPilot API, as an operator's script would use it.
 */
public final class ApiClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String baseUrl;
    private final String bearerToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param baseUrl e.g. {@code http://127.0.0.1:8000}
     */
    public ApiClient(String baseUrl) {
        this(baseUrl, null);
    }

    private ApiClient(String baseUrl, String bearerToken) {
        this.baseUrl = baseUrl;
        this.bearerToken = bearerToken;
    }

    /**
     * @param token an API token (see {@link CloudPilotTestServer.Builder#token})
     * @return a client for the same server that sends {@code Authorization: Bearer <token>} with every request
     */
    public ApiClient withToken(String token) {
        return new ApiClient(baseUrl, token);
    }

    /** @return the base URL */
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * @param pathAndQuery e.g. {@code /k8s/cluster/info?cluster_name=sandbox}
     * @return the answer
     */
    public ApiResponse get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).GET());
    }

    /**
     * @param pathAndQuery the path
     * @param json         the body
     * @return the answer
     */
    public ApiResponse post(String pathAndQuery, String json) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    /**
     * @param pathAndQuery the path
     * @return the answer
     */
    public ApiResponse delete(String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).DELETE());
    }

    /**
     * @param method       any HTTP method
     * @param pathAndQuery the path
     * @return the answer
     */
    public ApiResponse method(String method, String pathAndQuery) {
        return send(HttpRequest.newBuilder(uri(pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    /**
     * Sends a request built by the caller (headers, body, method) against this server.
     *
     * @param request the request builder, its URI already set
     * @return the answer
     */
    public ApiResponse send(HttpRequest.Builder request) {
        if (bearerToken != null) {
            request.setHeader("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, java.util.List<String>> headers = new TreeMap<>();
            response.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
            JsonNode body = null;
            String contentType = response.headers().firstValue("content-type").orElse("");
            if (contentType.contains("json") && !response.body().isEmpty()) {
                body = JSON.readTree(response.body());
            }
            return new ApiResponse(response.statusCode(), headers, body, response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param pathAndQuery a path with query
     * @return the absolute URI
     */
    public URI uri(String pathAndQuery) {
        return URI.create(baseUrl + pathAndQuery);
    }
}
