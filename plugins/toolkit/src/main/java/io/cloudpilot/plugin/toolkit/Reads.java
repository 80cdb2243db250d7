package io.cloudpilot.plugin.toolkit;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import io.cloudpilot.spi.ApiException;

/**
 * Waiting for cluster reads run concurrently: the one rule for what a failed read means to the answer. A wait the
 * request's deadline interrupts is 503 {@code ClusterTimeout}.
 */
public final class Reads {

    private Reads() {
    }

    /**
     * Waits for a read the answer cannot do without.
     *
     * @param read the read
     * @param <T>  its value
     * @return its value
     * @throws ApiException as the read threw it; anything else is a bug, {@code InternalError}
     */
    public static <T> T await(Future<T> read) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            throw asApiException(e.getCause());
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * Waits for a read the answer can do without: an unreachable cluster still fails the answer (503, never an
     * empty one), but a list the cluster refuses or fails to serve (e.g. its RBAC forbids it) is reported to
     * {@code refused} and counts as absent.
     *
     * @param read    the read
     * @param refused told why the read is missing
     * @param <T>     its value
     * @return its value, or null when refused
     * @throws ApiException.ClusterUnavailable or {@link ApiException.ClusterTimeout} when the cluster is unreachable
     */
    public static <T> T awaitOrNull(Future<T> read, Consumer<ApiException> refused) {
        try {
            return read.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ApiException.ClusterUnavailable || cause instanceof ApiException.ClusterTimeout) {
                throw (ApiException) cause;
            }
            if (cause instanceof ApiException api) {
                refused.accept(api);
                return null;
            }
            throw asApiException(cause);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /**
     * The request's thread was interrupted while it waited: the platform's request deadline
     * ({@code cloudpilot.request-timeout}) passed, and the answer is 503 {@code ClusterTimeout}. The read itself is left
     * to finish under its own call timeout: it may be a load other requests share.
     */
    private static ApiException interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new ApiException.ClusterTimeout("The request's time ran out while it waited for the cluster.", e);
    }

    private static ApiException asApiException(Throwable cause) {
        return cause instanceof ApiException api ? api
                : new ApiException.InternalError("Reading the cluster failed unexpectedly.", cause);
    }
}
