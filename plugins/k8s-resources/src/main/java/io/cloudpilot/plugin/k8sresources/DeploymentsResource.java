package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.plugin.toolkit.ListParams;
import io.cloudpilot.spi.BodyLimit;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.KubernetesPermission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.DefaultValue;
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
 * Deployments: list, detail with rollout state, ReplicaSets, pods and health, and scaling.
 */
@Path("/k8s/resources/deployments")
@ApplicationScoped
@Tag(name = "Deployments", description = "Deployments, their rollout, ReplicaSets, pods and health; scaling")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentsResource {

    private final Clusters clusters;
    private final Views views;
    private final DeploymentScaler scaler;

    /**
     * @param clusters the clusters
     * @param views    the plugin's views, built by its start
     * @param scaler   the plugin's scaler, built by its start ({@code max-replicas})
     */
    @Inject
    public DeploymentsResource(Clusters clusters, Views views, DeploymentScaler scaler) {
        this.clusters = clusters;
        this.views = views;
        this.scaler = scaler;
    }

    /** Required by CDI for the client proxy. */
    protected DeploymentsResource() {
        this(null, null, null);
    }

    private DeploymentViews views(String clusterName, boolean forceRefresh) {
        return views.deployments(clusters.resolve(clusterName), forceRefresh);
    }

    /**
     * Deployments with replica counts, strategy, images and rollout status.
     *
     * @param params cluster, namespace, selectors, paging, sorting, force_refresh
     * @return the page of deployments
     */
    @KubernetesPermission(verb = "list", group = "apps", resource = "deployments")
    @GET
    @Path("/list")
    @Operation(summary = "List deployments", description = "Deployments with desired/current/ready/available/"
            + "updated/unavailable replicas, ready (as kubectl shows it), strategy, selector, images and rollout status "
            + "(complete, progressing, stalled, paused). Sortable by namespace (default), name, desired_replicas, "
            + "ready_replicas, available_replicas, rollout_status, age, created_at.")
    public DeploymentViews.DeploymentList list(@BeanParam ListParams params) {
        return views(params.clusterName, params.forceRefresh).list(params.query());
    }

    /**
     * One deployment: replicas, strategy, selector, images, conditions, rollout status, its ReplicaSets with
     * revisions, its pods, the HPAs that target it, and health.
     *
     * @param clusterName    the cluster
     * @param namespace      the namespace
     * @param deploymentName the deployment
     * @param forceRefresh   bypass the cache
     * @return the deployment
     */
    @KubernetesPermission(verb = "get", group = "apps", resource = "deployments", nameParameter = "deployment_name")
    @GET
    @Path("/detail")
    @Operation(summary = "Deployment detail", description = "Replicas (desired/current/ready/available/updated/"
            + "unavailable), strategy, selector, images and container resources, conditions, rollout status, its "
            + "ReplicaSets (revision, replica counts, is_current), its pods with their kubectl status, the HPAs "
            + "targeting it, and health {score, status, findings}. 404 when the deployment does not exist.")
    public DeploymentViews.DeploymentDetail detail(
            @Parameter(description = Params.CLUSTER) @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "The deployment's namespace (required).", required = true) @QueryParam("namespace") String namespace,
            @Parameter(description = "The deployment (required).", required = true) @QueryParam("deployment_name") String deploymentName,
            @Parameter(description = Params.REFRESH) @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        Params.require(namespace, "namespace", "the deployment's namespace");
        Params.require(deploymentName, "deployment_name", "the deployment to describe");
        return views(clusterName, forceRefresh).detail(namespace, deploymentName);
    }

    /**
     * Sets a deployment's replica count through its scale subresource.
     *
     * @param request the cluster, namespace, deployment, replicas and dry_run
     * @return previous and new replicas, and warnings
     */
    @KubernetesPermission(verb = "patch", group = "apps", resource = "deployments", subresource = "scale", nameParameter = "deployment_name")
    @POST
    @Path("/scaling")
    @Consumes(MediaType.APPLICATION_JSON)
    @BodyLimit(4096) // five short fields
    @Operation(summary = "Scale a deployment", description = "Sets spec.replicas through the scale subresource. "
            + "replicas must be 0..plugins.k8s-resources.max-replicas (default 1000). dry_run=true asks the API server "
            + "for a server-side dry run and changes nothing. Answers previous_replicas and replicas; warns in "
            + "warnings when a HorizontalPodAutoscaler targets the deployment. Every attempt is audit-logged; the "
            + "cached views of the deployment, its ReplicaSets, pods, endpoints and events are dropped.")
    public DeploymentScaler.ScaleResult scale(
            @RequestBody(description = "{cluster_name, namespace, deployment_name, replicas, dry_run}", required = true)
            DeploymentScaler.ScaleRequest request) {
        scaler.validate(request);
        return scaler.scale(clusters.resolve(request.clusterName()), request);
    }
}
