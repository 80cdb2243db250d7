package io.cloudpilot.plugin.toolkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A view is computed once per upstream answer (by identity) and variant, recomputed for a new answer even when it is
 * equal, and never kept beyond its bounds.
 */
class DerivedTest {

    @Test
    void computesOncePerSourceIdentityAndVariant() {
        Derived<String> views = new Derived<>(8, Duration.ofHours(1));
        AtomicInteger computed = new AtomicInteger();
        List<String> answer = new ArrayList<>(List.of("a", "b"));
        String first = views.get(List.of(answer), "asc", () -> "view" + computed.incrementAndGet());
        assertSame(first, views.get(List.of(answer), "asc", () -> "view" + computed.incrementAndGet()));
        assertEquals(1, computed.get());
        views.get(List.of(answer), "desc", () -> "view" + computed.incrementAndGet());
        assertEquals(2, computed.get(), "another variant is another view");
        List<String> equalButNew = new ArrayList<>(answer);
        views.get(List.of(equalButNew), "asc", () -> "view" + computed.incrementAndGet());
        assertEquals(3, computed.get(), "a new answer (a new object, even if equal) is a new view");
    }

    @Test
    void boundedInNumberAndAge() throws InterruptedException {
        Derived<Integer> views = new Derived<>(2, Duration.ofMillis(50));
        List<Object> a = new ArrayList<>();
        List<Object> b = new ArrayList<>();
        List<Object> c = new ArrayList<>();
        views.get(List.of(a), null, () -> 1);
        views.get(List.of(b), null, () -> 2);
        views.get(List.of(c), null, () -> 3);
        assertTrue(views.size() <= 2);
        AtomicInteger computed = new AtomicInteger();
        views.get(List.of(c), null, computed::incrementAndGet);
        Thread.sleep(80);
        views.get(List.of(c), null, computed::incrementAndGet);
        assertEquals(1, computed.get(), "recomputed once past its age");
    }

    @Test
    void aNewAnswerForTheSameVariantReplacesTheOldView() {
        // a view that refers to its sources (an analysis keeps its snapshot) must not keep an old answer alive
        // until the capacity pushes it out: 10k pods per forced read added up to GiBs (docs/performance.md)
        Derived<List<Object>> views = new Derived<>(16, Duration.ofHours(1));
        List<Object> first = new ArrayList<>(List.of("pods of the first read"));
        List<Object> second = new ArrayList<>(List.of("pods of a forced read"));
        views.get(List.of(first), List.of("cluster-a", "asc"), () -> List.of(first));
        views.get(List.of(second), List.of("cluster-a", "asc"), () -> List.of(second));
        assertEquals(1, views.size(), "the view of the first answer is gone");
        views.get(List.of(first), List.of("cluster-b", "asc"), () -> List.of(first));
        views.get(List.of(second), List.of("cluster-a", "desc"), () -> List.of(second));
        assertEquals(3, views.size(), "other slots keep their views");
        AtomicInteger computed = new AtomicInteger();
        views.get(List.of(second), List.of("cluster-a", "asc"), () -> {
            computed.incrementAndGet();
            return List.of();
        });
        assertEquals(0, computed.get(), "the current answer's view is still served");
    }

    @Test
    void nullSourcesAreAllowed() {
        Derived<String> views = new Derived<>(4, Duration.ofHours(1));
        AtomicInteger computed = new AtomicInteger();
        List<Object> sources = new ArrayList<>();
        sources.add(null);
        views.get(sources, "x", () -> "v" + computed.incrementAndGet());
        views.get(sources, "x", () -> "v" + computed.incrementAndGet());
        assertEquals(1, computed.get());
    }
}
