package io.cloudpilot.plugin.k8sresources;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.cloudpilot.k8s.syntax.Names;
import io.cloudpilot.plugin.toolkit.Text;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Scales a Deployment through its {@code scale} subresource (a merge patch of {@code spec.replicas}), with a
 * server-side dry run on request, a warning when an HPA controls the Deployment, invalidation of the cached views
 * the write changes, and an audit record of every attempt.
 */
final class DeploymentScaler {

    static final int DEFAULT_MAX_REPLICAS = 1000;
    /** What a scale changes: the Deployment, its ReplicaSets and pods, the Endpoints they back, new events. */
    static final List<CacheKind> INVALIDATED = List.of(ClusterReads.DEPLOYMENTS, ClusterReads.REPLICASETS,
            ClusterReads.PODS, ClusterReads.ENDPOINTS, ClusterReads.EVENTS, ClusterReads.POD_LOGS);

    private final ResourceCache cache;
    private final AuditLog audit;
    private final int maxReplicas;

    DeploymentScaler(ResourceCache cache, AuditLog audit, int maxReplicas) {
        this.cache = cache;
        this.audit = audit;
        this.maxReplicas = maxReplicas;
    }

    /**
     * @param context the plugin's context
     * @return {@code plugins.k8s-resources.max-replicas}, default 1000
     * @throws IllegalArgumentException when it is not a whole number >= 0 (the plugin then fails to start)
     */
    static int maxReplicas(PluginContext context) {
        String v = context.config("max-replicas").orElse(null);
        if (v == null || v.isBlank()) {
            return DEFAULT_MAX_REPLICAS;
        }
        try {
            int max = Integer.parseInt(v.trim());
            if (max >= 0) {
                return max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("plugins.k8s-resources.max-replicas must be a whole number >= 0, not '"
                + Text.shorten(v, 40) + "'.");
    }

    /** Checks the body before any cluster is touched. */
    void validate(ScaleRequest request) {
        if (request == null) {
            throw new ApiException.ValidationError("The request body is required: {\"cluster_name\", \"namespace\", "
                    + "\"deployment_name\", \"replicas\", \"dry_run\"}.");
        }
        if (request.namespace() == null || request.namespace().isBlank()) {
            throw new ApiException.ValidationError("Field 'namespace' is required.");
        }
        if (!Names.isDns1123Label(request.namespace())) {
            throw new ApiException.ValidationError("Field 'namespace' is not a valid Kubernetes name: use at most 63 "
                    + "lower-case letters, digits and '-', starting and ending with a letter or digit.");
        }
        if (request.deploymentName() == null || request.deploymentName().isBlank()) {
            throw new ApiException.ValidationError("Field 'deployment_name' is required.");
        }
        if (!Names.isDns1123Subdomain(request.deploymentName())) {
            throw new ApiException.ValidationError("Field 'deployment_name' is not a valid Kubernetes object name: use "
                    + "at most 253 lower-case letters, digits, '-' and '.'.");
        }
        if (request.replicas() == null) {
            throw new ApiException.ValidationError("Field 'replicas' is required: the number of replicas to scale to, "
                    + "0 to " + maxReplicas + ".");
        }
        if (request.replicas() < 0 || request.replicas() > maxReplicas) {
            throw new ApiException.ValidationError("Field 'replicas' must be from 0 to " + maxReplicas + " (configured by "
                    + "plugins.k8s-resources.max-replicas), not " + request.replicas() + ".");
        }
    }

    ScaleResult scale(ClusterContext cluster, ScaleRequest request) {
        validate(request);
        String ns = request.namespace();
        String name = request.deploymentName();
        int to = request.replicas();
        boolean dryRun = Boolean.TRUE.equals(request.dryRun());
        ClusterReads fresh = new ClusterReads(cache, cluster, true);
        Integer from = null;
        try {
            Deployment d = fresh.deployment(ns, name);
            from = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
            List<String> warnings = new ArrayList<>();
            List<HorizontalPodAutoscaler> hpas;
            try {
                hpas = DeploymentViews.hpasOf(d, fresh.hpas(ns));
            } catch (ApiException.Forbidden | ApiException.NotFound e) {
                hpas = List.of();
                warnings.add("Could not check for HorizontalPodAutoscalers: " + e.getMessage());
            }
            for (HorizontalPodAutoscaler h : hpas) {
                var spec = h.getSpec();
                warnings.add("HorizontalPodAutoscaler " + h.getMetadata().getName() + " controls this Deployment (min "
                        + (spec.getMinReplicas() == null ? 1 : spec.getMinReplicas()) + ", max " + spec.getMaxReplicas()
                        + "): it will override " + to + " replicas at its next sync; change the HPA instead.");
            }
            // the write runs under the cluster's circuit breaker, bulkhead and timeout, like every read
            Scale scale = cluster.call(() -> patchScale(cluster, ns, name, to, dryRun));
            if (!dryRun) {
                for (CacheKind kind : INVALIDATED) {
                    cache.invalidate(cluster.name(), kind);
                }
            }
            audit.record(entry(cluster, ns, name, from, to, dryRun ? "dry-run" : "ok"));
            Integer statusReplicas = scale.getStatus() == null ? null : scale.getStatus().getReplicas();
            return new ScaleResult(cluster.name(), ns, name, from,
                    scale.getSpec() == null || scale.getSpec().getReplicas() == null ? to : scale.getSpec().getReplicas(),
                    statusReplicas, dryRun, hpas.stream().map(h -> h.getMetadata().getName()).toList(), warnings);
        } catch (ApiException e) {
            audit.record(entry(cluster, ns, name, from, to, e.errorType()));
            throw e;
        } catch (RuntimeException e) {
            audit.record(entry(cluster, ns, name, from, to, "InternalError"));
            throw e;
        }
    }

    private static AuditLog.Entry entry(ClusterContext cluster, String ns, String name, Integer from, int to,
                                        String result) {
        return new AuditLog.Entry("deployments.scale", cluster.name(), ns, "Deployment/" + name,
                from == null ? null : "replicas=" + from, "replicas=" + to, result);
    }

    /** PATCH .../deployments/{name}/scale with a merge patch; the write bypasses the cache by nature. */
    private static Scale patchScale(ClusterContext cluster, String ns, String name, int replicas, boolean dryRun) {
        KubernetesClient client = cluster.client();
        String base = client.getMasterUrl().toString().replaceAll("/+$", "");
        String url = base + "/apis/apps/v1/namespaces/" + enc(ns) + "/deployments/" + enc(name) + "/scale"
                + (dryRun ? "?dryRun=All" : "");
        HttpClient http = client.getHttpClient();
        HttpRequest request = http.newHttpRequestBuilder().uri(url)
                .method("PATCH", "application/merge-patch+json", "{\"spec\":{\"replicas\":" + replicas + "}}")
                .build();
        long timeoutMs = Math.max(1000, client.getConfiguration().getRequestTimeout());
        HttpResponse<String> response;
        try {
            response = http.sendAsync(request, String.class).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiException.ClusterTimeout("Cluster '" + cluster.name() + "' did not answer the scale request "
                    + "within " + timeoutMs + " ms; check the Deployment before retrying.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.ClusterUnavailable("Interrupted while scaling on cluster '" + cluster.name() + "'.", e);
        } catch (ExecutionException e) {
            throw new ApiException.ClusterUnavailable("Cluster '" + cluster.name() + "' cannot be reached: its API "
                    + "server refused or dropped the connection.", e.getCause());
        }
        int code = response.code();
        String body = response.body();
        if (code >= 200 && code < 300) {
            return client.getKubernetesSerialization().unmarshal(body, Scale.class);
        }
        String reason = "HTTP " + code;
        try {
            Status status = client.getKubernetesSerialization().unmarshal(body, Status.class);
            if (status != null && status.getMessage() != null) {
                reason = Text.shorten(status.getMessage(), 300);
            }
        } catch (RuntimeException ignored) {
            // not a Status body: keep the HTTP code
        }
        throw switch (code) {
            case 401 -> new ApiException.Forbidden("Cluster '" + cluster.name() + "' rejected CloudPilot's credentials "
                    + "(HTTP 401).", null);
            case 403 -> new ApiException.Forbidden("Cluster '" + cluster.name() + "' denied scaling through its RBAC: "
                    + reason + " Grant CloudPilot 'patch' on deployments/scale.", null);
            case 404 -> new ApiException.NotFound("Deployment '" + name + "' does not exist in namespace '" + ns
                    + "' of cluster '" + cluster.name() + "'.");
            case 409 -> new ApiException.Conflict("Cluster '" + cluster.name() + "' refused the scale as conflicting: "
                    + reason + " Try again.");
            default -> code == 429 || code >= 500
                    ? new ApiException.ClusterUnavailable("Cluster '" + cluster.name() + "' answered HTTP " + code
                    + " (" + reason + "); try again later.", null)
                    : new ApiException.ValidationError("Cluster '" + cluster.name() + "' refused the scale (HTTP " + code
                    + "): " + reason);
        };
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * The body of a scale request.
     *
     * @param clusterName    the cluster (required in server mode)
     * @param namespace      the Deployment's namespace
     * @param deploymentName the Deployment
     * @param replicas       the replica count to set, 0..max-replicas
     * @param dryRun         true: ask the API server to validate the change without making it
     */
    public record ScaleRequest(
            @Schema(description = "the cluster (required in server mode)") String clusterName,
            @Schema(description = "the Deployment's namespace") String namespace,
            @Schema(description = "the Deployment") String deploymentName,
            @Schema(description = "the replica count to set, 0..max-replicas") Integer replicas,
            @Schema(description = "true: ask the API server to validate the change without making it") Boolean dryRun) {
    }

    /**
     * The outcome of a scale.
     *
     * @param clusterName      the cluster
     * @param namespace        namespace
     * @param deploymentName   the Deployment
     * @param previousReplicas spec.replicas before the change
     * @param replicas         spec.replicas after it (as the API server answered)
     * @param statusReplicas   status.replicas the API server reported with its answer
     * @param dryRun           whether nothing was changed
     * @param hpas             HorizontalPodAutoscalers targeting the Deployment
     * @param warnings         what the operator should know (an HPA will override the count)
     */
    public record ScaleResult(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "the Deployment") String deploymentName,
            @Schema(description = "spec.replicas before the change") Integer previousReplicas,
            @Schema(description = "spec.replicas after it (as the API server answered)") int replicas,
            @Schema(description = "status.replicas the API server reported with its answer") Integer statusReplicas,
            @Schema(description = "whether nothing was changed") boolean dryRun,
            @Schema(description = "HorizontalPodAutoscalers targeting the Deployment") List<String> hpas,
            @Schema(description = "what the operator should know (an HPA will override the count)") List<String> warnings) {
    }
}
