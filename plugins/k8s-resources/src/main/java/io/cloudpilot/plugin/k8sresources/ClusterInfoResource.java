package io.cloudpilot.plugin.k8sresources;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.ResourceCache;
import io.cloudpilot.spi.KubernetesPermission;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.VersionInfo;

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
 * The basic facts of one cluster.
 */
@Path("/k8s/cluster")
@ApplicationScoped
@Tag(name = "Clusters", description = "The cluster registry and cluster facts")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterInfoResource {

    /** API groups an operator of this tool cares whether the cluster serves. */
    static final List<String> GROUPS_OF_INTEREST = List.of("networking.istio.io", "security.istio.io",
            "metrics.k8s.io", "gateway.networking.k8s.io");

    private final Clusters clusters;
    private final ResourceCache cache;

    /**
     * @param clusters the clusters
     * @param cache    the cache
     */
    @Inject
    public ClusterInfoResource(Clusters clusters, ResourceCache cache) {
        this.clusters = clusters;
        this.cache = cache;
    }

    /** Required by CDI for the client proxy. */
    protected ClusterInfoResource() {
        this(null, null);
    }

    /**
     * Version, platform, nodes and Ready state, and which API groups of interest the cluster serves.
     *
     * @param clusterName  the cluster
     * @param forceRefresh read from the cluster even if cached
     * @return the cluster's facts
     */
    @KubernetesPermission(verb = "list", resource = "nodes", namespaceParameter = "")
    @GET
    @Path("/info")
    @Operation(summary = "Cluster facts",
            description = "Kubernetes version and platform, every node with its Ready state, and whether the cluster "
                    + "serves Istio (networking.istio.io) and metrics (metrics.k8s.io).")
    public ClusterInfo info(
            @Parameter(description = "The cluster: required in server mode; in instant mode optional and, if given, "
                    + "the instant cluster's name.")
            @QueryParam("cluster_name") String clusterName,
            @Parameter(description = "true: read from the cluster and refresh the cache; false (default): use a cached "
                    + "answer younger than the TTL.")
            @QueryParam("force_refresh") @DefaultValue("false") boolean forceRefresh) {
        ClusterContext cluster = clusters.resolve(clusterName);
        VersionInfo version = cache.get(CacheKey.object(cluster.name(), CacheKind.VERSION, "", ""), forceRefresh,
                () -> cluster.client().getKubernetesVersion());
        List<Node> nodes = cache.get(CacheKey.list(cluster.name(), CacheKind.NODES, ""), forceRefresh,
                () -> cluster.client().nodes().list().getItems());
        List<NodeState> states = nodes.stream()
                .map(n -> new NodeState(n.getMetadata().getName(), NodeReadiness.of(n)))
                .toList();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String group : GROUPS_OF_INTEREST) {
            groups.put(group, cache.get(CacheKey.object(cluster.name(), CacheKind.DISCOVERY, "", group), forceRefresh,
                    () -> cluster.servedVersions(group)));
        }
        int ready = (int) states.stream().filter(s -> s.status().equals("Ready")).count();
        return new ClusterInfo(cluster.name(), clusters.mode().name().toLowerCase(Locale.ROOT),
                version == null ? null : version.getGitVersion(),
                version == null ? null : version.getPlatform(),
                states.size(), ready, states.size() - ready, states, groups,
                !groups.get("networking.istio.io").isEmpty());
    }

    /**
     * A cluster's facts.
     *
     * @param clusterName    the cluster's name
     * @param mode           server or instant
     * @param clusterVersion the API server's gitVersion, e.g. v1.30.2
     * @param platform       the API server's platform, e.g. linux/amd64
     * @param nodeCount      number of nodes
     * @param readyNodes     nodes whose Ready condition is True
     * @param notReadyNodes  the other nodes (NotReady or Unknown)
     * @param nodes          each node and its state
     * @param apiGroups      served versions of the API groups of interest (empty list = not served)
     * @param istioInstalled whether networking.istio.io is served
     */
    public record ClusterInfo(String clusterName, String mode, String clusterVersion, String platform, int nodeCount,
                              int readyNodes, int notReadyNodes, List<NodeState> nodes,
                              Map<String, List<String>> apiGroups, boolean istioInstalled) {
    }

    /**
     * A node's Ready state.
     *
     * @param name   node name
     * @param status Ready, NotReady or Unknown
     */
    public record NodeState(String name, String status) {
    }
}
