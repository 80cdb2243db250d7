package io.cloudpilot.platform.http;

import java.time.Duration;

import io.cloudpilot.platform.deadline.ThreadDeadline;

import org.eclipse.microprofile.config.ConfigProvider;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * The last bound on every API request, plugins' ones included ({@code cloudpilot.request-timeout}, ISO-8601,
 * default {@code PT30S}; docs/decisions/0013). The request filter arms a deadline for the request's thread on one
 * shared timer thread; when it passes, the timer interrupts that thread, so whatever it waits on (a cluster call, a
 * read in flight, the cache's single-flight load) gives up, and {@link ErrorMapper} answers 503 {@code ClusterTimeout}.
 * The response filter disarms it, and {@link WebServerFilters}' {@code finally} does too for a request that never
 * reached it; a deadline is disarmed atomically, so a late timer never interrupts the thread once the request is
 * answered, and an interrupt that came just before disarming is cleared. Nothing here touches CDI per request
 * (MicroProfile Fault Tolerance's {@code @Timeout} did, and leaked, helidon-io/helidon#12130).
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestDeadline implements ContainerRequestFilter, ContainerResponseFilter {

    /** The configuration key. */
    public static final String KEY = "cloudpilot.request-timeout";
    /** Its default. */
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private static final ThreadLocal<ThreadDeadline> CURRENT = new ThreadLocal<>();

    private volatile Duration timeout;

    /** The configured bound ({@code cloudpilot.request-timeout}). */
    public RequestDeadline() {
    }

    /** @param timeout the bound (tests) */
    RequestDeadline(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        finish(); // a deadline left on this thread by a request that never disarmed it
        CURRENT.set(ThreadDeadline.arm(Thread.currentThread(), timeout()));
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        finish();
    }

    /**
     * Disarms the current thread's deadline, if any, and clears an interrupt it caused. Called when the answer is
     * ready, and in a {@code finally} around every request.
     */
    public static void finish() {
        ThreadDeadline armed = CURRENT.get();
        if (armed != null) {
            CURRENT.remove();
            if (armed.disarm()) {
                Thread.interrupted(); // the deadline's interrupt must not reach the next request on this thread
            }
        }
    }

    /** @return true when the current request's deadline has passed (its thread was interrupted for it) */
    public static boolean expired() {
        ThreadDeadline armed = CURRENT.get();
        return armed != null && armed.fired();
    }

    /** @return the current request's bound (or the configured one) in seconds, for the message: "30", "1.5" */
    static String seconds() {
        ThreadDeadline armed = CURRENT.get();
        return ThreadDeadline.seconds(armed != null ? armed.timeout() : configured());
    }

    private Duration timeout() {
        Duration t = timeout;
        if (t == null) {
            t = configured();
            timeout = t;
        }
        return t;
    }

    /**
     * @return the configured bound
     * @throws IllegalArgumentException when it is not a positive duration
     */
    static Duration configured() {
        Duration d = ConfigProvider.getConfig().getOptionalValue(KEY, Duration.class).orElse(DEFAULT);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(KEY + " must be a positive ISO-8601 duration, e.g. PT30S; it is " + d);
        }
        return d;
    }
}
