package io.cloudpilot.platform.cache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.cloudpilot.platform.cluster.ClusterGuards;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh ahead (decision 0051): a key read all the time never makes a request wait for the cluster, and an answer is
 * never older than its TTL. The cache runs on a clock the test moves, so that an entry's age is exact; the loaders
 * block on latches, so that a read that waited for one could not return.
 */
class CacheRefreshAheadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final CacheKey KEY = CacheKey.object("prod", CacheKind.CONFIGMAPS, "shop", "settings");

    private final AtomicLong now = new AtomicLong(1_000_000L);

    private CaffeineResourceCache cache(boolean refreshAhead) {
        CaffeineResourceCache.Settings settings = new CaffeineResourceCache.Settings(Duration.ofSeconds(10), Map.of(),
                Duration.ofMinutes(5), 100, Duration.ofSeconds(5), refreshAhead);
        ClusterGuards guards = new ClusterGuards(new ClusterGuards.Settings(Duration.ofSeconds(20), 4, 4, 6, 50,
                Duration.ofSeconds(10), 1));
        return new CaffeineResourceCache(settings, guards, null, now::get);
    }

    /** A loader that says it started and then waits for the test to let it answer. */
    private record Gated(CountDownLatch started, CountDownLatch release, AtomicInteger calls, String value)
            implements Supplier<String> {
        Gated(String value) {
            this(new CountDownLatch(1), new CountDownLatch(1), new AtomicInteger(), value);
        }

        @Override
        public String get() {
            calls.incrementAndGet();
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return value;
        }
    }

    private static Supplier<String> mustNotLoad() {
        return () -> {
            throw new AssertionError("this read must be answered from the cache");
        };
    }

    private static String readAsync(CaffeineResourceCache cache, Supplier<String> loader) throws Exception {
        return CompletableFuture.supplyAsync(() -> cache.get(KEY, false, loader)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aReadInTheLastPartOfTheTtlAnswersFromTheCacheWhileTheClusterIsReadAgainInTheBackground() throws Exception {
        CaffeineResourceCache cache = cache(true);
        assertThat(cache.get(KEY, false, () -> "v1")).isEqualTo("v1");

        // 7 s of 10: the first part of the TTL, nothing is read
        now.addAndGet(7_000);
        assertThat(cache.get(KEY, false, mustNotLoad())).isEqualTo("v1");

        // 9 s of 10: the last fifth. The reader gets v1 at once; the cluster is read again in the background
        now.addAndGet(2_000);
        Gated refresh = new Gated("v2");
        assertThat(readAsync(cache, refresh)).isEqualTo("v1");
        assertThat(refresh.started().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // readers meanwhile get v1 too, and start no second read
        assertThat(readAsync(cache, refresh)).isEqualTo("v1");
        assertThat(readAsync(cache, mustNotLoad())).isEqualTo("v1");
        assertThat(refresh.calls()).hasValue(1);

        refresh.release().countDown();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String seen = "v1";
        while (!seen.equals("v2") && System.nanoTime() < deadline) {
            Thread.sleep(10);
            seen = cache.get(KEY, false, mustNotLoad());
        }
        assertThat(seen).as("the refreshed answer replaces the entry").isEqualTo("v2");
        assertThat(refresh.calls()).hasValue(1);
        // its age starts again from the refresh: 7 s later it is still fresh and nothing is read
        now.addAndGet(7_000);
        assertThat(cache.get(KEY, false, mustNotLoad())).isEqualTo("v2");
    }

    @Test
    void anEntryPastItsTtlIsNeverAnsweredFromTheCache() throws Exception {
        CaffeineResourceCache cache = cache(true);
        cache.get(KEY, false, () -> "v1");
        now.addAndGet(10_000);
        Gated read = new Gated("v2");
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> cache.get(KEY, false, read));
        assertThat(read.started().await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(answer).as("a read past the TTL waits for the cluster").isNotDone();
        read.release().countDown();
        assertThat(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("v2");
    }

    @Test
    void aFailedRefreshKeepsTheEntryUntilItsTtl() throws Exception {
        CaffeineResourceCache cache = cache(true);
        cache.get(KEY, false, () -> "v1");
        now.addAndGet(9_000);
        CountDownLatch failed = new CountDownLatch(1);
        assertThat(readAsync(cache, () -> {
            failed.countDown();
            throw new ApiException.ClusterUnavailable("prod is down", null);
        })).isEqualTo("v1");
        assertThat(failed.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // still v1 (and a new refresh may start: the failed one has ended)
        Gated next = new Gated("v2");
        assertThat(readAsync(cache, next)).isEqualTo("v1");
        next.release().countDown();
    }

    @Test
    void withRefreshAheadOffAReadNearTheEndOfTheTtlReadsNothing() throws Exception {
        CaffeineResourceCache cache = cache(false);
        cache.get(KEY, false, () -> "v1");
        now.addAndGet(9_900);
        assertThat(readAsync(cache, mustNotLoad())).isEqualTo("v1");
        now.addAndGet(100);
        assertThat(readAsync(cache, () -> "v2")).isEqualTo("v2");
    }
}
