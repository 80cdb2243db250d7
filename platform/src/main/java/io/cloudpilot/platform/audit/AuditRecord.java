package io.cloudpilot.platform.audit;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * One line of the audit log: a write, or a denied request.
 *
 * @param time      when it ended
 * @param principal who: a token's name, or {@code anonymous}
 * @param role      the caller's role, or null without an authenticated caller
 * @param action    what: e.g. {@code deployments.scale}, {@code clusters.add}, or {@code POST /path} for a request
 *                  no plugin described
 * @param method    the HTTP method
 * @param path      the request path (no query)
 * @param cluster   the cluster, or null
 * @param namespace the namespace, or null
 * @param object    the object, e.g. {@code Deployment/cart}, or null
 * @param from      the state before, or null
 * @param to        the state asked for, or null
 * @param result    {@code ok}, {@code dry-run}, {@code denied} or the error type
 * @param status    the HTTP status of the answer
 */
public record AuditRecord(Instant time, String principal, String role, String action, String method, String path,
                          String cluster, String namespace, String object, String from, String to, String result,
                          int status) {

    /** Fixed width, so that the stored text sorts and compares as time does. */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /** Longest value kept of any field: paths and names come from callers. */
    static final int MAX = 512;

    /** Cuts every field to {@link #MAX} characters. */
    public AuditRecord {
        principal = cut(principal);
        role = cut(role);
        action = cut(action);
        method = cut(method);
        path = cut(path);
        cluster = cut(cluster);
        namespace = cut(namespace);
        object = cut(object);
        from = cut(from);
        to = cut(to);
        result = cut(result);
    }

    /** @return the time as stored and shown: ISO-8601 UTC with milliseconds */
    public String timeText() {
        return TIME.format(time.truncatedTo(ChronoUnit.MILLIS));
    }

    /** @return the log line: {@code key="value"} pairs, quoted so that no value can forge a line or a field */
    public String line() {
        return "time=" + timeText() + " principal=" + quote(principal) + " role=" + quote(role)
                + " action=" + quote(action) + " cluster=" + quote(cluster) + " namespace=" + quote(namespace)
                + " object=" + quote(object) + " from=" + quote(from) + " to=" + quote(to) + " result=" + quote(result)
                + " status=" + status + " method=" + quote(method) + " path=" + quote(path);
    }

    private static String cut(String v) {
        return v == null || v.length() <= MAX ? v : v.substring(0, MAX) + "…";
    }

    static String quote(String v) {
        if (v == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
