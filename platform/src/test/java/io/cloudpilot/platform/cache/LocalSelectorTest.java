package io.cloudpilot.platform.cache;

import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selectors evaluated on watched objects answer as the API server would, and what cannot be evaluated here is
 * refused (the read then goes to the cluster). The grammar itself is specified by the k8s-syntax module's tests.
 */
class LocalSelectorTest {

    private static final Pod POD = new PodBuilder().withNewMetadata().withName("cart-1").withNamespace("shop")
            .withLabels(Map.of("app", "cart", "version", "v1")).endMetadata().build();

    private static boolean matches(String labels, String fields) {
        return LocalSelector.of(labels, fields).orElseThrow().test(POD);
    }

    @Test
    void labelSelectors() {
        assertThat(matches("", "")).isTrue();
        assertThat(matches("app=cart", "")).isTrue();
        assertThat(matches("app==cart,version=v1", "")).isTrue();
        assertThat(matches("app=cart,version=v2", "")).isFalse();
        assertThat(matches("app!=frontend", "")).isTrue();
        assertThat(matches("version in (v1, v2)", "")).isTrue();
        assertThat(matches("env in(a,b)", "")).isFalse();
        assertThat(matches("version notin (v1,v2)", "")).isFalse();
        assertThat(matches("app,!canary", "")).isTrue();
        assertThat(matches("canary", "")).isFalse();
    }

    @Test
    void anObjectWithoutLabels() {
        HasMetadata bare = new PodBuilder().withNewMetadata().withName("bare").withNamespace("shop").endMetadata()
                .build();
        assertThat(LocalSelector.of("canary notin (true)", "").orElseThrow().test(bare)).isTrue();
        assertThat(LocalSelector.of("app", "").orElseThrow().test(bare)).isFalse();
    }

    @Test
    void fieldSelectorsOnNameAndNamespace() {
        assertThat(matches("", "metadata.name=cart-1")).isTrue();
        assertThat(matches("app=cart", "metadata.namespace=shop,metadata.name!=cart-2")).isTrue();
        assertThat(matches("", "metadata.namespace=payments")).isFalse();
    }

    @Test
    void whatCannotBeEvaluatedHereIsRefused() {
        assertThat(LocalSelector.of("", "metadata.name=cart-1")).isPresent();
        assertThat(LocalSelector.of("", "spec.nodeName=worker-1")).isEmpty();
        assertThat(LocalSelector.of("", "status.phase=Running")).isEmpty();
        assertThat(LocalSelector.of("", "metadata.name = cart-1")).as("the API server refuses the field 'metadata.name '")
                .isEmpty();
        assertThat(LocalSelector.of("app in (a", "")).as("left to the API server's own 400").isEmpty();
    }
}
