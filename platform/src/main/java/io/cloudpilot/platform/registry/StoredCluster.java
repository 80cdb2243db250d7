package io.cloudpilot.platform.registry;

/**
 * One row of the {@code clusters} table. Secrets are sealed ({@link SecretBox}); {@link #toString()} leaves them
 * out anyway.
 *
 * @param name             the cluster's name
 * @param apiServer        its API server URL
 * @param description      free text, or null
 * @param authKind         token or kubeconfig
 * @param tlsMode          how TLS is verified
 * @param caData           base64 PEM CA bundle, or null
 * @param tokenSealed      the sealed bearer token, or null
 * @param kubeconfigSealed the sealed kubeconfig, or null
 * @param revision         changes (a new UUID) every time the registration is saved
 * @param createdAt        ISO-8601 UTC
 * @param updatedAt        ISO-8601 UTC
 * @param reachability     the last check's outcome
 * @param checkedAt        when it was checked, or null
 * @param lastError        the last check's error sentence, or null
 * @param serverVersion    the {@code gitVersion} the cluster reported, or null
 */
public record StoredCluster(String name, String apiServer, String description, AuthKind authKind, TlsMode tlsMode,
                            String caData, String tokenSealed, String kubeconfigSealed, String revision,
                            String createdAt, String updatedAt, Reachability reachability, String checkedAt,
                            String lastError, String serverVersion) {

    /**
     * @param reachability  what the latest calls found
     * @param checkedAt     when
     * @param lastError     their error, or null
     * @param serverVersion the version they saw, or null to keep this row's
     * @return this row with what CloudPilot's calls to the cluster found since it was stored
     */
    public StoredCluster withCalls(Reachability reachability, String checkedAt, String lastError, String serverVersion) {
        return new StoredCluster(name, apiServer, description, authKind, tlsMode, caData, tokenSealed, kubeconfigSealed,
                revision, createdAt, updatedAt, reachability, checkedAt, lastError,
                serverVersion == null ? this.serverVersion : serverVersion);
    }

    /** Leaves the (sealed) secrets out. */
    @Override
    public String toString() {
        return "StoredCluster[name=" + name + ", apiServer=" + apiServer + ", authKind=" + authKind.wire()
                + ", tlsMode=" + tlsMode.wire() + ", revision=" + revision + ", updatedAt=" + updatedAt
                + ", reachability=" + reachability.wire() + "]";
    }
}
