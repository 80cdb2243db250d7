package io.cloudpilot.plugin.k8sresources;

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
 * Services, their ports and the endpoints behind them.
 */
@Path("/k8s/resources/services")
@ApplicationScoped
@Tag(name = "Services", description = "Services, their ports and the endpoints behind them")
@Produces(MediaType.APPLICATION_JSON)
public class ServicesResource {

    private final Clusters clusters;
    private final Views views;

    /**
     * @param clusters the clusters
     * @param views    the plugin's views, built by its start
     */
    @Inject
    public ServicesResource(Clusters clusters, Views views) {
        this.clusters = clusters;
        this.views = views;
    }

    /** Required by CDI for the client proxy. */
    protected ServicesResource() {
        this(null, null);
    }

    private ServiceViews views(String clusterName, boolean forceRefresh) {
        return views.services(clusters.resolve(clusterName), forceRefresh);
    }

    /**
     * Services with type, cluster IP, ports, selector, external addresses and endpoint counts.
     *
     * @param params cluster, namespace, selectors, paging, sorting, force_refresh
     * @return the page of services
     */
    @KubernetesPermission(verb = "list", resource = "services")
    @GET
    @Path("/list")
    @Operation(summary = "List services", description = "Services with type, cluster IP, external IPs, load "
            + "balancer ingress, ports (port, target_port, node_port, protocol, name), selector and the number of ready "
            + "and not-ready endpoints. Sortable by namespace (default), name, type, cluster_ip, ready_endpoints, age.")
    public ServiceViews.ServiceList list(@BeanParam ListParams params) {
        return views(params.clusterName, params.forceRefresh).list(params.query());
    }

    /**
     * One service: ports, selector and the pods it matches, endpoints (ready and not ready) with their pods, and
     * health; a selector that matches no pod is flagged.
     *
     * @param clusterName  the cluster
     * @param namespace    the namespace
     * @param serviceName  the service
     * @param forceRefresh bypass the cache
     * @return the service
     */
    @KubernetesPermission(verb = "get", resource = "services", nameParameter = "service_name")
    @GET
    @Path("/detail")
    @Operation(summary = "Service detail", description = "Type, cluster IPs, ports, selector, selector_matches_pods "
            + "and matching_pods, external addresses, endpoints (ready and not-ready addresses with their pods) and "
            + "health {score, status, findings} (e.g. SelectorMatchesNoPod, ServiceNoEndpoints). 404 when the service "
            + "does not exist.")
    public ServiceViews.ServiceDetail detail(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The service's namespace (required).", required = true) @QueryParam("namespace") String namespace,
            @Parameter(description = "The service (required).", required = true) @QueryParam("service_name") String serviceName,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        Params.require(namespace, "namespace", "the service's namespace");
        Params.require(serviceName, "service_name", "the service to describe");
        return views(clusterName, forceRefresh).detail(namespace, serviceName);
    }
}
