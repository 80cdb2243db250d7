package io.cloudpilot.plugin.toolkit;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.Severity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ToolkitTest {

    private static final Map<String, Function<String, ? extends Comparable<?>>> KEYS = Map.of(
            "name", s -> s, "length", String::length);

    @Test
    void pagesAndSorts() {
        List<String> items = List.of("delta", "alpha", "charlie", "bravo", "echo");
        var q = ListQuery.of(null, null, null, 2, 2, null, null);
        var page = q.apply(items, KEYS, "name");
        assertEquals(List.of("charlie", "delta"), page.items());
        assertEquals(5, page.total());
        assertEquals(2, page.count());
        var desc = ListQuery.of(null, null, null, 1, 10, "length", "desc").apply(items, KEYS, "name");
        assertEquals("charlie", desc.items().getFirst());
        var beyond = ListQuery.of(null, null, null, 9, 10, null, null).apply(items, KEYS, "name");
        assertEquals(0, beyond.count());
        assertEquals(5, beyond.total());
        var bad = assertThrows(ApiException.ValidationError.class,
                () -> ListQuery.of(null, null, null, 1, 10, "color", null).apply(items, KEYS, "name"));
        assertThat(bad.getMessage()).as(bad.getMessage()).contains("sort_by", "length");
    }

    @Test
    void validatesSelectorsWithKubernetesGrammar() {
        Selectors.validateLabelSelector("app=web,tier!=db,env in (prod, staging),!canary,release");
        Selectors.validateLabelSelector("env in(a,b)");
        Selectors.validateLabelSelector("app.kubernetes.io/name=istiod");
        Selectors.validateFieldSelector("status.phase=Running,spec.nodeName!=worker-3");
        for (String bad : List.of("=web", "app in prod", "a b", "app=(x)", "app=web,,x=y", "-app")) {
            assertThatThrownBy(() -> Selectors.validateLabelSelector(bad), bad)
                    .isInstanceOf(ApiException.ValidationError.class)
                    .hasMessageStartingWith("Query parameter 'label_selector' is not a valid label selector");
        }
        for (String bad : List.of("status.phase", "=Running", "a=b=c", "status phase=x", "status.phase = Running")) {
            assertThatThrownBy(() -> Selectors.validateFieldSelector(bad), bad)
                    .isInstanceOf(ApiException.ValidationError.class)
                    .hasMessageStartingWith("Query parameter 'field_selector' is not a valid field selector");
        }
        assertThatThrownBy(() -> Selectors.validateLabelSelector("env in (prod staging)")).hasMessage(
                "Query parameter 'label_selector' is not a valid label selector at 'staging': expected ',' or ')'. "
                        + "Use key=value, key!=value, key, !key, key in (a,b) or key notin (a,b), joined by commas.");
        Selectors.validateLabelSelector("app="); // an empty value is a value
        assertThatThrownBy(() -> Selectors.validateLabelSelector("a=b," + "c".repeat(Selectors.MAX_LENGTH)))
                .hasMessage("Query parameter 'label_selector' is longer than 4096 characters.");
    }

    @Test
    void agesLikeKubectl() {
        assertEquals("45s", Ages.format(Duration.ofSeconds(45)));
        assertEquals("12m", Ages.format(Duration.ofMinutes(12)));
        assertEquals("5h", Ages.format(Duration.ofHours(5)));
        assertEquals("3d", Ages.format(Duration.ofDays(3)));
        assertEquals("0s", Ages.format(Duration.ofSeconds(-30)), "clock skew is not a negative age");
        Instant now = Instant.parse("2024-01-15T10:30:00Z");
        assertEquals("2d", Ages.format("2024-01-13T09:00:00Z", now));
        assertEquals(null, Ages.format(null, now));
    }

    @Test
    void healthAddsUpFindings() {
        var h = Health.of(List.of(
                new Health.Finding("NoResourceLimits", Severity.WARNING, "no limits", 10),
                new Health.Finding("NodeNotReady", Severity.CRITICAL, "not ready", 50)));
        assertEquals(40, h.score());
        assertEquals("critical", h.status());
        assertEquals("NodeNotReady", h.findings().getFirst().code());
        assertEquals("healthy", Health.of(List.of()).status());
        assertEquals(0, Health.of(List.of(new Health.Finding("X", Severity.WARNING, "x", 150))).score());
    }
}
