package io.cloudpilot.plugin.k8sresources;

import java.time.Duration;
import java.util.List;

import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;

/**
 * The plugin's views of a cluster and the memos they share across requests (sorted lists, node capacities): built
 * once by the plugin's start and injected into its resources, so a memo lives exactly as long as the plugin.
 */
final class Views {

    private final ResourceCache cache;
    /** Sorted summaries per cached pod list and order: a page costs a sublist, not 10,000 summaries and a sort. */
    private final Derived<List<PodViews.PodSummary>> sortedPods = new Derived<>(8, Duration.ofHours(1));
    /** Sorted summaries per cached list and order: a page costs a sublist, not a summary per Deployment and a sort. */
    private final Derived<List<DeploymentViews.DeploymentSummary>> sortedDeployments =
            new Derived<>(16, Duration.ofHours(1));
    /** The capacity of every node per set of cached lists: summing 10,000 pods' requests once, not per request. */
    private final Derived<NodeViews.CapacityList> capacities = new Derived<>(8, Duration.ofHours(1));

    /** @param cache the shared cache */
    Views(ResourceCache cache) {
        this.cache = cache;
    }

    PodViews pods(ClusterContext cluster, boolean forceRefresh) {
        return new PodViews(new ClusterReads(cache, cluster, forceRefresh), sortedPods);
    }

    DeploymentViews deployments(ClusterContext cluster, boolean forceRefresh) {
        return new DeploymentViews(new ClusterReads(cache, cluster, forceRefresh), sortedDeployments);
    }

    NodeViews nodes(ClusterContext cluster, boolean forceRefresh) {
        return new NodeViews(new ClusterReads(cache, cluster, forceRefresh), capacities);
    }
}
