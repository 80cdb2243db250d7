package io.cloudpilot.testkit;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serving a request leaves nothing behind on the heap. MicroProfile Fault Tolerance's {@code @Timeout} on the
 * resource classes (Helidon 4.2.0 and 4.3.0, helidon-io/helidon#12130) kept one Weld {@code CreationalContextImpl} (and the
 * dependent instances it holds) per request, forever; the platform's own request deadline replaced it
 * (docs/decisions/0013). Counts live instances with a class histogram (which runs a full GC first) before and after
 * a few thousand requests to a cached endpoint, in this JVM, where the server runs.
 */
class RequestLeakTest {

    private static final int REQUESTS = 3_000;
    /**
     * The classes that grew by one instance per request with {@code @Timeout} (measured: +3,000 each over 3,000
     * requests, with the request's headers, URI and streams they kept alive), and the timer task a request deadline
     * schedules (it must not outlive the request).
     */
    private static final List<String> LEAKING = List.of(
            "org.jboss.weld.contexts.CreationalContextImpl",
            "org.jboss.weld.contexts.SerializableContextualInstanceImpl",
            "org.jboss.weld.contexts.SerializableContextualFactory$SerializableContextualHolder",
            "io.helidon.http.ServerRequestHeadersImpl",
            "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask");
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

    private static CloudPilotTestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = CloudPilotTestServer.builder()
                .pluginDirs(PluginJars.helloPluginDirectory())
                .config("log.access", "false")
                .start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requestsLeaveNoInstancesBehind() throws Exception {
        // warm up: caches filled, lazy singletons created, Jersey's and Weld's own per-class state built
        for (int i = 0; i < 300; i++) {
            assertEquals(200, server.client().get("/hello/nodes").status());
        }
        Map<String, Long> before = liveInstances();
        for (int i = 0; i < REQUESTS; i++) {
            ApiResponse r = server.client().get("/hello/nodes");
            assertEquals(200, r.status(), r.toString());
        }
        Map<String, Long> after = liveInstances();

        StringBuilder report = new StringBuilder();
        after.entrySet().stream()
                .filter(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L) >= REQUESTS / 6)
                .forEach(e -> report.append("\n  ").append(e.getKey()).append(": +")
                        .append(e.getValue() - before.getOrDefault(e.getKey(), 0L)));
        System.out.println("RequestLeakTest: classes grown by >= " + REQUESTS / 6 + " over " + REQUESTS + " requests:"
                + report);
        for (String leaking : LEAKING) {
            long b = before.getOrDefault(leaking, 0L);
            long a = after.getOrDefault(leaking, 0L);
            System.out.println("RequestLeakTest: " + leaking + " " + b + " -> " + a);
            assertTrue(a - b < REQUESTS / 10, leaking + " grew from " + b + " to " + a + " live instances over "
                    + REQUESTS + " requests");
        }
    }

    /** @return live instances per class name, after a full GC (the histogram's own) */
    private static Map<String, Long> liveInstances() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        Map<String, Long> counts = new HashMap<>();
        Matcher m = ROW.matcher(histogram);
        while (m.find()) {
            counts.merge(m.group(3), Long.parseLong(m.group(1)), Long::sum);
        }
        assertTrue(counts.size() > 100, "histogram parsed: " + histogram.lines().limit(5).toList());
        return counts;
    }
}
