package io.cloudpilot.platform.cluster;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.cloudpilot.spi.ApiException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The per-call deadline of {@link ClusterGuards}: a call past {@code cluster.call-timeout} ends as 503
 * {@code ClusterTimeout} and leaves its thread un-interrupted; a call that returned in time is never interrupted
 * later; and nothing keeps a call's answer alive once the caller has dropped it (with Helidon's {@code Timeout}, a
 * sleeping virtual thread held every answer for the whole call timeout: 6 copies of a 10,000-pod list, then an
 * out-of-memory error, docs/decisions/0014).
 */
class ClusterGuardsTest {

    private static ClusterGuards guards(Duration callTimeout) {
        return new ClusterGuards(new ClusterGuards.Settings(callTimeout, 4, 4, 6, 50, Duration.ofSeconds(10), 1));
    }

    @AfterEach
    void clean() {
        Thread.interrupted();
    }

    @Test
    void anAnswerIsNotKeptAliveAfterItsCall() throws Exception {
        ClusterGuards guards = guards(Duration.ofMinutes(10));
        WeakReference<Object> answer;
        // as in the server: the call runs on a virtual thread of a per-task executor, whose future keeps the answer
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            answer = new WeakReference<>(executor.submit(() -> guards.call("a", () -> new byte[8 << 20]))
                    .get(30, TimeUnit.SECONDS));
        }
        for (int i = 0; i < 50 && answer.get() != null; i++) {
            System.gc();
            Thread.sleep(100);
        }
        assertTrue(answer.get() == null, "the call's answer is still reachable after the call (its timeout is 10 min)");
    }

    @Test
    void aCallPastItsTimeoutIsAClusterTimeoutAndTheInterruptDoesNotLeak() {
        ClusterGuards guards = guards(Duration.ofMillis(200));
        long started = System.nanoTime();
        ApiException.ClusterTimeout e = assertThrows(ApiException.ClusterTimeout.class, () -> guards.call("slow", () -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException interrupted) {
                throw new IllegalStateException("interrupted", interrupted);
            }
            return "late";
        }));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertTrue(tookMillis < 10_000, "the call ended after " + tookMillis + " ms, not near its 200 ms bound");
        assertThat(e.getMessage()).as(e.getMessage()).contains("'slow' did not answer within 0.2 s");
        assertFalse(Thread.currentThread().isInterrupted(), "the deadline's interrupt outlives the call");
    }

    @Test
    void aCallThatReturnedInTimeIsNeverInterruptedLater() throws Exception {
        ClusterGuards guards = guards(Duration.ofMillis(100));
        assertNotNull(guards.call("quick", () -> "ok"));
        Thread.sleep(500); // well past the bound: a deadline left armed would interrupt this sleep
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
