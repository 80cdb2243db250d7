package io.cloudpilot.platform.http;

import io.cloudpilot.platform.errors.Causes;
import io.cloudpilot.platform.json.Json;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * The one place that renders the answers the web server gives by itself, before (or instead of) JAX-RS, as error
 * envelopes: the edge's {@link Refusal}s, and Helidon's own — a malformed request line or header (400), a body over
 * {@code server.max-payload-size} (413), a request line or header section over its limit (414, 431), an unknown path
 * under Helidon's features such as {@code /health/foo} (404), too many requests in progress (503), an error no
 * handler caught (500). Helidon's message is never shown: it may repeat what the request carried.
 */
public final class EdgeErrors implements DirectHandler {

    private static final EdgeErrors INSTANCE = new EdgeErrors();

    private EdgeErrors() {
    }

    /** @return direct handlers that answer every kind of event with an envelope */
    public static DirectHandlers handlers() {
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            builder.addHandler(type, INSTANCE);
        }
        return builder.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, Throwable thrown) {
        var refusal = Causes.find(thrown, Refusal.class);
        if (refusal.isPresent()) {
            return answer(refusal.get().envelope(), responseHeaders, false);
        }
        return handle(request, eventType, defaultStatus, responseHeaders, (String) null);
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        if (request instanceof Refusal.Refused refused) {
            return answer(refused.refusal().envelope(), responseHeaders, false);
        }
        return answer(envelope(defaultStatus.code(), request.path()), responseHeaders, eventType.keepAlive());
    }

    /**
     * @param status a status the web server answered by itself
     * @param path   the request's path, if known (empty otherwise)
     * @return its envelope
     */
    public static Envelope envelope(int status, String path) {
        return switch (status) {
            case 400 -> Envelope.error(400, "The request is not valid HTTP/1.1 (request line, header or body framing); "
                    + "the connection is closed.", "ValidationError", "malformed request");
            case 404 -> ErrorMapper.notFound(path == null || path.isEmpty() ? "this path" : path);
            case 405 -> Envelope.error(405, "This endpoint does not accept this method.", "MethodNotAllowed",
                    "method not allowed");
            case 413 -> Envelope.error(413, "The request body is larger than this server accepts "
                    + "(server.max-payload-size).", "PayloadTooLarge", "request body too large");
            case 414 -> Envelope.error(414, "The request line is longer than this server accepts "
                    + "(server.protocols.http_1_1.max-prologue-length): shorten the query.", "ValidationError",
                    "request line too long");
            case 431 -> Envelope.error(431, "The request's header section is larger than this server accepts "
                    + "(server.protocols.http_1_1.max-headers-size).", "ValidationError", "header section too large");
            case 503 -> Envelope.error(503, "The server has too many requests in progress; retry in a moment.",
                    "ServiceUnavailable", "too many concurrent requests");
            case 505 -> Envelope.error(505, "CloudPilot speaks HTTP/1.1: send the request over HTTP/1.1.",
                    "ValidationError", "HTTP version not supported");
            default -> status >= 500
                    ? Envelope.error(500, "CloudPilot failed unexpectedly; the server log has the details.",
                            "InternalError", "internal error")
                    : Envelope.error(status, "The request cannot be served (HTTP " + status + ").", "ValidationError",
                            "HTTP " + status);
        };
    }

    /**
     * @param code an HTTP status code
     * @return the status with its reason phrase, 431 included (Helidon 4.3 has no constant for it)
     */
    static Status status(int code) {
        return code == 431 ? Status.create(431, "Request Header Fields Too Large") : Status.create(code);
    }

    private static TransportResponse answer(Envelope envelope, ServerResponseHeaders responseHeaders,
                                            boolean keepAlive) {
        byte[] body = Json.MAPPER.writeValueAsBytes(envelope);
        return TransportResponse.builder()
                .status(status(envelope.code()))
                .headers(responseHeaders)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .entity(body)
                .keepAlive(keepAlive)
                .build();
    }
}
