package io.cloudpilot.platform.audit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.cloudpilot.platform.request.RequestLocal;
import io.cloudpilot.spi.AuditLog;

/**
 * What the audit log needs to know about the request being served: who it acts for, and what the plugins serving it
 * recorded through the SPI's {@link AuditLog}. Those entries are written when the response is known, with the
 * caller and the HTTP status. It is held for the request's thread only ({@link RequestLocal}): tasks a plugin runs in
 * parallel through {@code ResourceCache.parallelReads()} record into the same request; any other thread, however
 * it was started, records outside a request (written at once, as {@code system}).
 */
public final class RequestAudit {

    private static final RequestLocal<RequestAudit> CURRENT = RequestLocal.create();

    private final String method;
    private final String path;
    private final String clusterParam;
    private final List<AuditLog.Entry> entries = new CopyOnWriteArrayList<>();
    private volatile String principal = "anonymous";
    private volatile String role;
    private volatile boolean denied;

    private RequestAudit(String method, String path, String clusterParam) {
        this.method = method;
        this.path = path;
        this.clusterParam = clusterParam;
    }

    /**
     * Starts auditing a request on this thread.
     *
     * @param method       the HTTP method
     * @param path         the request path, without the query
     * @param clusterParam its {@code cluster_name} query parameter, or null
     * @return the request's audit
     */
    public static RequestAudit begin(String method, String path, String clusterParam) {
        RequestAudit r = new RequestAudit(method, path, clusterParam);
        CURRENT.set(r);
        return r;
    }

    /** @return the current request's audit, or null outside a request */
    public static RequestAudit current() {
        return CURRENT.get();
    }

    /** Stops auditing on this thread. */
    public static void end() {
        CURRENT.remove();
    }

    /**
     * @param name who the request acts for (a token's name)
     * @param role its role
     */
    public void caller(String name, String role) {
        this.principal = name;
        this.role = role;
    }

    /** Marks the request as refused by CloudPilot's own authentication or authorization. */
    public void denied() {
        this.denied = true;
    }

    void add(AuditLog.Entry entry) {
        entries.add(entry);
    }

    /** @return the HTTP method */
    public String method() {
        return method;
    }

    /** @return the path */
    public String path() {
        return path;
    }

    String clusterParam() {
        return clusterParam;
    }

    /** @return who the request acts for: a token's name, or {@code anonymous} */
    public String principal() {
        return principal;
    }

    /** @return the caller's role, or null when there is no authenticated caller */
    public String role() {
        return role;
    }

    boolean isDenied() {
        return denied;
    }

    List<AuditLog.Entry> entries() {
        return List.copyOf(entries);
    }
}
