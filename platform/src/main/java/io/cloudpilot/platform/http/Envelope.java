package io.cloudpilot.platform.http;

/**
 * The body of every response: HTTP status = {@code code}.
 *
 * @param code    the HTTP status
 * @param message one sentence: "ok", or what went wrong and what to do
 * @param data    the payload, or {@code {error_type, details}} for an error
 */
public record Envelope(int code, String message, Object data) {

    /**
     * The {@code data} of an error envelope.
     *
     * @param errorType the contract's error type, e.g. {@code ValidationError}
     * @param details   more detail for the caller
     */
    public record ErrorData(String errorType, String details) {
    }

    static Envelope ok(Object data) {
        return new Envelope(200, "ok", data);
    }

    static Envelope error(int code, String message, String errorType, String details) {
        return new Envelope(code, message, new ErrorData(errorType, details));
    }
}
