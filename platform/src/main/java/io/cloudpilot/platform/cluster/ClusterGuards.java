package io.cloudpilot.platform.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.cloudpilot.platform.errors.Causes;
import io.cloudpilot.platform.deadline.ThreadDeadline;
import io.cloudpilot.platform.metrics.PlatformMetrics;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;

import org.eclipse.microprofile.config.Config;

/**
 * One fault-tolerance policy per cluster: a circuit breaker that fails fast while a cluster keeps failing and a
 * bulkhead that bounds how many calls one cluster may have in flight (so a slow cluster cannot hold every thread),
 * both Helidon fault tolerance, and a deadline on each call ({@link ThreadDeadline}). Only failures that say the
 * cluster is unwell ({@code ClusterUnavailable}, {@code ClusterTimeout}) count against the circuit; a 403 or 404 is
 * an answer.
 */
public final class ClusterGuards {

    /**
     * The policy's settings.
     *
     * @param callTimeout      bound on one guarded call ({@code cluster.call-timeout}, default 20 s)
     * @param concurrentCalls  calls in flight per cluster ({@code cluster.bulkhead.limit}, default 16)
     * @param queuedCalls      calls waiting per cluster ({@code cluster.bulkhead.queue}, default 32)
     * @param circuitVolume    calls the circuit looks at ({@code cluster.circuit.volume}, default 6)
     * @param circuitErrorRatio percent of those that must fail to open it ({@code cluster.circuit.error-ratio}, default 50)
     * @param circuitDelay     how long it stays open before a probe ({@code cluster.circuit.delay}, default 10 s)
     * @param successThreshold probes that must succeed to close it ({@code cluster.circuit.success-threshold}, default 1)
     */
    public record Settings(Duration callTimeout, int concurrentCalls, int queuedCalls, int circuitVolume,
                           int circuitErrorRatio, Duration circuitDelay, int successThreshold) {

        /**
         * @param config the server's configuration
         * @return the settings it names, with defaults
         */
        public static Settings from(Config config) {
            return new Settings(
                    config.getOptionalValue("cluster.call-timeout", Duration.class).orElse(Duration.ofSeconds(20)),
                    config.getOptionalValue("cluster.bulkhead.limit", Integer.class).orElse(16),
                    config.getOptionalValue("cluster.bulkhead.queue", Integer.class).orElse(32),
                    config.getOptionalValue("cluster.circuit.volume", Integer.class).orElse(6),
                    config.getOptionalValue("cluster.circuit.error-ratio", Integer.class).orElse(50),
                    config.getOptionalValue("cluster.circuit.delay", Duration.class).orElse(Duration.ofSeconds(10)),
                    config.getOptionalValue("cluster.circuit.success-threshold", Integer.class).orElse(1));
        }
    }

    private record Guard(CircuitBreaker breaker, Bulkhead bulkhead) {
    }

    private final Settings settings;
    private final ClusterObserver observer;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    /**
     * @param settings the policy's settings
     */
    public ClusterGuards(Settings settings) {
        this(settings, ClusterObserver.NONE);
    }

    /**
     * @param settings the policy's settings
     * @param observer hears what every call that reached for a cluster found
     */
    public ClusterGuards(Settings settings, ClusterObserver observer) {
        this.settings = settings;
        this.observer = observer;
    }

    /**
     * Runs one call to a cluster under its policy and maps every failure to the contract's errors.
     *
     * @param cluster the cluster
     * @param call    the call
     * @param <T>     its result
     * @return the result
     * @throws ApiException when the call fails, times out, or the circuit is open
     */
    public <T> T call(String cluster, Supplier<T> call) {
        Guard guard = guards.computeIfAbsent(cluster, this::create);
        try {
            return guard.breaker().invoke(() -> guard.bulkhead().invoke(() -> timed(cluster, call)));
        } catch (CircuitBreakerOpenException e) {
            throw new ApiException.ClusterUnavailable("Cluster '" + cluster + "' failed repeatedly, so CloudPilot "
                    + "stops calling it for " + settings.circuitDelay().toSeconds() + " s (circuit open); it tries "
                    + "again after that.", null);
        } catch (BulkheadException e) {
            throw new ApiException.ClusterUnavailable("Cluster '" + cluster + "' has " + settings.concurrentCalls()
                    + " slow calls in flight and " + settings.queuedCalls() + " waiting; try again shortly.", null);
        }
    }

    /**
     * The call under its own deadline: when {@code cluster.call-timeout} passes, the calling thread is interrupted,
     * which ends the HTTP exchange it waits on. The deadline is disarmed as soon as the call returns, so nothing
     * outlives the call (Helidon's {@code Timeout} kept a sleeping thread, and through it the answer, for the whole
     * timeout after every call: docs/decisions/0014).
     */
    private <T> T timed(String cluster, Supplier<T> call) {
        ThreadDeadline deadline = ThreadDeadline.arm(Thread.currentThread(), settings.callTimeout());
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            ApiException mapped = deadline.disarm() ? timedOut(cluster) : UpstreamErrors.map(cluster, e);
            observe(cluster, mapped, e);
            throw mapped;
        } finally {
            if (deadline.disarm()) {
                Thread.interrupted(); // the deadline's interrupt is answered here and must not reach later waits
            }
        }
        if (deadline.disarm()) { // it fired, but the call returned anyway: late is late
            ApiException late = timedOut(cluster);
            observer.unreachable(cluster, late.getMessage());
            throw late;
        }
        observer.answered(cluster, result);
        return result;
    }

    /** A failure says the cluster is unwell (unreachable, slow, 5xx, credentials refused) or is just its answer. */
    private void observe(String cluster, ApiException mapped, RuntimeException raw) {
        boolean credentialsRefused = Causes.chain(raw).stream()
                .anyMatch(t -> t instanceof KubernetesClientException k && k.getCode() == 401);
        if (mapped instanceof ApiException.ClusterUnavailable || mapped instanceof ApiException.ClusterTimeout
                || credentialsRefused) {
            observer.unreachable(cluster, mapped.getMessage());
        } else if (!(mapped instanceof ApiException.InternalError)) {
            observer.answered(cluster, null);
        }
    }

    private ApiException.ClusterTimeout timedOut(String cluster) {
        return new ApiException.ClusterTimeout("Cluster '" + cluster + "' did not answer within "
                + ThreadDeadline.seconds(settings.callTimeout()) + " s.", null);
    }

    /**
     * @param cluster a cluster
     * @return its circuit state: CLOSED, HALF_OPEN or OPEN
     */
    public String circuitState(String cluster) {
        Guard guard = guards.get(cluster);
        return guard == null ? "CLOSED" : guard.breaker().state().name();
    }

    /**
     * Forgets a cluster's policy (it was removed or replaced).
     *
     * @param cluster the cluster
     */
    public void forget(String cluster) {
        guards.remove(cluster);
    }

    private Guard create(String cluster) {
        CircuitBreaker breaker = CircuitBreaker.builder()
                .name("cluster-" + cluster)
                .volume(settings.circuitVolume())
                .errorRatio(settings.circuitErrorRatio())
                .delay(settings.circuitDelay())
                .successThreshold(settings.successThreshold())
                .applyOn(Set.of(ApiException.ClusterUnavailable.class, ApiException.ClusterTimeout.class))
                .build();
        Bulkhead bulkhead = Bulkhead.builder()
                .name("cluster-" + cluster)
                .limit(settings.concurrentCalls())
                .queueLength(settings.queuedCalls())
                .build();
        PlatformMetrics.circuit(cluster, () -> switch (circuitState(cluster)) {
            case "OPEN" -> 2;
            case "HALF_OPEN" -> 1;
            default -> 0;
        });
        return new Guard(breaker, bulkhead);
    }
}
