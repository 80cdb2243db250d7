package io.cloudpilot.plugin.k8sresources;


import io.cloudpilot.k8s.syntax.Names;
import io.cloudpilot.plugin.toolkit.LogParams;
import io.cloudpilot.spi.ApiException;
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
 * Pod and container logs.
 */
@Path("/k8s/resources/logs")
@ApplicationScoped
@Tag(name = "Logs", description = "Pod and container logs as line arrays with error and warning counts")
@Produces(MediaType.APPLICATION_JSON)
public class LogsResource {


    private final Clusters clusters;
    private final Views views;

    /**
     * @param clusters the clusters
     * @param views    the plugin's views and memos
     */
    @Inject
    public LogsResource(Clusters clusters, Views views) {
        this.clusters = clusters;
        this.views = views;
    }

    /** Required by CDI for the client proxy. */
    protected LogsResource() {
        this(null, null);
    }

    /**
     * The logs of a pod: its default container (annotation kubectl.kubernetes.io/default-container), or one block per
     * regular container.
     *
     * @param clusterName   the cluster
     * @param namespace     the namespace
     * @param podName       the pod
     * @param container     a container, or null
     * @param containerName the seed document's name for container
     * @param log           lines (default 100), since_seconds, previous, timestamps
     * @param forceRefresh  bypass the cache
     * @return the log
     */
    @KubernetesPermission(verb = "get", resource = "pods", subresource = "log", nameParameter = "pod_name")
    @GET
    @Path("/pod")
    @Operation(summary = "Pod logs", description = "The last 'lines' lines (default 100, 1..10000) of each container "
            + "of the pod (only the default container when the pod's kubectl.kubernetes.io/default-container annotation "
            + "names one), as arrays, with counts of error- and warning-looking lines. A container without a log "
            + "(waiting to start, no previous instance, node not Ready) gets an empty block with 'unavailable' saying why.")
    public PodLogs.PodLog pod(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The pod's namespace (required).", required = true) @QueryParam("namespace") String namespace,
            @Parameter(description = "The pod (required).", required = true) @QueryParam("pod_name") String podName,
            @Parameter(description = "Only this container (or init container).") @QueryParam("container") String container,
            @Parameter(description = "Alias of container.") @QueryParam("container_name") String containerName,
            @BeanParam LogParams log,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        Params.require(namespace, "namespace", "the pod's namespace");
        Params.require(podName, "pod_name", "the pod whose logs to read");
        String c = container(container, containerName, false);
        return views.logs(clusters.resolve(clusterName), forceRefresh)
                .read(namespace, podName, c, log.lines, log.sinceSeconds, log.previous, log.timestamps);
    }

    /**
     * The log of one container of a pod.
     *
     * @param clusterName   the cluster
     * @param namespace     the namespace
     * @param podName       the pod
     * @param container     the container
     * @param containerName the seed document's name for container
     * @param log           lines (default 100), since_seconds, previous, timestamps
     * @param forceRefresh  bypass the cache
     * @return the log
     */
    @KubernetesPermission(verb = "get", resource = "pods", subresource = "log", nameParameter = "pod_name")
    @GET
    @Path("/container")
    @Operation(summary = "Container logs", description = "The last 'lines' lines (default 100) of one container "
            + "(container or container_name, required); 400 naming the pod's containers when it has no such container.")
    public PodLogs.PodLog container(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The pod's namespace (required).", required = true) @QueryParam("namespace") String namespace,
            @Parameter(description = "The pod (required).", required = true) @QueryParam("pod_name") String podName,
            @Parameter(description = "The container (required, or container_name).") @QueryParam("container") String container,
            @Parameter(description = "Alias of container, as in the seed document.") @QueryParam("container_name") String containerName,
            @BeanParam LogParams log,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        Params.require(namespace, "namespace", "the pod's namespace");
        Params.require(podName, "pod_name", "the pod whose logs to read");
        String c = container(container, containerName, true);
        return views.logs(clusters.resolve(clusterName), forceRefresh)
                .read(namespace, podName, c, log.lines, log.sinceSeconds, log.previous, log.timestamps);
    }

    private static String container(String container, String containerName, boolean required) {
        String a = container == null || container.isBlank() ? null : container.trim();
        String b = containerName == null || containerName.isBlank() ? null : containerName.trim();
        if (a != null && b != null && !a.equals(b)) {
            throw new ApiException.ValidationError("Query parameters 'container' and 'container_name' disagree; give one.");
        }
        String c = a != null ? a : b;
        if (c == null && required) {
            throw new ApiException.ValidationError("Query parameter 'container' is required: the container whose log "
                    + "to read (see /k8s/resources/pods/detail for the pod's containers).");
        }
        if (c != null && !Names.isDns1123Label(c)) {
            throw new ApiException.ValidationError("Query parameter '" + (a != null ? "container" : "container_name")
                    + "' is not a valid container name: use at most 63 lower-case letters, digits and '-'.");
        }
        return c;
    }
}
