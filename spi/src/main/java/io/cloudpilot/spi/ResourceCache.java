package io.cloudpilot.spi;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The per-cluster cache every read goes through. {@link #get} returns a fresh enough cached value or calls
 * the loader once, however many requests miss at the same time, under the cluster's fault-tolerance policy
 * (timeout, bulkhead, circuit breaker). Upstream failures come out as {@link ApiException}s: 503
 * {@code ClusterUnavailable}/{@code ClusterTimeout}, 403 for the cluster's RBAC, 404 {@code NotFound}.
 * The platform reports the outcome to the caller in the {@code X-Cache} and {@code Age} headers.
 */
public interface ResourceCache {

    /**
     * @param key          what the loader reads
     * @param forceRefresh the request's {@code force_refresh}: skip the cached value and replace it
     * @param loader       reads from the cluster; runs at most once for concurrent misses on one key
     * @param <T>          the value type; cached values are shared, so treat them as immutable
     * @return the value
     * @throws ApiException when the cluster fails and nothing usable is cached
     */
    <T> T get(CacheKey key, boolean forceRefresh, Supplier<T> loader);

    /**
     * When the data the current request has read through this cache was read from its cluster: the oldest of its
     * reads, which the response's {@code Age} header counts from. A view computed from cached reads (an overview, a
     * summary) reports this as its {@code read_at}, so that it stays the same while the answer comes from the cache
     * and agrees with {@code Age}. Reads made in tasks of {@link #parallelReads()} count too.
     *
     * @return that time, or empty when the current request has read nothing through the cache
     */
    default Optional<Instant> readAt() {
        return Optional.empty();
    }

    /**
     * A new executor, a virtual thread per task, for the reads a request makes in parallel; the caller closes it
     * (try-with-resources). Each task runs as part of the request it was submitted from: its reads count for the
     * request's {@code X-Cache}, {@code Age} and {@link #readAt()}, and what it records in the {@link AuditLog} is
     * written with the request's caller and status. A thread started any other way is outside every request, even
     * when started while serving one: the platform carries a request's state by hand, never by inheritance.
     *
     * @return the executor
     */
    default ExecutorService parallelReads() {
        return Executors.newVirtualThreadPerTaskExecutor();
    }

    /**
     * Drops every entry of a cluster whose kind is {@code kind} (all kinds when null), e.g. after a write.
     *
     * @param cluster cluster name
     * @param kind    kind or null
     */
    void invalidate(String cluster, CacheKind kind);
}
