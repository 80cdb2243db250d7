package io.cloudpilot.spi;

/**
 * Where plugins record every write they make to a cluster (and the platform every denied request): who did
 * what, to which object, from what to what, and how it ended. The platform adds the time and the caller's
 * identity. Records never hold a credential.
 */
public interface AuditLog {

    /**
     * One write or denial.
     *
     * @param action    what was done, e.g. {@code deployments.scale}
     * @param cluster   the cluster's name
     * @param namespace the object's namespace, or null
     * @param object    the object, e.g. {@code Deployment/frontend}
     * @param from      the state before, e.g. {@code replicas=3}, or null
     * @param to        the state asked for, e.g. {@code replicas=5}, or null
     * @param result    {@code ok}, {@code dry-run}, {@code denied} or the error type
     */
    record Entry(String action, String cluster, String namespace, String object, String from, String to,
                 String result) {
    }

    /**
     * Records an entry; never throws.
     *
     * @param entry what happened
     */
    void record(Entry entry);
}
