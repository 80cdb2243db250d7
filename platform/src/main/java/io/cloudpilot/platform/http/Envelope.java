package io.cloudpilot.platform.http;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    /** A quoted value longer than this is shortened in error messages. */
    private static final int QUOTED_MAX = 80;
    private static final int MESSAGE_MAX = 1000;
    private static final Pattern LONG_QUOTE = Pattern.compile("'([^']{" + (QUOTED_MAX + 1) + ",})'");

    static Envelope error(int code, String message, String errorType, String details) {
        return new Envelope(code, readable(message), new ErrorData(errorType, readable(details)));
    }

    /**
     * Keeps an error sentence readable whatever the caller sent: a quoted echo of a value is cut to its start,
     * control characters become U+FFFD, and the whole stays under {@value #MESSAGE_MAX} characters.
     *
     * @param text a message or details
     * @return the text as shown to the caller
     */
    static String readable(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = LONG_QUOTE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = m.group(1);
            m.appendReplacement(out, Matcher.quoteReplacement("'" + value.substring(0, QUOTED_MAX / 2) + "…' ("
                    + value.length() + " characters)"));
        }
        m.appendTail(out);
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                out.setCharAt(i, '\uFFFD');
            }
        }
        return out.length() > MESSAGE_MAX ? out.substring(0, MESSAGE_MAX - 1) + "…" : out.toString();
    }
}
