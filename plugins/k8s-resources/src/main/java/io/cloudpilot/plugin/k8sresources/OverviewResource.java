package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.KubernetesPermission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The one-call summary of a cluster.
 */
@Path("/k8s/overview")
@ApplicationScoped
@Tag(name = "Overview", description = "What is in a cluster, at a glance")
@Produces(MediaType.APPLICATION_JSON)
public class OverviewResource {

    private final Clusters clusters;
    private final ClusterOverview overview;

    /**
     * @param clusters the clusters
     * @param overview the plugin's overview, built by its start
     */
    @Inject
    public OverviewResource(Clusters clusters, ClusterOverview overview) {
        this.clusters = clusters;
        this.overview = overview;
    }

    /** Required by CDI for the client proxy. */
    protected OverviewResource() {
        this.clusters = null;
        this.overview = null;
    }

    /**
     * Nodes by readiness, pods by phase, counts of deployments, services, namespaces, configmaps and secrets, and
     * the CPU and memory that pods reserve against what the nodes offer.
     *
     * @param clusterName  the cluster
     * @param forceRefresh read from the cluster even if cached
     * @return the overview
     */
    @KubernetesPermission(verb = "list", resource = "nodes", namespaceParameter = "")
    @KubernetesPermission(verb = "list", resource = "namespaces", namespaceParameter = "")
    @KubernetesPermission(verb = "list", resource = "pods", namespaceParameter = "")
    @KubernetesPermission(verb = "list", group = "apps", resource = "deployments", namespaceParameter = "")
    @KubernetesPermission(verb = "list", resource = "services", namespaceParameter = "")
    @GET
    @Path("/cluster")
    @Operation(summary = "Cluster overview",
            description = "Nodes by readiness, pods by phase, counts of deployments, services, namespaces, configmaps "
                    + "and secrets, and CPU (cores) and memory (bytes) requested and limited by pods that are not "
                    + "finished, against node allocatable. A list the cluster refuses is named in 'unavailable' with "
                    + "null counts; an unreachable cluster answers 503.")
    public ClusterOverview.Overview cluster(
            @Parameter(description = "The cluster: required in server mode; in instant mode optional and, if given, "
                    + "the instant cluster's name.")
            @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "true: read from the cluster and refresh the cache; false (default): use cached "
                    + "lists younger than the TTL.")
            @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        return overview.read(clusters.resolve(clusterName), forceRefresh);
    }
}
