package io.cloudpilot.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Plain HTTP against a sandbox, to see status codes, headers and bodies exactly as a client receives them. */
final class Http {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<String> get(SandboxCluster cluster, String path) {
        return send(cluster, "GET", path, null, null, true);
    }

    static HttpResponse<String> send(SandboxCluster cluster, String method, String path, String contentType, String body,
                                     boolean authenticated) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.url() + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (authenticated) {
            b.header("Authorization", "Bearer " + cluster.token());
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> json(HttpResponse<String> response) {
        return Json.parseObject(response.body());
    }
}
