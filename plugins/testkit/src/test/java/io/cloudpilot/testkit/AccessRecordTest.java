package io.cloudpilot.testkit;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.cloudpilot.platform.logging.StructuredRecord;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access log's fields as a server with API tokens writes them: the route template, the raw path and query, the
 * caller's token name (never the token), the cluster the request read, and the request id the answer carries back.
 */
class AccessRecordTest {

    private static final String TOKEN = "access-record-token-" + System.nanoTime();

    private static CloudPilotTestServer server;
    private static final List<LogRecord> RECORDS = new CopyOnWriteArrayList<>();
    private static final Handler HANDLER = new Handler() {
        @Override
        public void publish(LogRecord record) {
            RECORDS.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        Logger.getLogger("io.cloudpilot.access").addHandler(HANDLER);
        server = CloudPilotTestServer.builder().pluginDirs(PluginJars.helloPluginDirectory())
                .token("dashboard", "viewer", TOKEN).start();
    }

    @AfterAll
    static void stop() {
        Logger.getLogger("io.cloudpilot.access").removeHandler(HANDLER);
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, Object> fieldsOf(String requestId) throws InterruptedException {
        for (int i = 0; i < 50; i++) { // written once the answer is sent, maybe just after the client saw it
            for (LogRecord r : RECORDS) {
                if (r instanceof StructuredRecord s && requestId.equals(s.fields().get("request_id"))) {
                    return s.fields();
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no access record with request id " + requestId + " in " + RECORDS.size());
    }

    @Test
    void recordsTheRouteTheCallerTheClusterAndTheId() throws Exception {
        ApiResponse r = server.client().withToken(TOKEN).send(HttpRequest.newBuilder(
                server.client().uri("/hello/nodes?force_refresh=true")).header("X-Request-Id", "dash-42").GET());
        assertEquals(200, r.status(), r.toString());
        assertEquals("dash-42", r.header("X-Request-Id").orElseThrow());
        Map<String, Object> f = fieldsOf("dash-42");
        assertEquals("GET", f.get("method"));
        assertEquals("/hello/nodes", f.get("route"));
        assertEquals("/hello/nodes", f.get("path"));
        assertEquals("force_refresh=true", f.get("query"));
        assertEquals(200, f.get("status"));
        assertTrue(((Number) f.get("bytes")).longValue() > 0, f.toString());
        assertTrue(f.get("duration_ms") instanceof Long, f.toString());
        assertEquals("token:dashboard", f.get("principal"), "the caller as the audit log names it: the token's name");
        assertEquals("sandbox", f.get("cluster"), "the cluster it read");
        assertTrue(RECORDS.stream().noneMatch(x -> String.valueOf(x.getMessage()).contains(TOKEN)), "never the token");
    }

    @Test
    void aRefusedRequestHasAnIdAndNoCaller() throws Exception {
        ApiResponse r = server.client().get("/hello/nodes");
        assertEquals(401, r.status(), r.toString());
        String id = r.header("X-Request-Id").orElseThrow();
        Map<String, Object> f = fieldsOf(id);
        assertEquals(401, f.get("status"));
        assertNull(f.get("principal"));
        assertNull(f.get("cluster"));
        assertEquals("/hello/nodes", f.get("path"));
    }
}
