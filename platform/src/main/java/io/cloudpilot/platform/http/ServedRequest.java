package io.cloudpilot.platform.http;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * What the access log and the request metrics say about the request being served, beyond what the web server knows:
 * its id, the endpoint's route template, who it acts for and the cluster it read. {@link AccessLog} opens it around
 * the whole request; JAX-RS fills in the route and the caller ({@link ServedRequestFilter}), cluster resolution the
 * cluster. One per request, on the request's thread (JAX-RS runs on the web server's thread for the request).
 */
public final class ServedRequest {

    /** The header that carries the request's id in both directions. */
    public static final String ID_HEADER = "X-Request-Id";
    /** An id the caller sends is used when it looks like one: letters, digits, {@code . _ : -}, at most 64. */
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    private static final int MAX_NAME = 128;

    private static final ThreadLocal<ServedRequest> CURRENT = new ThreadLocal<>();

    private final String id;
    private volatile String route;
    private volatile String principal;
    private volatile String cluster;

    private ServedRequest(String id) {
        this.id = id;
    }

    /**
     * Starts recording the current thread's request.
     *
     * @param given the caller's {@code X-Request-Id}, or null
     * @return the request's record, with the caller's id when it is a valid one, else a new one
     */
    static ServedRequest begin(String given) {
        ServedRequest r = new ServedRequest(given != null && VALID_ID.matcher(given).matches() ? given : newId());
        CURRENT.set(r);
        return r;
    }

    /** Stops recording on this thread. */
    static void end() {
        CURRENT.remove();
    }

    /** @return the current request's record, or null outside a request */
    public static ServedRequest current() {
        return CURRENT.get();
    }

    /**
     * Notes the cluster the current request reads, if a request is being served.
     *
     * @param cluster the resolved cluster's name
     */
    public static void clusterRead(String cluster) {
        ServedRequest r = CURRENT.get();
        if (r != null) {
            r.cluster = bounded(cluster);
        }
    }

    private static String newId() {
        byte[] random = new byte[8];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Caller-influenced names (a JWT's subject) are cut to a bounded length before they are logged. */
    private static String bounded(String s) {
        return s == null || s.length() <= MAX_NAME ? s : s.substring(0, MAX_NAME) + "…";
    }

    /** @return the request's id */
    public String id() {
        return id;
    }

    /** @return the endpoint's path template, e.g. {@code /k8s/resources/pods/list}, or null when none matched */
    String route() {
        return route;
    }

    void route(String template) {
        this.route = template;
    }

    /** @return the caller ({@code token:NAME}, {@code jwt:NAME}), or null when the request carried no credential */
    String principal() {
        return principal;
    }

    void principal(String name) {
        this.principal = bounded(name);
    }

    /** @return the cluster it read, or null */
    String cluster() {
        return cluster;
    }
}
