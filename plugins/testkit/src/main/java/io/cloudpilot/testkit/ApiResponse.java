package io.cloudpilot.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * One answer of the CloudPilot API, parsed.
 *
 * @param status  the HTTP status
 * @param headers the response headers (lower-case names)
 * @param body    the JSON body (the envelope), or null when the body is not JSON
 * @param raw     the body as text
 */
public record ApiResponse(int status, Map<String, List<String>> headers, JsonNode body, String raw) {

    /** @return the envelope's {@code code} */
    public int code() {
        return body.path("code").asInt(-1);
    }

    /** @return the envelope's {@code message} */
    public String message() {
        return body.path("message").asString();
    }

    /** @return the envelope's {@code data} */
    public JsonNode data() {
        return body.path("data");
    }

    /** @return {@code data.error_type} of an error envelope */
    public String errorType() {
        return data().path("error_type").asString();
    }

    /**
     * @param name a header name, any case
     * @return its first value
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + (raw.length() > 2000 ? raw.substring(0, 2000) + "..." : raw);
    }
}
