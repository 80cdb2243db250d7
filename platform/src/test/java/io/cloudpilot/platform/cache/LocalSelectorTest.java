package io.cloudpilot.platform.cache;

import java.util.Map;
import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Selectors evaluated on watched objects answer as the API server would, and what cannot be evaluated here is
 * refused (the read then goes to the cluster).
 */
class LocalSelectorTest {

    private static final Pod POD = new PodBuilder().withNewMetadata().withName("cart-1").withNamespace("shop")
            .withLabels(Map.of("app", "cart", "version", "v1")).endMetadata().build();

    private static boolean matches(String labels, String fields) {
        Predicate<HasMetadata> p = LocalSelector.of(labels, fields).orElseThrow();
        return p.test(POD);
    }

    @Test
    void labelSelectors() {
        assertTrue(matches("", ""));
        assertTrue(matches("app=cart", ""));
        assertTrue(matches("app==cart,version=v1", ""));
        assertFalse(matches("app=cart,version=v2", ""));
        assertTrue(matches("app!=frontend", ""));
        assertTrue(matches("version in (v1, v2)", ""));
        assertFalse(matches("version notin (v1,v2)", ""));
        assertTrue(matches("app,!canary", ""));
        assertFalse(matches("canary", ""));
    }

    @Test
    void fieldSelectorsOnNameAndNamespace() {
        assertTrue(matches("", "metadata.name=cart-1"));
        assertTrue(matches("app=cart", "metadata.namespace=shop,metadata.name!=cart-2"));
        assertFalse(matches("", "metadata.namespace=payments"));
    }

    @Test
    void whatCannotBeEvaluatedHereIsRefused() {
        assertTrue(LocalSelector.of("", "spec.nodeName=worker-1").isEmpty());
        assertTrue(LocalSelector.of("", "status.phase=Running").isEmpty());
    }
}
