package io.cloudpilot.platform.cache;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.cloudpilot.platform.request.RequestLocal;

/**
 * What the cache did for one request, for its {@code X-Cache} and {@code Age} headers. It is held for the request's
 * thread only ({@link RequestLocal}): the tasks a resource runs through {@link io.cloudpilot.spi.ResourceCache#parallelReads()}
 * record into the same outcome, threads it starts otherwise do not.
 */
public final class CacheOutcome {

    /** The {@code X-Cache} values, weakest first: the header shows the weakest one any read of the request had. */
    public enum Status {
        /** Every read was served from the cache. */
        HIT,
        /** At least one read went to the cluster because nothing was cached. */
        MISS,
        /** At least one read ignored the cache because of {@code force_refresh}. */
        BYPASS,
        /** At least one read was served from an expired entry because the cluster failed. */
        STALE
    }

    private static final RequestLocal<CacheOutcome> CURRENT = RequestLocal.create();

    private final AtomicReference<Status> status = new AtomicReference<>();
    private final AtomicLong oldestReadAtMillis = new AtomicLong(Long.MAX_VALUE);

    /** Starts recording for the current request. @return the outcome */
    public static CacheOutcome begin() {
        CacheOutcome outcome = new CacheOutcome();
        CURRENT.set(outcome);
        return outcome;
    }

    /** @return the current request's outcome, or null outside a request */
    public static CacheOutcome current() {
        return CURRENT.get();
    }

    /** Stops recording on this thread. */
    public static void end() {
        CURRENT.remove();
    }

    /**
     * Records one read.
     *
     * @param s          what the cache did
     * @param readAtMillis when the value was read from the cluster
     */
    public static void record(Status s, long readAtMillis) {
        CacheOutcome outcome = CURRENT.get();
        if (outcome == null) {
            return;
        }
        outcome.status.accumulateAndGet(s, (a, b) -> a == null || b.compareTo(a) > 0 ? b : a);
        outcome.oldestReadAtMillis.accumulateAndGet(readAtMillis, Math::min);
    }

    /** @return the header value, or null when the request read nothing through the cache */
    public Status status() {
        return status.get();
    }

    /**
     * @return when the oldest value of the request was read from its cluster, empty when it read nothing
     */
    public Optional<Instant> oldestReadAt() {
        long oldest = oldestReadAtMillis.get();
        return oldest == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(oldest));
    }

    /**
     * @return {@link #oldestReadAt()} of the current request, empty outside a request
     */
    public static Optional<Instant> currentReadAt() {
        CacheOutcome outcome = CURRENT.get();
        return outcome == null ? Optional.empty() : outcome.oldestReadAt();
    }

    /**
     * @param nowMillis the current time
     * @return seconds since the oldest value of the request was read from its cluster
     */
    public long ageSeconds(long nowMillis) {
        long oldest = oldestReadAtMillis.get();
        return oldest == Long.MAX_VALUE ? 0 : Math.max(0, (nowMillis - oldest) / 1000);
    }
}
