package io.cloudpilot.platform.registry;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.BodyLimit;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.KubernetesPermission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The cluster registry of server mode: register, list and remove clusters. ({@code GET /k8s/cluster/info} is
 * served by the k8s-resources plugin.)
 */
@Path("/k8s/cluster")
@ApplicationScoped
@Tag(name = "Clusters", description = "The cluster registry and cluster facts")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterRegistryResource {

    /** A kubeconfig with its certificates fits many times over; a registration is never larger. */
    static final long ADD_BODY_LIMIT = 1024 * 1024;

    private final Instance<ServerClusters> server;
    private final Clusters clusters;
    private final AuditLog audit;

    /**
     * @param server   the registry's clusters, in server mode only
     * @param clusters the clusters of this server's mode
     * @param audit    the audit log
     */
    @Inject
    public ClusterRegistryResource(Instance<ServerClusters> server, Clusters clusters, AuditLog audit) {
        this.server = server;
        this.clusters = clusters;
        this.audit = audit;
    }

    /** Required by CDI for the client proxy. */
    protected ClusterRegistryResource() {
        this.server = null;
        this.clusters = null;
        this.audit = null;
    }

    /**
     * Registers a cluster: checks that it answers {@code GET /version} with the given credentials (unless
     * {@code verify} is false), then stores the registration with its credentials encrypted.
     *
     * @param body the registration
     * @return the stored registration, without secrets
     */
    @KubernetesPermission(verb = "create", group = "cloudpilot.io", resource = "clusters", namespaceParameter = "", nameParameter = "name")
    @POST
    @Path("/add")
    @Consumes(MediaType.APPLICATION_JSON)
    @BodyLimit(ClusterRegistryResource.ADD_BODY_LIMIT)
    @Operation(summary = "Register a cluster (server mode)",
            description = "Body: name, and api_server + token (optionally ca_data or insecure_skip_tls_verify; "
                    + "http:// only with insecure: true), or kubeconfig (its current context, inline credentials only). "
                    + "Unless verify is false, the cluster must answer GET /version with these credentials within the "
                    + "connect timeout: 503 when it cannot be reached, 403 when it rejects them, and nothing is stored. "
                    + "An existing name is 409 unless replace is true. Credentials are encrypted at rest and never "
                    + "returned.")
    public ClusterView add(@RequestBody(description = "The cluster to register", required = true)
                           AddClusterRequest body) {
        ClusterRegistry registry = registry("POST /k8s/cluster/add");
        ClusterRegistration registration = Registrations.validate(body);
        definedByFile(registration.name(), "replaced");
        boolean replace = Boolean.TRUE.equals(body.replace());
        String action = replace ? "clusters.replace" : "clusters.add";
        try {
            ClusterView added = registry.add(registration, !Boolean.FALSE.equals(body.verify()), replace);
            audit(action, registration.name(), "ok");
            return added;
        } catch (ApiException e) {
            audit(action, registration.name(), e.errorType());
            throw e;
        }
    }

    /**
     * Every registered cluster, without secrets.
     *
     * @return the registrations, sorted by name
     */
    @KubernetesPermission(verb = "list", group = "cloudpilot.io", resource = "clusters", namespaceParameter = "")
    @GET
    @Path("/list")
    @Operation(summary = "List registered clusters (server mode)",
            description = "Every registration sorted by name: api_server, description, created_at, updated_at "
                    + "(ISO-8601 UTC), tls_mode (verified-ca-data, verified-system-trust, insecure-skip-verify, "
                    + "plain-http), auth_kind (token, kubeconfig), the last reachability check (reachable, "
                    + "unreachable, unknown; checked_at, last_error), kept current from CloudPilot's calls to the "
                    + "cluster, and server_version. Never any credential.")
    public ClusterList list() {
        registry("GET /k8s/cluster/list");
        var clusters = server.get().list();
        return new ClusterList(clusters, clusters.size());
    }

    /**
     * Removes a registration and closes its client.
     *
     * @param clusterName the cluster
     * @return what was removed
     */
    @KubernetesPermission(verb = "delete", group = "cloudpilot.io", resource = "clusters", namespaceParameter = "", nameParameter = "cluster_name")
    @DELETE
    @Path("/remove")
    @Operation(summary = "Remove a registered cluster (server mode)",
            description = "Deletes the registration and its stored credentials, closes the cluster's client and drops "
                    + "its cached answers. 404 ClusterNotFound when no cluster has that name.")
    public RemovedCluster remove(
            @Parameter(description = "The registered cluster's name", required = true)
            @QueryParam("cluster_name") String clusterName) {
        ClusterRegistry registry = registry("DELETE /k8s/cluster/remove");
        if (clusterName == null || clusterName.isBlank()) {
            throw new ApiException.ValidationError("Query parameter 'cluster_name' is required: name the cluster to "
                    + "remove (GET /k8s/cluster/list shows them).", "parameter: cluster_name");
        }
        definedByFile(clusterName, "removed");
        try {
            registry.remove(clusterName);
        } catch (ApiException e) {
            audit("clusters.remove", clusterName, e.errorType());
            throw e;
        }
        audit("clusters.remove", clusterName, "ok");
        return new RemovedCluster(clusterName, true);
    }

    /** Who registered or removed which cluster; never a credential (the request's caller is added by the platform). */
    private void audit(String action, String cluster, String result) {
        audit.record(new AuditLog.Entry(action, cluster, null, "Cluster/" + cluster, null, null,
                result));
    }

    /** A cluster a kubeconfig file on the server defines is changed there, never through the API. */
    private void definedByFile(String name, String what) {
        server.get().files().find(name).ifPresent(file -> {
            throw new ApiException.Conflict("Cluster '" + name + "' is defined by the kubeconfig file " + file.file()
                    + " on the server (registry.kubeconfig-dir): it is " + what + " by changing that file and "
                    + "restarting, not through the API.");
        });
    }

    private ClusterRegistry registry(String endpoint) {
        if (server.isResolvable()) {
            return server.get().registry();
        }
        throw new ApiException.ValidationError(endpoint + " belongs to server mode: this server runs in instant mode "
                + "on one cluster, which needs no registry. Start CloudPilot with --mode server to manage clusters.",
                "mode: " + clusters.mode().name().toLowerCase(java.util.Locale.ROOT));
    }
}
