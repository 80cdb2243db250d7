package io.cloudpilot.platform.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import io.cloudpilot.platform.metrics.PlatformMetrics;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;

import org.eclipse.microprofile.config.Config;

/**
 * {@code cache.mode=watch}: lists and objects of the watchable kinds (pods, nodes, namespaces, services, endpoints,
 * events, deployments, replicasets, Istio networking kinds) are served from fabric8 informers, one per cluster and
 * kind, started on first use and stopped after {@code cache.watch.idle} without use. In steady state a read costs
 * no call to the cluster, and a change in the cluster shows as soon as its watch event arrives.
 *
 * <p>Everything else goes to the TTL cache it wraps: other kinds (logs, metrics, secrets, counts), selectors that
 * cannot be evaluated locally (field selectors other than {@code metadata.name}/{@code metadata.namespace}), objects
 * the store does not hold (so that a 404 says what the plugin wants it to say), clusters whose mode is {@code ttl},
 * kinds whose informer could not start (RBAC without watch, a missing CRD; retried after a while), and every
 * {@code force_refresh=true} read, which is a live read as in TTL mode.
 */
public final class WatchCache implements ResourceCache, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WatchCache.class.getName());

    /** What a cache mode names. */
    public enum Mode {
        /** Entries read on demand and kept for their TTL (the default). */
        TTL,
        /** Informers per cluster and kind. */
        WATCH;

        static Mode parse(String value, String key) {
            try {
                return Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(key + " must be ttl or watch, not '" + value + "'");
            }
        }
    }

    /**
     * The watch settings.
     *
     * @param mode        the mode of every cluster without its own ({@code cache.mode}, default ttl)
     * @param byCluster   per-cluster modes ({@code cache.clusters.<name>.mode})
     * @param idle        an informer unused this long is stopped ({@code cache.watch.idle}, default 10 min)
     * @param syncTimeout how long a first read waits for an informer's initial list ({@code cache.watch.sync-timeout},
     *                    default 20 s); past it, the read goes to the TTL cache
     * @param retryAfter  how long a kind whose informer failed to start is read through the TTL cache before
     *                    trying again ({@code cache.watch.retry-after}, default 60 s)
     */
    public record Settings(Mode mode, Map<String, Mode> byCluster, Duration idle, Duration syncTimeout,
                           Duration retryAfter) {

        /**
         * Reads {@code cache.mode} (also {@code cloudpilot.cache.mode}) and the rest, with defaults.
         *
         * @param config the server's configuration
         * @return the settings
         */
        public static Settings from(Config config) {
            Map<String, Mode> byCluster = new HashMap<>();
            for (String name : config.getPropertyNames()) {
                for (String prefix : List.of("cache.clusters.", "cloudpilot.cache.clusters.")) {
                    if (name.startsWith(prefix) && name.endsWith(".mode")) {
                        String cluster = name.substring(prefix.length(), name.length() - ".mode".length());
                        config.getOptionalValue(name, String.class)
                                .ifPresent(v -> byCluster.put(cluster, Mode.parse(v, name)));
                    }
                }
            }
            Function<String, Optional<String>> value = key -> config.getOptionalValue(key, String.class)
                    .or(() -> config.getOptionalValue("cloudpilot." + key, String.class));
            return new Settings(
                    value.apply("cache.mode").map(v -> Mode.parse(v, "cache.mode")).orElse(Mode.TTL),
                    Map.copyOf(byCluster),
                    value.apply("cache.watch.idle").map(Duration::parse).orElse(Duration.ofMinutes(10)),
                    value.apply("cache.watch.sync-timeout").map(Duration::parse).orElse(Duration.ofSeconds(20)),
                    value.apply("cache.watch.retry-after").map(Duration::parse).orElse(Duration.ofSeconds(60)));
        }

        /** @return whether any cluster may be watched */
        public boolean anyWatch() {
            return mode == Mode.WATCH || byCluster.containsValue(Mode.WATCH);
        }

        Mode modeOf(String cluster) {
            return byCluster.getOrDefault(cluster, mode);
        }
    }

    private record WatchKey(String cluster, String kind) {
    }

    private final Settings settings;
    private final ResourceCache ttl;
    private final Function<String, ClusterContext> clusters;
    private final Map<WatchKey, CompletableFuture<KindWatch>> watches = new ConcurrentHashMap<>();
    private final Map<WatchKey, Long> failedAtNanos = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;

    /**
     * @param settings the watch settings
     * @param ttl      the TTL cache for everything not served from a watch
     * @param clusters resolves a cluster's name to its context (its client)
     */
    public WatchCache(Settings settings, ResourceCache ttl, Function<String, ClusterContext> clusters) {
        this.settings = settings;
        this.ttl = ttl;
        this.clusters = clusters;
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cloudpilot-watch-reaper");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(100, Math.min(settings.idle().toMillis() / 4, 30_000));
        // a pass that throws must not end the schedule: an exception would cancel every later pass, silently
        var unused = reaper.scheduleWithFixedDelay(() -> {
            try {
                stopIdle();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Stopping unused watches failed; tried again later", e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(CacheKey key, boolean forceRefresh, Supplier<T> loader) {
        if (settings.modeOf(key.cluster()) != Mode.WATCH || !KindWatch.watchable(key.kind().name())) {
            return ttl.get(key, forceRefresh, loader);
        }
        if (forceRefresh) {
            T live = ttl.get(key, true, loader);
            // the informer serves the next reads: a second full copy of the kind in the TTL cache would only cost heap
            // (a full object behind a compact list stays: detail reads are served from the TTL cache)
            if (key.name().isEmpty()) {
                dropListCopies(key.cluster(), key.kind());
            } else if (!CompactLists.compact(key.kind())) {
                ttl.invalidate(key.cluster(), key.kind());
            }
            return live;
        }
        if (!key.name().isEmpty() && CompactLists.compact(key.kind())) {
            // the informer holds compact objects: a detail endpoint reads the full object, kept briefly
            return ttl.get(key, false, loader);
        }
        KindWatch watch = watch(key);
        if (watch == null || !watch.serving()) {
            T read = ttl.get(key, false, loader);
            if (key.name().isEmpty()) {
                // the informer may have started serving while this read ran: its list must not stay as a second copy
                KindWatch now = running(key);
                if (now != null && now.serving()) {
                    dropListCopies(key.cluster(), key.kind());
                }
            }
            return read;
        }
        Object value;
        if (key.name().isEmpty()) {
            value = watch.list(key.namespace(), key.labelSelector(), key.fieldSelector()).orElse(null);
        } else if (key.labelSelector().isEmpty() && key.fieldSelector().isEmpty()) {
            value = watch.get(key.namespace(), key.name()).orElse(null);
        } else {
            value = null;
        }
        if (value == null) {
            return ttl.get(key, false, loader);
        }
        long readAt = watch.watching() ? System.currentTimeMillis() : watch.changedAtMillis();
        CacheOutcome.record(CacheOutcome.Status.HIT, readAt);
        PlatformMetrics.cache("hit");
        return (T) value;
    }

    /** @return the informer of the key's cluster and kind if it has started, without waiting */
    private KindWatch running(CacheKey key) {
        CompletableFuture<KindWatch> f = watches.get(new WatchKey(key.cluster(), key.kind().name()));
        return f == null ? null : f.getNow(null);
    }

    private void dropListCopies(String cluster, CacheKind kind) {
        if (ttl instanceof CaffeineResourceCache caffeine) {
            caffeine.invalidateLists(cluster, kind);
        } else {
            ttl.invalidate(cluster, kind);
        }
    }

    /** @return the running informer for the key's cluster and kind, or null when it cannot serve now */
    private KindWatch watch(CacheKey key) {
        WatchKey wk = new WatchKey(key.cluster(), key.kind().name());
        Long failed = failedAtNanos.get(wk);
        if (failed != null) {
            if (System.nanoTime() - failed < settings.retryAfter().toNanos()) {
                return null;
            }
            failedAtNanos.remove(wk, failed);
        }
        CompletableFuture<KindWatch> mine = new CompletableFuture<>();
        CompletableFuture<KindWatch> existing = watches.putIfAbsent(wk, mine);
        if (existing == null) {
            start(wk, mine);
            existing = mine;
        }
        try {
            return existing.get(settings.syncTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null; // still listing: this read goes to the TTL cache, the next ones will be served
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException.ClusterUnavailable("Interrupted while waiting for the cluster's watch.", e);
        }
    }

    private void start(WatchKey wk, CompletableFuture<KindWatch> result) {
        KindWatch watch;
        try {
            ClusterContext cluster = clusters.apply(wk.cluster());
            watch = KindWatch.create(wk.cluster(), wk.kind(), cluster.client()).orElseThrow();
        } catch (RuntimeException e) {
            fail(wk, result, e, 0);
            return;
        }
        long started = System.nanoTime();
        watch.informer().start().whenComplete((ok, error) -> {
            if (error != null) {
                watch.stop();
                fail(wk, result, error, started);
                return;
            }
            PlatformMetrics.upstreamCall(wk.cluster(), wk.kind(), "watch", Duration.ofNanos(System.nanoTime() - started));
            // reads made while the informer listed went to the TTL cache: the informer's store is the one copy now
            dropListCopies(wk.cluster(), CacheKind.of(wk.kind()));
            LOG.log(System.Logger.Level.INFO, "Watching {0} of cluster {1}: {2} objects listed in {3} ms",
                    wk.kind(), wk.cluster(), watch.informer().getStore().list().size(),
                    (System.nanoTime() - started) / 1_000_000);
            result.complete(watch);
        });
    }

    private void fail(WatchKey wk, CompletableFuture<KindWatch> result, Throwable error, long startedNanos) {
        long now = System.nanoTime();
        failedAtNanos.put(wk, now);
        watches.remove(wk, result);
        PlatformMetrics.upstreamCall(wk.cluster(), wk.kind(), "watch_failed",
                Duration.ofNanos(startedNanos == 0 ? 0 : now - startedNanos));
        Throwable cause = error.getCause() != null ? error.getCause() : error;
        LOG.log(System.Logger.Level.WARNING, "Cannot watch {0} of cluster {1} ({2}); reading it on demand, "
                + "trying again in {3}", wk.kind(), wk.cluster(), cause.getClass().getSimpleName(),
                settings.retryAfter());
        result.completeExceptionally(error);
    }

    /** Stops the informers nobody read for {@code cache.watch.idle}. */
    void stopIdle() {
        long now = System.nanoTime();
        long idle = settings.idle().toNanos();
        watches.forEach((wk, future) -> {
            KindWatch w = future.getNow(null);
            if (w != null && w.idleNanos(now) > idle && watches.remove(wk, future)) {
                LOG.log(System.Logger.Level.INFO, "Stopped watching {0} of cluster {1}: unused for {2}",
                        wk.kind(), wk.cluster(), settings.idle());
                w.stop();
            }
        });
    }

    /** @return the clusters and kinds watched now, as {@code cluster/kind} */
    public List<String> watched() {
        return watches.entrySet().stream().filter(e -> e.getValue().getNow(null) != null)
                .map(e -> e.getKey().cluster() + "/" + e.getKey().kind()).sorted().toList();
    }

    /** Watched reads and TTL reads record into the same request's outcome, which the TTL cache reads. */
    @Override
    public Optional<Instant> readAt() {
        return ttl.readAt();
    }

    @Override
    public ExecutorService parallelReads() {
        return ttl.parallelReads();
    }

    /**
     * Drops the TTL entries as asked; when a whole cluster is dropped (it was replaced or removed), its informers
     * are stopped, since they watch the old registration. A watched kind needs no invalidation after a write: the
     * watch brings the change.
     */
    @Override
    public void invalidate(String cluster, CacheKind kind) {
        ttl.invalidate(cluster, kind);
        if (kind == null) {
            watches.forEach((wk, future) -> {
                if (wk.cluster().equals(cluster) && watches.remove(wk, future)) {
                    stopWhenStarted(future);
                }
            });
            failedAtNanos.keySet().removeIf(wk -> wk.cluster().equals(cluster));
        }
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        watches.values().forEach(WatchCache::stopWhenStarted);
        watches.clear();
    }

    /** Stops a watch once it has started (it may still be listing); nothing waits for that. */
    private static void stopWhenStarted(CompletableFuture<KindWatch> watch) {
        var unused = watch.thenAccept(KindWatch::stop);
    }
}
