package io.cloudpilot.spi;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One cluster as a plugin sees it: its name, its client, and what its API server serves. The client is
 * shared, configured with bounded timeouts and retries, and must not be closed by a plugin.
 */
public interface ClusterContext {

    /**
     * @return the cluster's name as callers give it in {@code cluster_name}
     */
    String name();

    /**
     * The fabric8 client for this cluster. Calls made through it directly bypass the cache and the cluster's
     * fault-tolerance policy: load through {@link ResourceCache} instead.
     *
     * @return the client
     */
    KubernetesClient client();

    /**
     * Runs a call that must not go through the cache (a write, such as a scale) under the cluster's fault-tolerance
     * policy — circuit breaker, bulkhead, timeout — with upstream failures mapped to {@link ApiException}s, as
     * {@link ResourceCache} does for reads.
     *
     * @param call the call
     * @param <T>  its result
     * @return the result
     * @throws ApiException when the call fails, times out, or the cluster's circuit is open
     */
    default <T> T call(Supplier<T> call) {
        return call.get();
    }

    /**
     * The versions of an API group this cluster serves, newest preferred first, as its discovery answers
     * them ({@code networking.istio.io} → {@code [v1, v1beta1, v1alpha3]}); empty when the group is absent.
     * The answer is cached per cluster.
     *
     * @param group an API group
     * @return served versions, preferred first
     */
    List<String> servedVersions(String group);

    /**
     * The first version of {@code preferred} that this cluster serves for {@code group}.
     *
     * @param group     an API group
     * @param preferred versions in order of preference
     * @return the version, or empty when none is served
     */
    default Optional<String> preferredVersion(String group, List<String> preferred) {
        List<String> served = servedVersions(group);
        return preferred.stream().filter(served::contains).findFirst();
    }
}
