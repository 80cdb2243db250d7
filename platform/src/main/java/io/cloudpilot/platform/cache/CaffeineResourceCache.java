package io.cloudpilot.platform.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import io.cloudpilot.platform.cluster.ClusterGuards;
import io.cloudpilot.platform.metrics.PlatformMetrics;
import io.cloudpilot.platform.request.RequestTasks;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;

import org.eclipse.microprofile.config.Config;

/**
 * The shared cache: per-kind TTL (default 30 s), {@code force_refresh} bypass and refresh, one upstream call for
 * concurrent misses on a key (single flight), a bound on entries, and stale answers for a bounded time when the
 * cluster fails. An entry read in the last part of its TTL is read again in the background while the reader gets the
 * cached answer (refresh ahead, decision 0051), so that a key read all the time never makes a request wait for the
 * cluster. Every load runs under the cluster's {@link ClusterGuards} policy.
 */
public final class CaffeineResourceCache implements ResourceCache {

    /**
     * The cache's settings.
     *
     * @param ttl         freshness of an entry ({@code cache.ttl}, default 30 s)
     * @param ttlByKind   per-kind overrides ({@code cache.ttl.<kind>}; the kind's last path segment, e.g. {@code pods})
     * @param staleMaxAge how much older than its TTL an entry may be served when the cluster fails
     *                    ({@code cache.stale-max-age}, default 5 min; 0 = never serve stale)
     * @param maxEntries  entries kept at most ({@code cache.max-entries}, default 10,000)
     * @param detailTtl   freshness of a full object of a kind whose lists are compact (pods, events, ReplicaSets,
     *                    Endpoints), read for a detail endpoint ({@code cache.detail-ttl}, default 5 s; at most the
     *                    kind's TTL)
     * @param refreshAhead whether an entry read in the last part of its TTL is read again in the background
     *                    ({@code cache.refresh-ahead}, default true)
     */
    public record Settings(Duration ttl, Map<String, Duration> ttlByKind, Duration staleMaxAge, long maxEntries,
                           Duration detailTtl, boolean refreshAhead) {

        /**
         * @param config the server's configuration
         * @return the settings it names, with defaults
         */
        public static Settings from(Config config) {
            Map<String, Duration> byKind = new ConcurrentHashMap<>();
            for (String name : config.getPropertyNames()) {
                if (name.startsWith("cache.ttl.")) {
                    config.getOptionalValue(name, Duration.class)
                            .ifPresent(d -> byKind.put(name.substring("cache.ttl.".length()), d));
                }
            }
            return new Settings(
                    config.getOptionalValue("cache.ttl", Duration.class).orElse(Duration.ofSeconds(30)),
                    Map.copyOf(byKind),
                    config.getOptionalValue("cache.stale-max-age", Duration.class).orElse(Duration.ofMinutes(5)),
                    config.getOptionalValue("cache.max-entries", Long.class).orElse(10_000L),
                    config.getOptionalValue("cache.detail-ttl", Duration.class).orElse(Duration.ofSeconds(5)),
                    config.getOptionalValue("cache.refresh-ahead", Boolean.class).orElse(true));
        }

        Duration ttl(String kind) {
            String shortKind = kind.substring(kind.lastIndexOf('/') + 1);
            return ttlByKind.getOrDefault(kind, ttlByKind.getOrDefault(shortKind, ttl));
        }

        /** Full objects behind compact lists are kept briefly: many detail reads must not pile up full copies. */
        Duration ttl(CacheKey key) {
            Duration kindTtl = ttl(key.kind().name());
            if (!key.name().isEmpty() && CompactLists.compact(key.kind()) && detailTtl.compareTo(kindTtl) < 0) {
                return detailTtl;
            }
            return kindTtl;
        }
    }

    /**
     * @param loadMillis how long the read that made it took: the refresh ahead starts early enough for another one
     */
    private record Entry(Object value, long readAtMillis, long ttlMillis, long loadMillis) {
        long age(long now) {
            return now - readAtMillis;
        }

        /**
         * @return whether a read now starts a refresh: in the last fifth of the TTL, or earlier by twice the time the
         *         last read took, but never in the first half (a key read all the time is read at most twice per TTL)
         */
        boolean refreshDue(long now) {
            long margin = Math.min(ttlMillis / 2, Math.max(ttlMillis / 5, 2 * loadMillis));
            return age(now) >= ttlMillis - margin;
        }
    }

    private static final System.Logger LOG = System.getLogger(CaffeineResourceCache.class.getName());

    private final Settings settings;
    private final ClusterGuards guards;
    private final Cache<CacheKey, Entry> entries;
    private final Map<CacheKey, CompletableFuture<Entry>> inFlight = new ConcurrentHashMap<>();
    private final Set<CacheKey> refreshing = ConcurrentHashMap.newKeySet();
    private final CompactLists compactLists;
    private final LongSupplier clock;

    /**
     * A cache whose loads all go through the plugins' loaders.
     *
     * @param settings the cache's settings
     * @param guards   the clusters' fault-tolerance policies
     */
    public CaffeineResourceCache(Settings settings, ClusterGuards guards) {
        this(settings, guards, null);
    }

    /**
     * A cache that reads lists of the large kinds itself, compactly and while they arrive ({@link CompactLists}).
     *
     * @param settings the cache's settings
     * @param guards   the clusters' fault-tolerance policies
     * @param clusters resolves a cluster's name to its context, for the lists read by the platform
     */
    public CaffeineResourceCache(Settings settings, ClusterGuards guards, Function<String, ClusterContext> clusters) {
        this(settings, guards, clusters, System::currentTimeMillis, Ticker.systemTicker());
    }

    /**
     * @param clock a test's wall clock in ms, to age entries without waiting (entries also expire on it)
     */
    CaffeineResourceCache(Settings settings, ClusterGuards guards, Function<String, ClusterContext> clusters,
                          LongSupplier clock) {
        this(settings, guards, clusters, clock, () -> clock.getAsLong() * 1_000_000L);
    }

    private CaffeineResourceCache(Settings settings, ClusterGuards guards, Function<String, ClusterContext> clusters,
                                  LongSupplier clock, Ticker ticker) {
        this.settings = settings;
        this.guards = guards;
        this.compactLists = clusters == null ? null : new CompactLists(clusters);
        this.clock = clock;
        long staleNanos = settings.staleMaxAge().toNanos();
        this.entries = Caffeine.newBuilder()
                .ticker(ticker)
                .maximumSize(settings.maxEntries())
                .expireAfter(new Expiry<CacheKey, Entry>() {
                    @Override
                    public long expireAfterCreate(CacheKey key, Entry value, long currentTime) {
                        return Duration.ofMillis(value.ttlMillis()).toNanos() + staleNanos;
                    }

                    @Override
                    public long expireAfterUpdate(CacheKey key, Entry value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(CacheKey key, Entry value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(CacheKey key, boolean forceRefresh, Supplier<T> loader) {
        long now = clock.getAsLong();
        Entry cached = entries.getIfPresent(key);
        if (!forceRefresh && cached != null && cached.age(now) < cached.ttlMillis()) {
            if (settings.refreshAhead() && cached.refreshDue(now)) {
                refreshAhead(key, loader);
            }
            record(CacheOutcome.Status.HIT, cached.readAtMillis());
            return (T) cached.value();
        }
        try {
            Entry fresh = load(key, loader);
            record(forceRefresh ? CacheOutcome.Status.BYPASS : CacheOutcome.Status.MISS, fresh.readAtMillis());
            return (T) fresh.value();
        } catch (ApiException.ClusterUnavailable | ApiException.ClusterTimeout e) {
            Entry stale = entries.getIfPresent(key);
            boolean staleAllowed = !settings.staleMaxAge().isZero();
            if (staleAllowed && stale != null && stale.age(clock.getAsLong())
                    <= stale.ttlMillis() + settings.staleMaxAge().toMillis()) {
                record(CacheOutcome.Status.STALE, stale.readAtMillis());
                return (T) stale.value();
            }
            throw e;
        }
    }

    /**
     * Reads the key again on a thread of its own, unless a read of it runs already; what it reads replaces the entry.
     * The thread serves no request (it carries none of its state) and runs with the caller's context class loader,
     * the plugin's whose loader it is. A failure leaves the entry as it is: it expires at its TTL, and the read after
     * that fails or answers stale as any read does.
     */
    private void refreshAhead(CacheKey key, Supplier<?> loader) {
        if (inFlight.containsKey(key) || !refreshing.add(key)) {
            return;
        }
        ClassLoader plugin = Thread.currentThread().getContextClassLoader();
        try {
            Thread.ofVirtual().name("cache-refresh").start(() -> {
                Thread.currentThread().setContextClassLoader(plugin);
                try {
                    load(key, loader);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.DEBUG, () -> "refresh ahead of " + key.kind().name() + " of cluster '"
                            + key.cluster() + "' failed (the entry expires at its TTL): " + e.getClass().getSimpleName());
                } finally {
                    refreshing.remove(key);
                }
            });
        } catch (RuntimeException e) {
            refreshing.remove(key); // the thread did not start: a later read may try again
            throw e;
        }
    }

    /** Loads once for all concurrent callers of a key. */
    private Entry load(CacheKey key, Supplier<?> loader) {
        CompletableFuture<Entry> mine = new CompletableFuture<>();
        CompletableFuture<Entry> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            try {
                return running.get(); // unlike join(), a request deadline's interrupt ends this wait
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new CompletionException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException.ClusterTimeout("The request's time ran out while it waited for another request's "
                        + "read of cluster '" + key.cluster() + "'.", e);
            }
        }
        long started = System.nanoTime();
        try {
            Optional<Supplier<Object>> compact = compactLists == null ? Optional.empty() : compactLists.reader(key);
            // what no view shows (managedFields, last-applied-configuration) is dropped before it is cached; compact
            // lists never had it
            Object value = compact.isPresent() ? guards.call(key.cluster(), compact.get())
                    : LeanObjects.trim(guards.call(key.cluster(), loader::get));
            long tookNanos = System.nanoTime() - started;
            Entry entry = new Entry(value, clock.getAsLong(), settings.ttl(key).toMillis(), tookNanos / 1_000_000L);
            entries.put(key, entry);
            PlatformMetrics.upstreamCall(key.cluster(), key.kind().name(), "ok", Duration.ofNanos(tookNanos));
            mine.complete(entry);
            return entry;
        } catch (RuntimeException e) {
            PlatformMetrics.upstreamCall(key.cluster(), key.kind().name(),
                    e instanceof ApiException api ? api.errorType() : "error", Duration.ofNanos(System.nanoTime() - started));
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    @Override
    public Optional<Instant> readAt() {
        return CacheOutcome.currentReadAt();
    }

    @Override
    public ExecutorService parallelReads() {
        return new RequestTasks();
    }

    @Override
    public void invalidate(String cluster, CacheKind kind) {
        entries.asMap().keySet().removeIf(k -> k.cluster().equals(cluster) && (kind == null || k.kind().equals(kind)));
    }

    /** Drops the lists (not the objects) of a cluster's kind: an informer serves them now. */
    void invalidateLists(String cluster, CacheKind kind) {
        entries.asMap().keySet().removeIf(k -> k.cluster().equals(cluster) && k.kind().equals(kind)
                && k.name().isEmpty());
    }

    /** @return the number of entries held (fresh or stale) */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    private static void record(CacheOutcome.Status status, long readAt) {
        CacheOutcome.record(status, readAt);
        PlatformMetrics.cache(status.name().toLowerCase(Locale.ROOT));
    }
}
