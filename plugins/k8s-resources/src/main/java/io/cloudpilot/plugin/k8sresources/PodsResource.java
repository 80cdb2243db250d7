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
 * Pods, the real state of their containers, and their health.
 */
@Path("/k8s/resources/pods")
@ApplicationScoped
@Tag(name = "Pods", description = "Pods, the real state of their containers, and their health")
@Produces(MediaType.APPLICATION_JSON)
public class PodsResource {

    private final Clusters clusters;
    private final Views views;

    /**
     * @param clusters the clusters
     * @param views    the plugin's views, built by its start
     */
    @Inject
    public PodsResource(Clusters clusters, Views views) {
        this.clusters = clusters;
        this.views = views;
    }

    /** Required by CDI for the client proxy. */
    protected PodsResource() {
        this(null, null);
    }

    private PodViews views(String clusterName, boolean forceRefresh) {
        return views.pods(clusters.resolve(clusterName), forceRefresh);
    }

    /**
     * Pods with the status kubectl shows (CrashLoopBackOff, ImagePullBackOff, Init:0/1...), readiness and restarts.
     *
     * @param params cluster, namespace, selectors, paging, sorting, force_refresh
     * @return the page of pods
     */
    @KubernetesPermission(verb = "list", resource = "pods")
    @GET
    @Path("/list")
    @Operation(summary = "List pods", description = "Pods with status as kubectl get pods shows it (e.g. "
            + "CrashLoopBackOff, not only the phase), phase, ready containers, restarts, node, IP, QoS, owner, age. "
            + "Sortable by namespace (default), name, status, phase, restart_count, node_name, age, created_at, pod_ip.")
    public PodViews.PodList list(@BeanParam ListParams params) {
        return views(params.clusterName, params.forceRefresh).list(params.query());
    }

    /**
     * One pod: the real state of each container and init container, conditions, resources, owner, and health.
     *
     * @param clusterName  the cluster
     * @param namespace    the namespace
     * @param podName      the pod
     * @param forceRefresh bypass the cache
     * @return the pod
     */
    @KubernetesPermission(verb = "get", resource = "pods", nameParameter = "pod_name")
    @GET
    @Path("/detail")
    @Operation(summary = "Pod detail", description = "Phase, kubectl status, every container and init container with "
            + "its state (waiting reason such as CrashLoopBackOff/ImagePullBackOff, exit code, restarts, last "
            + "termination), requests and limits, ports; conditions, node and its readiness, IPs, QoS, owner, and "
            + "health {score, status, findings}. 404 when the pod does not exist.")
    public PodViews.PodDetail detail(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The pod's namespace (required).", required = true) @QueryParam("namespace") String namespace,
            @Parameter(description = "The pod (required).", required = true) @QueryParam("pod_name") String podName,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        Params.require(namespace, "namespace", "the pod's namespace");
        Params.require(podName, "pod_name", "the pod to describe");
        return views(clusterName, forceRefresh).detail(namespace, podName);
    }
}
