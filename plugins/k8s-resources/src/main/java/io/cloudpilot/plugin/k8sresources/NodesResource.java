package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.plugin.toolkit.ListQuery;
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
 * Nodes: list, detail with allocation, usage and health, and capacity.
 */
@Path("/k8s/resources/nodes")
@ApplicationScoped
@Tag(name = "Nodes", description = "Nodes, their capacity, allocation, usage and health")
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {

    private final Clusters clusters;
    private final Views views;

    /**
     * @param clusters the clusters
     * @param views    the plugin's views, built by its start
     */
    @Inject
    public NodesResource(Clusters clusters, Views views) {
        this.clusters = clusters;
        this.views = views;
    }

    /** Required by CDI for the client proxy. */
    protected NodesResource() {
        this(null, null);
    }

    private NodeViews views(String clusterName, boolean forceRefresh) {
        return views.nodes(clusters.resolve(clusterName), forceRefresh);
    }

    /**
     * Every node with its Ready state, roles, versions, addresses, taints, capacity and allocatable.
     *
     * @param clusterName   the cluster
     * @param forceRefresh  bypass the cache
     * @param labelSelector label selector
     * @param fieldSelector field selector
     * @param page          page
     * @param pageSize      page size
     * @param sortBy        sort field
     * @param sortOrder     asc or desc
     * @return the page of nodes
     */
    @KubernetesPermission(verb = "list", resource = "nodes", namespaceParameter = "")
    @GET
    @Path("/list")
    @Operation(summary = "List nodes", description = "Every node with status (Ready/NotReady/Unknown), roles, age, "
            + "kubelet version, addresses, taints, unschedulable, capacity and allocatable (raw and in cores/bytes). "
            + "Sortable by name, status, age, created_at, kubelet_version, internal_ip.")
    public NodeViews.NodeList list(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh,
            @Parameter(description = Params.LABEL_SELECTOR) @QueryParam("label_selector") String labelSelector,
            @Parameter(description = Params.FIELD_SELECTOR) @QueryParam("field_selector") String fieldSelector,
            @Parameter(description = Params.PAGE) @QueryParam("page") Integer page,
            @Parameter(description = Params.PAGE_SIZE) @QueryParam("page_size") Integer pageSize,
            @Parameter(description = "Sort field: name (default), status, age, created_at, kubelet_version, internal_ip.")
            @QueryParam("sort_by") String sortBy,
            @Parameter(description = Params.SORT_ORDER) @QueryParam("sort_order") String sortOrder) {
        var query = ListQuery.of(null, labelSelector, fieldSelector, page, pageSize, sortBy, sortOrder);
        return views(clusterName, forceRefresh).list(query);
    }

    /**
     * One node in detail: conditions with times, system info, capacity, what its pods request and limit, live
     * usage when metrics.k8s.io is served, its pods, and an explainable health.
     *
     * @param clusterName  the cluster
     * @param nodeName     the node
     * @param forceRefresh bypass the cache
     * @return the node
     */
    @KubernetesPermission(verb = "get", resource = "nodes", namespaceParameter = "", nameParameter = "node_name")
    @GET
    @Path("/detail")
    @Operation(summary = "Node detail", description = "Status, roles, taints, addresses, conditions with heartbeat "
            + "and transition times, system info, capacity and allocatable, allocated CPU/memory requests and limits of "
            + "its non-terminated pods with percentages of allocatable, live usage from metrics.k8s.io (null with "
            + "usage_unavailable_reason when not served), its pods, and health {score, status, findings}. 404 when the "
            + "node does not exist.")
    public NodeViews.NodeDetail detail(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The node (required).", required = true) @QueryParam("node_name") String nodeName,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        Params.require(nodeName, "node_name", "the node to describe");
        return views(clusterName, forceRefresh).detail(nodeName);
    }

    /**
     * Capacity, allocatable, allocated requests/limits and live usage of one node, or of every node.
     *
     * @param clusterName  the cluster
     * @param nodeName     the node, or null for all
     * @param forceRefresh bypass the cache
     * @return one entry per node
     */
    @KubernetesPermission(verb = "list", resource = "nodes", namespaceParameter = "")
    @KubernetesPermission(verb = "list", resource = "pods", namespaceParameter = "")
    @GET
    @Path("/capacity")
    @Operation(summary = "Node capacity", description = "For one node (node_name) or a page of every node: capacity "
            + "and allocatable (raw and parsed), what its non-terminated pods request and limit with percentages of "
            + "allocatable, and live usage from metrics.k8s.io (or null and why). Sortable by name (default), status, "
            + "pod_count, cpu_requests_percent, memory_requests_percent, cpu_limits_percent, memory_limits_percent.")
    public NodeViews.CapacityList capacity(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The node; every node when absent.") @QueryParam("node_name") String nodeName,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh,
            @Parameter(description = Params.PAGE) @QueryParam("page") Integer page,
            @Parameter(description = Params.PAGE_SIZE) @QueryParam("page_size") Integer pageSize,
            @Parameter(description = "Sort field: name (default), status, pod_count, cpu_requests_percent, "
                    + "memory_requests_percent, cpu_limits_percent, memory_limits_percent.") @QueryParam("sort_by") String sortBy,
            @Parameter(description = "asc (default) or desc.") @QueryParam("sort_order") String sortOrder) {
        ListQuery query = ListQuery.of(null, null, null, page, pageSize, sortBy, sortOrder);
        return views(clusterName, forceRefresh).capacity(nodeName == null || nodeName.isBlank() ? null : nodeName.trim(),
                query);
    }
}
