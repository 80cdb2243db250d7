package io.cloudpilot.k8s.syntax;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading untyped objects: every field of the wrong shape reads as absent, never as an exception.
 */
class UntypedTest {

    private static final Map<String, Object> GATEWAY = Map.of(
            "metadata", Map.of("name", "public", "labels", new HashMap<>(Map.of("app", "edge"))),
            "spec", Map.of(
                    "selector", Map.of("istio", "ingressgateway"),
                    "servers", List.of(Map.of("port", Map.of("number", 443, "protocol", "https", "name", "tls"),
                            "hosts", Arrays.asList("shop.example.com", 7, "*.example.org")))),
            "status", "not a map");

    @Test
    void readsFieldsOfTheRightShape() {
        Map<String, Object> spec = Untyped.map(GATEWAY, "spec");
        Map<String, Object> port = Untyped.map(Untyped.list(spec, "servers").get(0), "port");
        assertThat(Untyped.integer(port, "number")).isEqualTo(443);
        assertThat(Untyped.string(port, "number")).isEqualTo("443");
        assertThat(Untyped.upperCase(port, "protocol")).isEqualTo("HTTPS");
        assertThat(Untyped.strings(Untyped.list(spec, "servers").get(0), "hosts"))
                .containsExactly("shop.example.com", "*.example.org");
        assertThat(Untyped.labels(spec, "selector")).containsExactly(Map.entry("istio", "ingressgateway"));
        assertThat(Untyped.at(GATEWAY, "metadata", "labels", "app")).isEqualTo("edge");
        assertThat(Untyped.has(GATEWAY, "spec")).isTrue();
    }

    @Test
    void aFieldOfAnotherShapeReadsAsAbsent() {
        assertThat(Untyped.map(GATEWAY, "status")).isEmpty();
        assertThat(Untyped.list(GATEWAY, "spec")).isEmpty();
        assertThat(Untyped.string(GATEWAY, "spec")).isNull();
        assertThat(Untyped.integer(Untyped.map(GATEWAY, "metadata"), "name")).isNull();
        assertThat(Untyped.at(GATEWAY, "status", "phase")).isNull();
        assertThat(Untyped.asMap("text")).isNull();
        assertThat(Untyped.asList(Map.of())).isNull();
        assertThat(Untyped.map(null, "spec")).isEmpty();
        assertThat(Untyped.has(GATEWAY, "missing")).isFalse();
    }
}
