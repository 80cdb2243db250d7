package io.cloudpilot.plugin.istioconfig;

import io.cloudpilot.plugin.toolkit.ListParams;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.KubernetesPermission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
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
 * DestinationRules of {@code networking.istio.io}, with the cross-object validations of {@code docs/validations.md}.
 */
@Path("/api/istio/destinationrule")
@ApplicationScoped
@Tag(name = "Istio configuration", description = "Gateways, VirtualServices and DestinationRules, validated across objects")
@Produces(MediaType.APPLICATION_JSON)
public class DestinationRuleResource {

    private final Clusters clusters;
    private final IstioConfigService service;

    /**
     * @param clusters the clusters
     * @param service  the plugin's service, built by its start
     */
    @Inject
    public DestinationRuleResource(Clusters clusters, IstioConfigService service) {
        this.clusters = clusters;
        this.service = service;
    }

    /** Required by CDI for the client proxy. */
    protected DestinationRuleResource() {
        this.clusters = null;
        this.service = null;
    }

    /**
     * DestinationRules of one namespace or of all, each with its counts of validation errors and warnings.
     *
     * @param params    cluster, filters, paging, sorting, force_refresh
     * @param hasErrors true: only objects with errors; false: only objects without; absent: all
     * @return the page
     */
    @KubernetesPermission(verb = "list", group = "networking.istio.io", resource = "destinationrules")
    @GET
    @Path("/list")
    @Operation(summary = "List DestinationRules",
            description = "DestinationRules (networking.istio.io, newest served version) with host, subsets and whether a traffic policy is set and the "
                    + "number of validation errors and warnings of each. Validation runs on the cached snapshot of the "
                    + "cluster. sort_by: name, namespace (default), age, creation_timestamp, error_count or "
                    + "warning_count. 404 IstioNotInstalled when the cluster does not serve networking.istio.io.")
    public IstioConfigService.DestinationRuleList list(
            @BeanParam ListParams params,
            @Parameter(description = "true: only objects with at least one validation error; false: only objects "
                    + "without errors; absent: all.") @QueryParam("has_errors") Boolean hasErrors) {
        return service.destinationRules(clusters.resolve(params.clusterName), params.query(), hasErrors, params.forceRefresh);
    }

    /**
     * One DestinationRule: its spec as stored, a readable summary, and its validations.
     *
     * @param clusterName  the cluster
     * @param namespace    the namespace
     * @param name         the name
     * @param forceRefresh read from the cluster even if cached
     * @return the detail
     */
    @KubernetesPermission(verb = "get", group = "networking.istio.io", resource = "destinationrules", nameParameter = "destinationrule_name")
    @GET
    @Path("/detail")
    @Operation(summary = "DestinationRule detail",
            description = "The DestinationRule's metadata, spec as stored, a readable summary (traffic policy with load balancer, connection pool, outlier detection and TLS; subsets with labels) and its "
                    + "validations: stable code, severity (error, warning, info), message, path in the object, the "
                    + "other objects involved and the equivalent Kiali/istioctl codes. 404 NotFound when it does not "
                    + "exist, 404 IstioNotInstalled when the cluster does not serve networking.istio.io.")
    public IstioConfigService.ConfigDetail<Summaries.DestinationRuleSummary> detail(
            @Parameter(description = CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The DestinationRule's namespace (required).", required = true)
            @QueryParam("namespace") String namespace,
            @Parameter(description = "The DestinationRule's name (required).", required = true)
            @QueryParam("destinationrule_name") String name,
            @Parameter(description = REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        return service.destinationRule(clusters.resolve(clusterName), namespace, name, forceRefresh);
    }

    private static final String CLUSTER = "The cluster: required in server mode; in instant mode optional and, if "
            + "given, the instant cluster's name.";
    private static final String REFRESH = "true: read from the cluster and refresh the cache; false (default): use "
            + "cached lists younger than the TTL.";
}
