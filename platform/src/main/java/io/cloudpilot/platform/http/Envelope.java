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

    private static final int MESSAGE_MAX = 1000;

    static Envelope error(int code, String message, String errorType, String details) {
        return new Envelope(code, readable(message), new ErrorData(errorType, readable(details)));
    }

    /**
     * Keeps an error sentence readable whatever it carries: control characters become U+FFFD and the whole stays
     * under {@value #MESSAGE_MAX} characters. Values the caller sent are shortened where the message quotes them
     * ({@link io.cloudpilot.spi.ApiException#quote}), never here: a pattern cannot tell a caller's value from the
     * sentence around it, and cut our own words instead.
     *
     * @param text a message or details
     * @return the text as shown to the caller
     */
    static String readable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(text);
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.setCharAt(i, '\uFFFD');
            }
        }
        return out.length() > MESSAGE_MAX ? out.substring(0, MESSAGE_MAX - 1) + "…" : out.toString();
    }
}
