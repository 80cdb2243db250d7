package io.cloudpilot.platform.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.RequestException;
import io.helidon.http.ServerRequestHeaders;

/**
 * A request the HTTP edge refuses before any handler sees it (malformed framing, a Host it does not serve, an HTTP
 * version it does not speak): the status and the sentence of its error envelope. Its message is that sentence and
 * never holds anything the request carried, so it can reach a log without leaking; it has no stack trace (it is an
 * answer, not a bug). The connection is always closed after it: the rest of the stream cannot be trusted.
 */
public final class Refusal extends RuntimeException {

    private final int status;
    private final String errorType;
    private final String details;

    /**
     * @param status    the HTTP status
     * @param errorType the contract's error type
     * @param message   the sentence for the caller: what is wrong and what to send instead
     * @param details   a short reason, e.g. {@code Transfer-Encoding with Content-Length}
     */
    public Refusal(int status, String errorType, String message, String details) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
        this.details = details;
    }

    /**
     * @param message the sentence
     * @param details the reason
     * @return a 400 {@code ValidationError}
     */
    public static Refusal badRequest(String message, String details) {
        return new Refusal(400, "ValidationError", message, details);
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the error envelope */
    public Envelope envelope() {
        return Envelope.error(status, getMessage(), errorType, details);
    }

    /**
     * @return the refusal as Helidon's HTTP/1 server raises it: answered through {@link EdgeErrors} with
     *         {@code Connection: close}
     */
    public RequestException toRequestException() {
        DirectHandler.EventType type = switch (status) {
            case 413 -> DirectHandler.EventType.PAYLOAD_TOO_LARGE;
            case 505 -> DirectHandler.EventType.HTTP_VERSION_NOT_SUPPORTED;
            default -> DirectHandler.EventType.BAD_REQUEST;
        };
        return RequestException.builder()
                .type(type)
                .status(EdgeErrors.status(status))
                .message(getMessage())
                .safeMessage(true)
                .setKeepAlive(false)
                .request(new Refused(this))
                .cause(this)
                .build();
    }

    /** What Helidon hands the direct handler for a refused request: the refusal, nothing of the request. */
    record Refused(Refusal refusal) implements DirectHandler.TransportRequest {
        @Override
        public String protocolVersion() {
            return "";
        }

        @Override
        public String method() {
            return "";
        }

        @Override
        public String path() {
            return "";
        }

        @Override
        public ServerRequestHeaders headers() {
            return ServerRequestHeaders.create();
        }
    }
}
