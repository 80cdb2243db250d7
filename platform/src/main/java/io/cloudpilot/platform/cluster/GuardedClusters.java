package io.cloudpilot.platform.cluster;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.cloudpilot.platform.metrics.PlatformMetrics;
import io.cloudpilot.spi.ApiException;
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
    private final Consumer<String> resolved;

    /**
     * @param clusters the mode's clusters
     * @param guards   the clusters' fault-tolerance policies
     * @param resolved hears the name of every cluster a request resolves (the access log's cluster)
     */
    public GuardedClusters(Clusters clusters, ClusterGuards guards, Consumer<String> resolved) {
        this.clusters = clusters;
        this.guards = guards;
        this.resolved = resolved;
    }

    @Override
    public Mode mode() {
        return clusters.mode();
    }

    @Override
    public ClusterContext resolve(String clusterName) {
        ClusterContext cluster = clusters.resolve(clusterName);
        resolved.accept(cluster.name());
        return new Guarded(cluster, guards);
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
            long started = System.nanoTime();
            String outcome = "error";
            try {
                T result = guards.call(cluster.name(), call);
                outcome = "ok";
                return result;
            } catch (ApiException e) {
                outcome = e.errorType();
                throw e;
            } finally {
                PlatformMetrics.upstreamCall(cluster.name(), "call", outcome, Duration.ofNanos(System.nanoTime() - started));
            }
        }

        @Override
        public List<String> servedVersions(String group) {
            return cluster.servedVersions(group);
        }
    }
}
