package io.cloudpilot.platform.registry;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /k8s/cluster/add} (JSON, snake_case; unknown fields are rejected). Either
 * {@code api_server} with {@code token}, or {@code kubeconfig}.
 *
 * @param name                  DNS-1123 label, at most 63 characters: the {@code cluster_name} of later requests
 * @param apiServer             absolute {@code https://} URL of the API server ({@code http://} only with
 *                              {@code insecure: true})
 * @param token                 bearer token; stored encrypted, never shown
 * @param description           free text, at most 1024 characters
 * @param caData                base64 of the PEM CA certificate(s) that sign the API server's certificate
 * @param insecureSkipTlsVerify true: do not verify the API server's TLS certificate (default false)
 * @param insecure              true: accept an {@code http://} API server (default false)
 * @param kubeconfig            a kubeconfig (YAML) instead of {@code api_server} and {@code token}: its current
 *                              context is used; stored encrypted, never shown
 * @param verify                check that the cluster answers {@code GET /version} with these credentials before
 *                              storing (default true)
 * @param replace               replace an existing registration of this name (default false: 409)
 */
@Schema(name = "AddClusterRequest", description = "A cluster to register: api_server + token, or kubeconfig.")
public record AddClusterRequest(
        @Schema(description = "DNS-1123 label (lower-case letters, digits, '-'), at most 63 characters",
                example = "prod-eu-1", required = true) String name,
        @Schema(description = "Absolute https:// URL of the API server (http:// only with insecure: true)",
                example = "https://api.prod-eu-1.example.com:6443") String apiServer,
        @Schema(description = "Bearer token (e.g. of a service account); stored encrypted, never returned")
        String token,
        @Schema(description = "Free text, at most 1024 characters") String description,
        @Schema(description = "Base64 of the PEM CA certificate(s) of the API server; default: the JVM's trusted CAs")
        String caData,
        @Schema(description = "true: do not verify the API server's certificate (default false)")
        Boolean insecureSkipTlsVerify,
        @Schema(description = "true: accept a plain http:// api_server (default false)") Boolean insecure,
        @Schema(description = "A kubeconfig (YAML) instead of api_server + token; its current context is used; inline "
                + "credentials only (no exec, auth-provider or file paths); stored encrypted, never returned")
        String kubeconfig,
        @Schema(description = "Check GET /version with these credentials before storing (default true)")
        Boolean verify,
        @Schema(description = "Replace an existing registration of this name (default false: 409 Conflict)")
        Boolean replace) {

    /** Leaves the token and the kubeconfig out. */
    @Override
    public String toString() {
        return "AddClusterRequest[name=" + name + ", apiServer=" + apiServer + ", token=" + (token == null ? "-" : "***")
                + ", description=" + description + ", caData=" + (caData == null ? "-" : "(" + caData.length() + " chars)")
                + ", insecureSkipTlsVerify=" + insecureSkipTlsVerify + ", insecure=" + insecure + ", kubeconfig="
                + (kubeconfig == null ? "-" : "***") + ", verify=" + verify + ", replace=" + replace + "]";
    }
}
