package io.cloudpilot.platform.metrics;

import java.util.function.Supplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;

/**
 * CloudPilot's own Prometheus metrics (at {@code /metrics}, scope {@code application}): API requests by
 * endpoint, method and code; upstream calls by
 * cluster, kind and outcome; cache hits, misses, bypasses and stale answers; each cluster's circuit state.
 * Labels never carry anything but names of clusters, kinds and outcomes.
 */
public final class PlatformMetrics {

    private PlatformMetrics() {
    }

    /**
     * Counts one API request.
     *
     * @param endpoint the path template, e.g. {@code /k8s/overview/cluster}, or {@code unmatched}
     * @param method   the HTTP method
     * @param status   the HTTP status
     */
    public static void httpRequest(String endpoint, String method, int status) {
        Metrics.getOrCreate(Counter.builder("cloudpilot_http_requests")
                .description("API requests by endpoint, method and status code")
                .tags(Metrics.tags("endpoint", endpoint, "method", method, "code", Integer.toString(status))))
                .increment();
    }

    /**
     * Counts one call to a cluster's API server.
     *
     * @param cluster the cluster
     * @param kind    what was read ({@code pods}, {@code version} ...)
     * @param outcome {@code ok} or the error type
     */
    public static void upstreamCall(String cluster, String kind, String outcome) {
        Metrics.getOrCreate(Counter.builder("cloudpilot_upstream_calls")
                .description("Calls to clusters' API servers")
                .tags(Metrics.tags("cluster", cluster, "kind", kind, "outcome", outcome))).increment();
    }

    /**
     * Counts one cache lookup.
     *
     * @param outcome hit, miss, bypass or stale
     */
    public static void cache(String outcome) {
        Metrics.getOrCreate(Counter.builder("cloudpilot_cache_requests")
                .description("Cache lookups by outcome")
                .tags(Metrics.tags("outcome", outcome))).increment();
    }

    /**
     * Registers a cluster's circuit state gauge: 0 closed, 1 half-open, 2 open.
     *
     * @param cluster the cluster
     * @param state   reads the current state
     */
    public static void circuit(String cluster, Supplier<Integer> state) {
        Metrics.getOrCreate(Gauge.builder("cloudpilot_cluster_circuit_state", state)
                .description("Circuit breaker state per cluster: 0 closed, 1 half-open, 2 open")
                .tags(Metrics.tags("cluster", cluster)));
    }
}
