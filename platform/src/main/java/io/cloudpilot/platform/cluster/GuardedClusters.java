package io.cloudpilot.platform.cluster;

import java.util.List;
import java.util.function.Supplier;

import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The {@link Clusters} plugins see: the mode's clusters, each with {@link ClusterContext#call} running under the
 * cluster's {@link ClusterGuards} policy, so writes get the same bounds and error mapping as cached reads.
 */
public final class GuardedClusters implements Clusters {

    private final Clusters clusters;
    private final ClusterGuards guards;

    /**
     * @param clusters the mode's clusters
     * @param guards   the clusters' fault-tolerance policies
     */
    public GuardedClusters(Clusters clusters, ClusterGuards guards) {
        this.clusters = clusters;
        this.guards = guards;
    }

    @Override
    public Mode mode() {
        return clusters.mode();
    }

    @Override
    public ClusterContext resolve(String clusterName) {
        return new Guarded(clusters.resolve(clusterName), guards);
    }

    private record Guarded(ClusterContext cluster, ClusterGuards guards) implements ClusterContext {
        @Override
        public String name() {
            return cluster.name();
        }

        @Override
        public KubernetesClient client() {
            return cluster.client();
        }

        @Override
        public <T> T call(Supplier<T> call) {
            return guards.call(cluster.name(), call);
        }

        @Override
        public List<String> servedVersions(String group) {
            return cluster.servedVersions(group);
        }
    }
}
