package io.cloudpilot.platform.registry;

/**
 * A validated registration with its secrets in clear, in memory only. {@link #toString()} leaves the secrets out.
 *
 * @param name        the cluster's name
 * @param apiServer   its API server URL (for a kubeconfig: the server of its current context)
 * @param description free text, or null
 * @param authKind    token or kubeconfig
 * @param tlsMode     how TLS is verified
 * @param caData      base64 PEM CA data, or null
 * @param token       the bearer token (token registrations), or null
 * @param kubeconfig  the kubeconfig reduced to its current context (kubeconfig registrations), or null
 */
public record ClusterRegistration(String name, String apiServer, String description, AuthKind authKind,
                                  TlsMode tlsMode, String caData, String token, String kubeconfig) {

    /** Leaves the token and the kubeconfig out. */
    @Override
    public String toString() {
        return "ClusterRegistration[name=" + name + ", apiServer=" + apiServer + ", authKind=" + authKind.wire()
                + ", tlsMode=" + tlsMode.wire() + ", token=" + (token == null ? "-" : "***") + ", kubeconfig="
                + (kubeconfig == null ? "-" : "***") + "]";
    }
}
