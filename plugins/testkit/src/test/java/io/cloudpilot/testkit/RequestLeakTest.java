package io.cloudpilot.testkit;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Serving a request leaves nothing behind on the heap. MicroProfile Fault Tolerance's {@code @Timeout} on the
 * resource classes (Helidon 4.2.0 and 4.3.0, helidon-io/helidon#12130) kept one Weld {@code CreationalContextImpl} (and the
 * dependent instances it holds) per request, forever; the platform's own request deadline replaced it
 * (docs/decisions/0013). Counts live instances with a class histogram (which runs a full GC first) before and after
 * a few thousand requests to a cached endpoint, in this JVM, where the server runs, after a first batch of as many
 * requests has filled what is bounded: no class may grow with the second batch but the control's, which keeps one
 * object per request as a leak would.
 */
@CloudPilotTest(config = "log.access=false")
class RequestLeakTest {

    private static final int REQUESTS = 3_000;
    /**
     * The classes that grew by one instance per request with {@code @Timeout} (measured: +3,000 each over 3,000
     * requests, with the request's headers, URI and streams they kept alive), and the timer task a request deadline
     * schedules (it must not outlive the request): printed, the assertion is on every class.
     */
    private static final List<String> LEAKING = List.of(
            "org.jboss.weld.contexts.CreationalContextImpl",
            "org.jboss.weld.contexts.SerializableContextualInstanceImpl",
            "org.jboss.weld.contexts.SerializableContextualFactory$SerializableContextualHolder",
            "io.helidon.http.ServerRequestHeadersImpl",
            "java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask");
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)", Pattern.MULTILINE);

    private static CloudPilotTestServer server;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) throws Exception {
        server.pluginDirs(PluginJars.helloPluginDirectory());
    }

    @Test
    void requestsLeaveNoInstancesBehind() throws Exception {
        // warm up: caches filled, lazy singletons created, Jersey's and Weld's own per-class state built
        for (int i = 0; i < 300; i++) {
            assertEquals(200, server.client().get("/hello/nodes").status());
        }
        // a first batch fills what is bounded (memos, caches of names and strings) to its size
        requests(REQUESTS, null);
        // kept as the histogram's text (one string) and parsed after the second one: a parsed map would itself be
        // thousands of live strings and map nodes in the second histogram
        String first = histogram();
        // the measured batch; the control keeps one object per request, as a leak would
        List<Retained> control = new ArrayList<>();
        requests(REQUESTS, control);
        String second = histogram();
        Map<String, Long> before = liveInstances(first);
        Map<String, Long> after = liveInstances(second);

        Map<String, Long> grown = new TreeMap<>();
        after.forEach((name, count) -> {
            long growth = count - before.getOrDefault(name, 0L);
            if (growth >= REQUESTS / 10) {
                grown.put(name, growth);
            }
        });
        System.out.println("RequestLeakTest: classes grown by >= " + REQUESTS / 10 + " over the second " + REQUESTS
                + " requests: " + grown);
        for (String leaking : LEAKING) {
            System.out.println("RequestLeakTest: " + leaking + " " + before.getOrDefault(leaking, 0L) + " -> "
                    + after.getOrDefault(leaking, 0L));
        }
        assertEquals(REQUESTS, control.size());
        assertEquals(Map.of(Retained.class.getName(), (long) REQUESTS), grown,
                "only the control's objects grow with the requests (a leak grows with every batch)");
    }

    /** One object kept per request by the control: what a leak looks like to the histogram. */
    private record Retained(int request) {
    }

    private static void requests(int n, List<Retained> retain) {
        for (int i = 0; i < n; i++) {
            ApiResponse r = server.client().get("/hello/nodes");
            assertEquals(200, r.status(), r.toString());
            if (retain != null) {
                retain.add(new Retained(i));
            }
        }
    }

    /** @return the class histogram of this JVM's live objects, after a full GC (the histogram's own) */
    private static String histogram() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
    }

    /** @return live instances per class name in a histogram */
    private static Map<String, Long> liveInstances(String histogram) {
        Map<String, Long> counts = new HashMap<>();
        Matcher m = ROW.matcher(histogram);
        while (m.find()) {
            counts.merge(m.group(3), Long.parseLong(m.group(1)), Long::sum);
        }
        assertTrue(counts.size() > 100, "histogram parsed: " + histogram.lines().limit(5).toList());
        return counts;
    }
}
