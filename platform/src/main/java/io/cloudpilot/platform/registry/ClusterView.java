package io.cloudpilot.platform.registry;

/**
 * A registration as the API shows it: never a secret.
 *
 * @param name          the cluster's name ({@code cluster_name} of other endpoints)
 * @param apiServer     its API server URL
 * @param description   free text, or null
 * @param createdAt     when it was first registered, ISO-8601 UTC
 * @param updatedAt     when it was last registered or replaced, ISO-8601 UTC
 * @param tlsMode       {@code verified-ca-data}, {@code verified-system-trust}, {@code insecure-skip-verify} or
 *                      {@code plain-http}
 * @param authKind      {@code token} or {@code kubeconfig}
 * @param reachability  {@code reachable}, {@code unreachable} or {@code unknown} (never called): what the check at
 *                      registration found, then what the latest call to the cluster found
 * @param checkedAt     when the cluster was last called or checked, ISO-8601 UTC, or null
 * @param lastError     what went wrong then, or null
 * @param serverVersion the {@code gitVersion} the cluster last reported (registration, {@code GET /k8s/cluster/info}),
 *                      or null
 */
public record ClusterView(String name, String apiServer, String description, String createdAt, String updatedAt,
                          String tlsMode, String authKind, String reachability, String checkedAt, String lastError,
                          String serverVersion) {

    /**
     * @param c a stored registration
     * @return how the API shows it
     */
    public static ClusterView of(StoredCluster c) {
        return new ClusterView(c.name(), c.apiServer(), c.description(), c.createdAt(), c.updatedAt(), c.tlsMode().wire(),
                c.authKind().wire(), c.reachability().wire(), c.checkedAt(), c.lastError(), c.serverVersion());
    }
}
