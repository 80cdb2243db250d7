package io.cloudpilot.platform.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.FunctionalCounter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;

/**
 * CloudPilot's own Prometheus metrics (at {@code /metrics}): API requests by route template, method and status
 * (count and duration histogram); upstream calls by cluster, kind and outcome (count and duration histogram); cache
 * hits, misses, bypasses and stale answers; each cluster's circuit state; the process (CPU, memory, file descriptors,
 * start time) and the build. Label values never carry what a caller typed: routes are endpoint templates, methods
 * and status classes come from fixed sets, and clusters and kinds are bounded in number ({@link #MAX_VALUES} each,
 * then {@code other}).
 */
public final class PlatformMetrics {

    /** Distinct values a label of cluster or kind takes at most; further ones are counted as {@code other}. */
    static final int MAX_VALUES = 500;
    /** Request and upstream durations, in seconds: from a cache hit to a call that hits its deadline. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30)};
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");
    private static final Map<String, Set<String>> SEEN = new ConcurrentHashMap<>();

    private PlatformMetrics() {
    }

    /**
     * Counts and times one API request, once its answer was sent.
     *
     * @param route    the endpoint's path template, e.g. {@code /k8s/overview/cluster}, a feature path such as
     *                 {@code /health/ready}, or {@code unmatched}
     * @param method   the HTTP method
     * @param status   the HTTP status
     * @param duration from the request's arrival to its last byte
     */
    public static void httpRequest(String route, String method, int status, Duration duration) {
        String m = method(method);
        Metrics.getOrCreate(Counter.builder("cloudpilot_http_requests")
                .description("API requests by endpoint, method and status code")
                .tags(Metrics.tags("endpoint", route, "method", m, "code", Integer.toString(status))))
                .increment();
        Metrics.getOrCreate(Timer.builder("cloudpilot.http.request.duration")
                .description("How long API requests take, by route template, method and status class")
                .buckets(BUCKETS)
                .percentiles(new double[0]) // buckets only: Helidon's default percentiles are not valid in a Prometheus histogram
                .tags(Metrics.tags("route", route, "method", m, "status_class", (status / 100) + "xx")))
                .record(duration);
    }

    /**
     * Counts and times one call to a cluster's API server.
     *
     * @param cluster  the cluster
     * @param kind     what was read ({@code pods}, {@code version} ...), {@code call} for a plugin's guarded write
     * @param outcome  {@code ok} or the error type
     * @param duration how long it took
     */
    public static void upstreamCall(String cluster, String kind, String outcome, Duration duration) {
        String c = bounded("cluster", cluster);
        String k = bounded("kind", kind);
        Metrics.getOrCreate(Counter.builder("cloudpilot_upstream_calls")
                .description("Calls to clusters' API servers")
                .tags(Metrics.tags("cluster", c, "kind", k, "outcome", outcome))).increment();
        Metrics.getOrCreate(Timer.builder("cloudpilot.upstream.call.duration")
                .description("How long calls to clusters' API servers take, by cluster, kind and outcome")
                .buckets(BUCKETS)
                .percentiles(new double[0])
                .tags(Metrics.tags("cluster", c, "kind", k, "outcome", outcome)))
                .record(duration);
    }

    /**
     * Counts one cache lookup.
     *
     * @param outcome hit, miss, bypass or stale
     */
    public static void cache(String outcome) {
        Metrics.getOrCreate(Counter.builder("cloudpilot_cache_requests")
                .description("Cache lookups by outcome")
                .tags(Metrics.tags("outcome", outcome))).increment();
    }

    /**
     * Registers a cluster's circuit state gauge: 0 closed, 1 half-open, 2 open.
     *
     * @param cluster the cluster
     * @param state   reads the current state
     */
    public static void circuit(String cluster, Supplier<Integer> state) {
        Metrics.getOrCreate(Gauge.builder("cloudpilot_cluster_circuit_state", state)
                .description("Circuit breaker state per cluster: 0 closed, 1 half-open, 2 open")
                .tags(Metrics.tags("cluster", bounded("cluster", cluster))));
    }

    /**
     * Registers the process and build metrics, once, when the server starts: {@code process_cpu_seconds_total},
     * {@code process_start_time_seconds}, {@code process_open_fds}, {@code process_max_fds},
     * {@code process_resident_memory_bytes} (Linux) and {@code cloudpilot_build_info{version, java_version}} = 1.
     *
     * @param version CloudPilot's version
     */
    public static void registerProcess(String version) {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            Metrics.getOrCreate(FunctionalCounter.builder("process_cpu_seconds", sun,
                            b -> TimeUnit.NANOSECONDS.toSeconds(Math.max(0, b.getProcessCpuTime())))
                    .description("CPU time the process used, in whole seconds"));
        }
        long started = ManagementFactory.getRuntimeMXBean().getStartTime();
        Metrics.getOrCreate(Gauge.builder("process_start_time_seconds", () -> started / 1000.0)
                .description("When the process started, in seconds since the Unix epoch"));
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            Metrics.getOrCreate(Gauge.builder("process_open_fds", () -> (double) unix.getOpenFileDescriptorCount())
                    .description("File descriptors the process holds open"));
            Metrics.getOrCreate(Gauge.builder("process_max_fds", () -> (double) unix.getMaxFileDescriptorCount())
                    .description("File descriptors the process may hold open at most"));
        }
        Path status = Path.of("/proc/self/status");
        if (Files.isReadable(status)) {
            Metrics.getOrCreate(Gauge.builder("process_resident_memory_bytes", () -> residentBytes(status))
                    .description("Memory the process holds in RAM (resident set size), in bytes"));
        }
        Metrics.getOrCreate(Gauge.builder("cloudpilot_build_info", () -> 1)
                .description("CloudPilot's version and the Java runtime it runs on; always 1")
                .tags(Metrics.tags("version", version, "java_version", System.getProperty("java.version"))));
    }

    private static double residentBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024.0; // kB
                }
            }
        } catch (Exception e) {
            // gone or unreadable: report nothing sensible rather than fail the scrape
        }
        return Double.NaN;
    }

    private static String method(String method) {
        String m = method == null ? "" : method.toUpperCase(Locale.ROOT);
        return METHODS.contains(m) ? m : "other";
    }

    /** A value of a label whose values are not a fixed set: kept while the label has fewer than MAX_VALUES. */
    static String bounded(String label, String value) {
        Set<String> seen = SEEN.computeIfAbsent(label, l -> ConcurrentHashMap.newKeySet());
        if (seen.contains(value)) {
            return value;
        }
        synchronized (seen) {
            if (seen.size() < MAX_VALUES) {
                seen.add(value);
                return value;
            }
        }
        return "other";
    }
}
