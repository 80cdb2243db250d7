package io.cloudpilot.plugin.k8sresources;

import java.time.Duration;
import java.util.List;

import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;

/**
 * The plugin's views of a cluster and the memos they share across requests (sorted lists, node capacities, sorted events): built
 * once by the plugin's start and injected into its resources, so a memo lives exactly as long as the plugin.
 */
final class Views {

    private final ResourceCache cache;
    /** Sorted summaries per cached pod list and order: a page costs a sublist, not 10,000 summaries and a sort. */
    private final Derived<List<PodViews.PodSummary>> sortedPods = new Derived<>(8, Duration.ofHours(1));
    /** Sorted summaries per cached list and order: a page costs a sublist, not a summary per Deployment and a sort. */
    private final Derived<List<DeploymentViews.DeploymentSummary>> sortedDeployments =
            new Derived<>(16, Duration.ofHours(1));
    /** Sorted summaries per cached services and endpoints lists and order: not a join of every Service per page. */
    private final Derived<List<ServiceViews.ServiceSummary>> sortedServices = new Derived<>(16, Duration.ofHours(1));
    /**
     * Every node's capacity per set of cached lists, by name (summing 150,000 pods' requests once, not per request,
     * and a node_name read is a lookup); the capacity list and the nodes list in each order asked for (a page is a
     * sublist); the pods and the metrics of each node (a node's detail is two lookups).
     */
    private final NodeViews.Memos nodeMemos = new NodeViews.Memos(new Derived<>(8, Duration.ofHours(1)),
            new Derived<>(16, Duration.ofHours(1)), new Derived<>(16, Duration.ofHours(1)),
            new Derived<>(4, Duration.ofHours(1)), new Derived<>(4, Duration.ofHours(1)));
    /**
     * Sorted event views and their summary per cached events list and variant: a page costs a sublist and its ages,
     * not every event of the cluster turned into a view, counted and sorted (issue 22: 7,400 events took 400 ms per
     * warm page). Variants include each object whose events are asked for, hence more slots.
     */
    private final Derived<EventViews.Sorted> sortedEvents = new Derived<>(64, Duration.ofHours(1));

    /**
     * Each container's log tail split into lines and its error and warning lines counted, per cached log text: the
     * text is read once per {@code cache.ttl.log} however many read it, and so is its classification (two
     * case-insensitive patterns over every line were 2 ms per request at 100 lines).
     */
    private final Derived<PodLogs.ContainerLog> containerLogs = new Derived<>(64, Duration.ofHours(1));

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
        return new NodeViews(new ClusterReads(cache, cluster, forceRefresh), nodeMemos);
    }

    ServiceViews services(ClusterContext cluster, boolean forceRefresh) {
        return new ServiceViews(new ClusterReads(cache, cluster, forceRefresh), sortedServices);
    }

    PodLogs logs(ClusterContext cluster, boolean forceRefresh) {
        return new PodLogs(new ClusterReads(cache, cluster, forceRefresh), containerLogs);
    }

    EventViews events(ClusterContext cluster, boolean forceRefresh) {
        return new EventViews(new ClusterReads(cache, cluster, forceRefresh), sortedEvents);
    }
}
