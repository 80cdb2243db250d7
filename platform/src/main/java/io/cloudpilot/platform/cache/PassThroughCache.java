package io.cloudpilot.platform.cache;

import java.util.function.Supplier;

import io.cloudpilot.platform.cluster.UpstreamErrors;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.ResourceCache;

/**
 * A cache that caches nothing: every read goes to the cluster. Used where caching is switched off
 * ({@code cache.enabled=false}); errors are mapped exactly as the real cache maps them.
 */
public final class PassThroughCache implements ResourceCache {

    @Override
    public <T> T get(CacheKey key, boolean forceRefresh, Supplier<T> loader) {
        long at = System.currentTimeMillis();
        try {
            T value = loader.get();
            CacheOutcome.record(forceRefresh ? CacheOutcome.Status.BYPASS : CacheOutcome.Status.MISS, at);
            return value;
        } catch (RuntimeException e) {
            throw UpstreamErrors.map(key.cluster(), e);
        }
    }

    @Override
    public void invalidate(String cluster, String kind) {
    }
}
