package io.cloudpilot.plugin.toolkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.cloudpilot.spi.ApiException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ReadsTest {

    private static <T> CompletableFuture<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }

    @Test
    void awaitPassesClusterErrorsAndTurnsBugsIntoInternalError() {
        assertEquals("x", Reads.await(CompletableFuture.completedFuture("x")));
        var forbidden = new ApiException.Forbidden("rbac", null);
        assertSame(forbidden, assertThrows(ApiException.Forbidden.class, () -> Reads.await(failed(forbidden))));
        assertThrows(ApiException.InternalError.class, () -> Reads.await(failed(new IllegalStateException("bug"))));
    }

    @Test
    void awaitOrNullNotesRefusalsButNeverHidesAnOutage() {
        List<String> missing = new ArrayList<>();
        assertNull(Reads.awaitOrNull(failed(new ApiException.Forbidden("rbac", null)), e -> missing.add(e.errorType())));
        assertEquals(List.of("Forbidden"), missing);
        assertThrows(ApiException.ClusterUnavailable.class, () -> Reads.awaitOrNull(
                failed(new ApiException.ClusterUnavailable("down", null)), e -> missing.add("no")));
        assertThrows(ApiException.ClusterTimeout.class, () -> Reads.awaitOrNull(
                failed(new ApiException.ClusterTimeout("slow", null)), e -> missing.add("no")));
        assertEquals(List.of("Forbidden"), missing);
    }
}
