package io.cloudpilot.plugin.istioworkloads;

import io.cloudpilot.plugin.toolkit.LogParams;
import io.cloudpilot.spi.KubernetesPermission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The Istio control plane (istiod): found by label {@code app=istiod} or {@code istio=pilot}; every revision found is
 * reported.
 */
@Path("/istio/workloads/istiod")
@ApplicationScoped
@Tag(name = "Istio workloads", description = "istiod and the ingress gateway: detail, logs, events")
@Produces(MediaType.APPLICATION_JSON)
public class IstiodResource {

    private final WorkloadQueries queries;

    /**
     * @param queries the plugin's queries, built by its start
     */
    @Inject
    public IstiodResource(WorkloadQueries queries) {
        this.queries = queries;
    }

    /** Required by CDI for the client proxy. */
    protected IstiodResource() {
        this.queries = null;
    }

    /**
     * Every istiod Deployment of the namespace (one per revision): replicas, version (image tag) and revision, pods
     * with container states and restarts, resources, the Service in front, recent warning events, and an explainable
     * health.
     *
     * @param workload     cluster_name, namespace (default istio-system), force_refresh
     * @return the detail
     */
    @KubernetesPermission(verb = "list", group = "apps", resource = "deployments", defaultNamespace = WorkloadQueries.DEFAULT_NAMESPACE)
    @KubernetesPermission(verb = "list", resource = "pods", defaultNamespace = WorkloadQueries.DEFAULT_NAMESPACE)
    @GET
    @Path("/detail")
    @Operation(summary = "istiod detail",
            description = "Every istiod Deployment of the namespace (label app=istiod or istio=pilot; one per revision): "
                    + "replicas (desired/current/ready/available/updated), version (the discovery image tag) and "
                    + "revision (istio.io/rev), pods with container states and restarts, resources requested and "
                    + "limited, the Service in front, recent Warning events, and health: a score, a status and the "
                    + "findings that explain it (ControlPlaneDown, ReplicasUnavailable, RestartingContainers, "
                    + "NoResourceLimits...). 404 NotFound when the namespace has no istiod (the message names the "
                    + "namespace it runs in); 404 IstioNotInstalled when the cluster has no Istio.")
    public WorkloadDetails.Detail detail(@BeanParam WorkloadParams workload) {
        return queries.detail(IstioComponent.ISTIOD, workload);
    }

    /**
     * The logs of every istiod pod and container, one block each, with levels parsed from Istio's log format and
     * counts of error and warning lines.
     *
     * @param workload     cluster_name, namespace (default istio-system), force_refresh
     * @param log          lines, since_seconds, previous, timestamps
     * @param container    only this container
     * @return the logs
     */
    @KubernetesPermission(verb = "list", resource = "pods", defaultNamespace = WorkloadQueries.DEFAULT_NAMESPACE)
    @KubernetesPermission(verb = "get", resource = "pods", subresource = "log", defaultNamespace = WorkloadQueries.DEFAULT_NAMESPACE)
    @GET
    @Path("/logs")
    @Operation(summary = "istiod logs",
            description = "The last 'lines' lines (default 100) of every istiod pod and container, one block per "
                    + "pod/container, each line with its time, level (Istio's info/warn/error field) and scope, and "
                    + "counts of error and warning lines. A pod whose log cannot be read has an 'error' in its block.")
    public WorkloadLogs.Logs logs(
            @BeanParam WorkloadParams workload,
            @BeanParam LogParams log,
            @Parameter(description = "Only this container (default: every container, i.e. discovery).")
            @QueryParam("container") String container) {
        return queries.logs(IstioComponent.ISTIOD, workload, log, container);
    }

    /**
     * The events of the istiod Deployments, their ReplicaSets and pods, newest first, with a summary by type, reason
     * and object kind.
     *
     * @param workload     cluster_name, namespace (default istio-system), force_refresh
     * @param events       since_seconds, limit
     * @return the events
     */
    @KubernetesPermission(verb = "list", resource = "events", defaultNamespace = WorkloadQueries.DEFAULT_NAMESPACE)
    @GET
    @Path("/events")
    @Operation(summary = "istiod events",
            description = "Events of the istiod Deployments, their ReplicaSets and their pods (earlier pods included), "
                    + "newest first, with counts of Warning and error events and a summary by type, reason and kind.")
    public WorkloadEvents.Events events(@BeanParam WorkloadParams workload, @BeanParam EventParams events) {
        return queries.events(IstioComponent.ISTIOD, workload, events);
    }
}
