package io.cloudpilot.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.cloudpilot.sandbox.FaultProxy;
import io.cloudpilot.sandbox.FaultProxy.Fault;
import io.cloudpilot.sandbox.SandboxCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Server mode with two clusters: {@code flaky} is a sandbox behind a {@link FaultProxy}, {@code sandbox} is healthy.
 * For every way a cluster breaks (refuses connections, hangs, answers in 10 s, drops the connection mid-response,
 * answers 5xx from a load balancer, answers garbage, dies while a request is in flight), a read of {@code flaky}
 * is 503 {@code ClusterUnavailable} or {@code ClusterTimeout} within the configured bound, repeated failures open
 * its circuit (fast 503, no upstream call), the circuit closes again once the fault clears, and {@code sandbox}
 * answers correctly throughout.
 */
@CloudPilotTest(mode = "server")
class ClusterFaultsTest {

    /** cluster.call-timeout: the bound on one guarded read. */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    /** What the bound may overrun by on a busy 2-core machine (thread scheduling, GC, the test client). */
    private static final Duration SLACK = Duration.ofSeconds(2);
    private static final Duration CIRCUIT_DELAY = Duration.ofSeconds(2);

    private static CloudPilotTestServer server;
    private static SandboxCluster flakyCluster;
    private static FaultProxy proxy;

    @CloudPilotTest.Setup
    static void server(CloudPilotTestServer.Builder server) throws Exception {
        server.config("cache.stale-max-age", "PT0S")
                .config("cluster.retries", "0")
                .config("cluster.connect-timeout", "PT1S")
                .config("cluster.request-timeout", "PT2S")
                .config("cluster.circuit.volume", "4")
                .config("cluster.circuit.error-ratio", "50")
                .config("cloudpilot.request-timeout", "PT8S")
                .pluginDirs(PluginJars.helloPluginDirectory())
                .config("cluster.call-timeout", "PT" + CALL_TIMEOUT.toSeconds() + "S")
                .config("cluster.circuit.delay", "PT" + CIRCUIT_DELAY.toSeconds() + "S");
    }

    @BeforeAll
    static void start() throws Exception {
        flakyCluster = SandboxCluster.start();
        proxy = FaultProxy.start(flakyCluster);
        server.registerCluster("flaky", proxy.writeKubeconfig(server.dataDir().resolve("flaky-kubeconfig.yaml")));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (flakyCluster != null) {
            flakyCluster.close();
        }
    }

    @AfterEach
    void heal() throws Exception {
        proxy.set(Fault.NONE);
        flakyCluster.setLatency(Duration.ZERO);
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (nodes("flaky").status() != 200) {
            assertTrue(System.nanoTime() < deadline, "flaky recovers after the fault clears");
            Thread.sleep(200);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Fault.class, names = {"REFUSE", "HANG", "SLOW", "DROP_MID_RESPONSE", "SERVER_ERROR", "GARBAGE"})
    void faultyClusterIs503WithinTheBoundOpensItsCircuitAndRecovers(Fault fault) throws Exception {
        assertEquals(200, nodes("flaky").status(), "healthy before the fault");
        proxy.delay(Duration.ofSeconds(10));
        proxy.set(fault);

        // one read while the fault is on: 503 within the bound, the other cluster unaffected meanwhile
        CompletableFuture<Timed> first = CompletableFuture.supplyAsync(() -> timed("flaky"));
        for (int i = 0; i < 3; i++) {
            assertHealthy();
        }
        Timed firstFailure = first.get();
        System.out.printf("fault %s: HTTP %d %s after %d ms: %s%n", fault, firstFailure.response().status(),
                firstFailure.response().errorType(), firstFailure.millis(), firstFailure.response().message());
        assertUnavailableWithinBound(firstFailure, fault);
        if (fault == Fault.GARBAGE) {
            assertThat(firstFailure.response().message()).as("says what is wrong: " + firstFailure.response().message()).contains("not a Kubernetes API response");
        }

        // more failures open the circuit: then 503 at once, and the cluster is not called
        openCircuit(fault);
        long seen = proxy.requestCount();
        Timed open = timed("flaky");
        assertEquals(503, open.response().status(), open.response().toString());
        assertThat(open.response().message()).as(open.response().message()).contains("circuit open");
        assertTrue(open.millis() < 1000, fault + ": an open circuit fails fast, took " + open.millis() + " ms");
        assertEquals(seen, proxy.requestCount(), fault + ": an open circuit makes no call to the cluster");
        assertHealthy();

        // the fault clears: after the circuit's delay a probe goes through and closes it
        proxy.set(Fault.NONE);
        Thread.sleep(CIRCUIT_DELAY.toMillis() + 300);
        ApiResponse probe = nodes("flaky");
        assertEquals(200, probe.status(), fault + ": the probe after the fault succeeds: " + probe);
        assertEquals(4, probe.data().path("nodes").asInt());
        assertEquals(200, nodes("flaky").status(), "circuit closed again");
    }

    @Test
    void slowButInTimeIsAnAnswer() {
        proxy.delay(Duration.ofMillis(700));
        proxy.set(Fault.SLOW);
        Timed slow = timed("flaky");
        assertEquals(200, slow.response().status(), slow.response().toString());
        assertTrue(slow.millis() >= 700, "held for the delay: " + slow.millis() + " ms");
    }

    @Test
    void clusterDyingMidRequestIs503AtOnce() throws Exception {
        flakyCluster.setLatency(Duration.ofSeconds(5)); // the request is in flight, the answer not sent yet
        long before = proxy.requestCount();
        CompletableFuture<Timed> inFlight = CompletableFuture.supplyAsync(() -> timed("flaky"));
        // the cluster dies once the read has reached it: a fixed pause raced the read on a busy machine
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (proxy.requestCount() == before && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proxy.requestCount()).as("the read reached the cluster").isGreaterThan(before);
        Thread.sleep(200); // and is waiting for its answer
        long died = System.nanoTime();
        proxy.set(Fault.REFUSE); // the API server dies: its connections are reset, the port refuses
        Timed t = inFlight.get();
        long afterDeath = (System.nanoTime() - died) / 1_000_000;
        assertEquals(503, t.response().status(), t.response().toString());
        assertEquals("ClusterUnavailable", t.response().errorType(), t.response().toString());
        assertTrue(afterDeath < SLACK.toMillis(), "answered " + afterDeath + " ms after the cluster died");
        assertHealthy();
    }

    @Test
    void aHangingClusterDoesNotHoldTheOthersThreads() throws Exception {
        proxy.set(Fault.HANG);
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            List<Future<Timed>> hung = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                hung.add(pool.submit(() -> timed("flaky")));
            }
            Thread.sleep(300);
            for (int i = 0; i < 5; i++) {
                assertHealthy();
            }
            for (Future<Timed> f : hung) {
                assertUnavailableWithinBound(f.get(), Fault.HANG);
            }
        }
    }

    private record Timed(ApiResponse response, long millis) {
    }

    private static Timed timed(String cluster) {
        long start = System.nanoTime();
        ApiResponse r = nodes(cluster);
        return new Timed(r, (System.nanoTime() - start) / 1_000_000);
    }

    private static ApiResponse nodes(String cluster) {
        return server.client().get("/hello/nodes?cluster_name=" + cluster + "&force_refresh=true");
    }

    private static void assertHealthy() {
        ApiResponse healthy = nodes("sandbox");
        assertEquals(200, healthy.status(), "the healthy cluster answers: " + healthy);
        assertEquals(4, healthy.data().path("nodes").asInt(), healthy.toString());
    }

    private static void assertUnavailableWithinBound(Timed t, Fault fault) {
        ApiResponse r = t.response();
        assertEquals(503, r.status(), fault + ": " + r);
        assertThat(List.of("ClusterUnavailable", "ClusterTimeout")).as(fault + ": " + r).contains(r.errorType());
        assertThat(r.message()).as("the message names the cluster: " + r.message()).contains("'flaky'");
        long bound = CALL_TIMEOUT.plus(SLACK).toMillis();
        assertTrue(t.millis() < bound, fault + ": 503 after " + t.millis() + " ms, bound " + bound + " ms");
    }

    private static void openCircuit(Fault fault) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            for (int round = 0; round < 5; round++) {
                List<Future<Timed>> calls = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    calls.add(pool.submit(() -> timed("flaky")));
                }
                boolean open = false;
                for (Future<Timed> f : calls) {
                    Timed t = f.get();
                    assertUnavailableWithinBound(t, fault);
                    open |= t.response().message().contains("circuit open");
                }
                if (open) {
                    return;
                }
            }
        }
        throw new AssertionError(fault + ": the circuit did not open after 20 failed calls");
    }
}
