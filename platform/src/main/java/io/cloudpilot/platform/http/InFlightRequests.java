package io.cloudpilot.platform.http;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Counts the requests in flight, so a shutdown can let them finish ({@link #drain}). Once draining, every new
 * request is refused at once: 503 in the envelope ({@code error_type: ShuttingDown}) with {@code Connection: close},
 * so load balancers and clients go elsewhere, and readiness fails with it.
 */
public final class InFlightRequests implements Filter {

    private static final System.Logger LOG = System.getLogger(InFlightRequests.class.getName());
    /** The {@code error_type} of a request refused while shutting down. */
    static final String SHUTTING_DOWN = "ShuttingDown";
    static final String SHUTTING_DOWN_MESSAGE = "CloudPilot is shutting down and accepts no new requests; retry in a "
            + "moment (another replica, or this one once it has restarted).";
    private static final byte[] REFUSED = ("{\"code\":503,\"message\":\"" + SHUTTING_DOWN_MESSAGE + "\",\"data\":"
            + "{\"error_type\":\"" + SHUTTING_DOWN + "\",\"details\":\"graceful shutdown in progress\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Object lock = new Object();
    private volatile boolean draining;

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (draining) {
            res.status(Status.SERVICE_UNAVAILABLE_503)
                    .header(HeaderNames.CONTENT_TYPE, "application/json")
                    .header(HeaderNames.CONNECTION, "close")
                    .send(REFUSED);
            return;
        }
        inFlight.incrementAndGet();
        try {
            chain.proceed();
        } finally {
            if (inFlight.decrementAndGet() == 0) {
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        }
    }

    /** @return requests being answered now */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Refuses new requests from now on and waits until those in flight have been answered.
     *
     * @param grace the longest wait
     * @return true when every request finished in time
     */
    public boolean drain(Duration grace) {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        int waiting = inFlight.get();
        if (waiting > 0) {
            LOG.log(Level.INFO, "Shutting down: waiting up to {0} s for {1} request(s) in flight", grace.toSeconds(),
                    waiting);
        }
        synchronized (lock) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.log(Level.WARNING, "Shutting down with {0} request(s) still in flight after the grace period "
                            + "of {1} s (server.shutdown-grace-period)", inFlight.get(), grace.toSeconds());
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }
}
