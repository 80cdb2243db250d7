package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.plugin.toolkit.ListQuery;
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
 * Events of an object, a namespace or the cluster, newest first, with a summary.
 */
@Path("/k8s/resources/events")
@ApplicationScoped
@Tag(name = "Events", description = "Kubernetes events, newest first, with counts by type and reason")
@Produces(MediaType.APPLICATION_JSON)
public class EventsResource {

    private static final String SORT = EventListParams.SORT;
    private static final String ORDER = EventListParams.ORDER;

    private final Clusters clusters;
    private final Views views;

    /**
     * @param clusters the clusters
     * @param views    the plugin's views, built by its start
     */
    @Inject
    public EventsResource(Clusters clusters, Views views) {
        this.clusters = clusters;
        this.views = views;
    }

    /** Required by CDI for the client proxy. */
    protected EventsResource() {
        this(null, null);
    }

    private EventViews views(String clusterName, boolean forceRefresh) {
        return views.events(clusters.resolve(clusterName), forceRefresh);
    }

    private static ListQuery query(String namespace, Integer page, Integer pageSize, String sortBy, String sortOrder) {
        return query(namespace, null, null, page, pageSize, sortBy, sortOrder);
    }

    static ListQuery query(String namespace, String labelSelector, String fieldSelector, Integer page,
                                   Integer pageSize, String sortBy, String sortOrder) {
        return ListQuery.of(namespace, labelSelector, fieldSelector, page, pageSize, sortBy,
                sortOrder == null ? "desc" : sortOrder);
    }

    /**
     * The events of one object; for a Deployment also those of its ReplicaSets and pods.
     *
     * @param clusterName  the cluster
     * @param namespace    the object's namespace (not needed for Node)
     * @param resourceKind Pod, Deployment, ReplicaSet, Node, Service...
     * @param resourceName the object's name
     * @param forceRefresh bypass the cache
     * @param page         page
     * @param pageSize     page size
     * @param sortBy       sort field
     * @param sortOrder    asc or desc
     * @return the events
     */
    @KubernetesPermission(verb = "list", resource = "events")
    @GET
    @Path("/resource")
    @Operation(summary = "Events of an object", description = "Events whose involved object is the given one, newest "
            + "first (by series last time, lastTimestamp, eventTime, firstTimestamp), with count, source, involved "
            + "object and a summary by type and reason. Events of a Deployment include those of its ReplicaSets and "
            + "their pods. 404 when the Deployment does not exist.")
    public EventViews.EventList resource(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The object's namespace (required except for cluster-scoped kinds: Node, "
                    + "PersistentVolume, Namespace).") @QueryParam("namespace") String namespace,
            @Parameter(description = "The object's kind (required, any case): Pod, Deployment, ReplicaSet, StatefulSet, "
                    + "DaemonSet, Job, CronJob, Node, Service, Endpoints, HorizontalPodAutoscaler, PersistentVolumeClaim, "
                    + "PersistentVolume, Namespace, ConfigMap, Secret, Ingress, ServiceAccount, PodDisruptionBudget.",
                    required = true) @QueryParam("resource_kind") String resourceKind,
            @Parameter(description = "The object's name (required).", required = true) @QueryParam("resource_name") String resourceName,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh,
            @Parameter(description = Params.PAGE) @QueryParam("page") Integer page,
            @Parameter(description = Params.PAGE_SIZE) @QueryParam("page_size") Integer pageSize,
            @Parameter(description = SORT) @QueryParam("sort_by") String sortBy,
            @Parameter(description = ORDER) @QueryParam("sort_order") String sortOrder) {
        String kind = EventViews.kind(resourceKind);
        Params.require(resourceName, "resource_name", "the name of the " + kind);
        ListQuery q = query(namespace, page, pageSize, sortBy, sortOrder);
        return views(clusterName, forceRefresh).forResource(kind, q.namespace(), resourceName.trim(), q);
    }

    /**
     * The events of a namespace.
     *
     * @param clusterName  the cluster
     * @param namespace    the namespace
     * @param forceRefresh bypass the cache
     * @param list         selectors, paging and sorting
     * @return the events
     */
    @KubernetesPermission(verb = "list", resource = "events")
    @GET
    @Path("/namespace")
    @Operation(summary = "Events of a namespace", description = "Every event of the namespace, newest first, with a "
            + "summary by type and reason.")
    public EventViews.EventList namespace(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The namespace (required).", required = true) @QueryParam("namespace") String namespace,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh,
            @BeanParam EventListParams list) {
        Params.require(namespace, "namespace", "the namespace whose events to list");
        ListQuery q = list.query(namespace);
        return views(clusterName, forceRefresh).forNamespace(q.namespace(), q);
    }

    /**
     * The events of every namespace.
     *
     * @param clusterName  the cluster
     * @param forceRefresh bypass the cache
     * @param list         selectors, paging and sorting
     * @return the events
     */
    @KubernetesPermission(verb = "list", resource = "events", namespaceParameter = "")
    @GET
    @Path("/cluster")
    @Operation(summary = "Events of the cluster", description = "Every event of every namespace, newest first, with a "
            + "summary by type and reason.")
    public EventViews.EventList cluster(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh,
            @BeanParam EventListParams list) {
        return views(clusterName, forceRefresh).forCluster(list.query(null));
    }
}
