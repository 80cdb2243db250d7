package io.cloudpilot.testkit;

import java.time.Duration;
import java.util.function.Supplier;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Polls a condition that a cluster makes true eventually (a real one's controllers; Kubernetes deletes pods
 * gracefully, not at once), and retries writes that raced with them.
 */
public final class Wait {

    private Wait() {
    }

    /**
     * @param what  said in the failure
     * @param bound how long to wait at most
     * @param check the condition; exceptions count as "not yet"
     * @param state what to show in the failure (the last observed state)
     */
    public static void until(String what, Duration bound, Supplier<Boolean> check, Supplier<Object> state) {
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

    /**
     * Runs a read-modify-write (fabric8's {@code edit}/{@code editStatus}) again when the API server answers 409
     * Conflict: the controllers and the scheduler update the same objects (a node's annotations, a pod's conditions)
     * between our read and our write, as they do a kubelet's.
     *
     * @param what  said in the failure
     * @param write the write
     */
    public static void retryingConflicts(String what, Runnable write) {
        for (int attempt = 1; ; attempt++) {
            try {
                write.run();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw new AssertionError(what + " failed after " + attempt + " attempt(s)", e);
                }
            }
        }
    }
}
