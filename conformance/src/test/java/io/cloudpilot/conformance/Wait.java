package io.cloudpilot.conformance;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition that the real controllers make true eventually. */
final class Wait {

    private Wait() {
    }

    /**
     * @param what  said in the failure
     * @param bound how long to wait at most
     * @param check the condition; exceptions count as "not yet"
     * @param state what to show in the failure (the last observed state)
     */
    static void until(String what, Duration bound, Supplier<Boolean> check, Supplier<Object> state) {
        long deadline = System.nanoTime() + bound.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(check.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting until " + what, e);
            }
        }
        Object observed;
        try {
            observed = state.get();
        } catch (RuntimeException e) {
            observed = e.toString();
        }
        throw new AssertionError("timed out after " + bound.toSeconds() + " s waiting until " + what
                + "; last state: " + observed + (last == null ? "" : "; last error: " + last));
    }
}
