package io.cloudpilot.platform.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.cloudpilot.platform.metrics.PlatformMetrics;
import io.cloudpilot.spi.ApiException;
import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.helidon.faulttolerance.Timeout;
import io.helidon.faulttolerance.TimeoutException;

import org.eclipse.microprofile.config.Config;

/**
 * One fault-tolerance policy per cluster (Helidon fault tolerance): a circuit breaker that fails fast while a
 * cluster keeps failing, a bulkhead that bounds how many calls one cluster may have in flight (so a slow cluster
 * cannot hold every thread), and a timeout on each call. Only failures that say the cluster is unwell
 * ({@code ClusterUnavailable}, {@code ClusterTimeout}) count against the circuit; a 403 or 404 is an answer.
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

    private record Guard(CircuitBreaker breaker, Bulkhead bulkhead, Timeout timeout) {
    }

    private final Settings settings;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    /**
     * @param settings the policy's settings
     */
    public ClusterGuards(Settings settings) {
        this.settings = settings;
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
            return guard.breaker().invoke(() -> guard.bulkhead().invoke(() -> guard.timeout().invoke(() -> {
                try {
                    return call.get();
                } catch (RuntimeException e) {
                    throw UpstreamErrors.map(cluster, e);
                }
            })));
        } catch (CircuitBreakerOpenException e) {
            throw new ApiException.ClusterUnavailable("Cluster '" + cluster + "' failed repeatedly, so CloudPilot "
                    + "stops calling it for " + settings.circuitDelay().toSeconds() + " s (circuit open); it tries "
                    + "again after that.", null);
        } catch (BulkheadException e) {
            throw new ApiException.ClusterUnavailable("Cluster '" + cluster + "' has " + settings.concurrentCalls()
                    + " slow calls in flight and " + settings.queuedCalls() + " waiting; try again shortly.", null);
        } catch (TimeoutException e) {
            throw new ApiException.ClusterTimeout("Cluster '" + cluster + "' did not answer within "
                    + settings.callTimeout().toSeconds() + " s.", null);
        }
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
                .applyOn(Set.of(ApiException.ClusterUnavailable.class, ApiException.ClusterTimeout.class,
                        TimeoutException.class))
                .build();
        Bulkhead bulkhead = Bulkhead.builder()
                .name("cluster-" + cluster)
                .limit(settings.concurrentCalls())
                .queueLength(settings.queuedCalls())
                .build();
        Timeout timeout = Timeout.builder()
                .name("cluster-" + cluster)
                .timeout(settings.callTimeout())
                .currentThread(true)
                .build();
        PlatformMetrics.circuit(cluster, () -> switch (circuitState(cluster)) {
            case "OPEN" -> 2;
            case "HALF_OPEN" -> 1;
            default -> 0;
        });
        return new Guard(breaker, bulkhead, timeout);
    }
}
