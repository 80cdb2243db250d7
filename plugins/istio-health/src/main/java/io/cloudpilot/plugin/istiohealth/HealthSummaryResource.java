package io.cloudpilot.plugin.istiohealth;

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
 * Whether the mesh is healthy and, if not, what to look at first.
 */
@Path("/istio/health")
@ApplicationScoped
@Tag(name = "Istio health", description = "The mesh health summary")
@Produces(MediaType.APPLICATION_JSON)
public class HealthSummaryResource {

    private final Clusters clusters;
    private final MeshHealth health;

    /**
     * @param clusters the clusters
     * @param health   the plugin's summary service, built by its start
     */
    @Inject
    public HealthSummaryResource(Clusters clusters, MeshHealth health) {
        this.clusters = clusters;
        this.health = health;
    }

    /** Required by CDI for the client proxy. */
    protected HealthSummaryResource() {
        this(null, null);
    }

    /**
     * The mesh health summary: score, status, the rules behind them, control plane, gateways, configuration
     * validation results, sidecar coverage and proxy version skew, and the top issues with the endpoint that
     * explains each.
     *
     * @param clusterName    the cluster
     * @param istioNamespace where istiod runs
     * @param forceRefresh   read from the cluster even if cached
     * @return the summary
     */
    @KubernetesPermission(verb = "list", resource = "namespaces", namespaceParameter = "")
    @KubernetesPermission(verb = "list", resource = "pods", namespaceParameter = "")
    @KubernetesPermission(verb = "list", group = "apps", resource = "deployments", namespaceParameter = "")
    @GET
    @Path("/summary")
    @Operation(summary = "Mesh health summary",
            description = "Score above 0 up to 100 (100 * 100 / (100 + penalty), 20 per critical problem and 5 per "
                    + "warning; the penalty explained per dimension), status (healthy, warning, "
                    + "critical, not_installed), control plane, gateways and configuration as their plugins report "
                    + "them, data plane sidecar coverage and proxy version skew, and top_issues, critical first, each "
                    + "with the endpoint that shows its details. A contributor that fails is named in 'partial'.")
    public MeshHealth.Summary summary(
            @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The namespace of the Istio control plane (default istio-system).")
            @QueryParam("namespace") @DefaultValue("istio-system") String istioNamespace,
            @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        return health.read(clusters.resolve(clusterName), istioNamespace, forceRefresh);
    }
}
