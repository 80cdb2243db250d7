package io.cloudpilot.platform.audit;

/**
 * One audit entry as {@code GET /audit} shows it.
 *
 * @param id        its sequence number in the database
 * @param time      ISO-8601 UTC with milliseconds
 * @param principal who: a token's name, or {@code anonymous}
 * @param role      the caller's role, or null
 * @param action    what was done or attempted
 * @param method    the HTTP method
 * @param path      the request path
 * @param cluster   the cluster, or null
 * @param namespace the namespace, or null
 * @param object    the object, or null
 * @param from      the state before, or null
 * @param to        the state asked for, or null
 * @param result    {@code ok}, {@code dry-run}, {@code denied} or an error type
 * @param status    the HTTP status answered
 */
public record AuditEntryView(long id, String time, String principal, String role, String action, String method,
                             String path, String cluster, String namespace, String object, String from, String to,
                             String result, int status) {
}
