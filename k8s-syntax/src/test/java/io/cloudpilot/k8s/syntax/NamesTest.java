package io.cloudpilot.k8s.syntax;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Kubernetes' name rules (k8s.io/apimachinery/pkg/util/validation), each with names on both sides of its edge. */
class NamesTest {

    @Test
    void dns1123Labels() {
        assertThat("a".repeat(63)).matches(Names::isDns1123Label);
        assertThat(new String[] {"shop", "a", "0", "prod-eu-1", "1a"}).allMatch(Names::isDns1123Label);
        assertThat(new String[] {"", "a".repeat(64), "Shop", "-a", "a-", "a.b", "a_b", "caf\u00e9"})
                .noneMatch(Names::isDns1123Label);
        assertThat(Names.isDns1123Label(null)).isFalse();
    }

    @Test
    void dns1123Subdomains() {
        String label = "a".repeat(63);
        String longest = String.join(".", label, label, label, "a".repeat(61));
        assertThat(longest).hasSize(253).matches(Names::isDns1123Subdomain);
        assertThat(new String[] {"cart", "cart.shop", "istio-ingressgateway", "a.b-c.d"})
                .allMatch(Names::isDns1123Subdomain);
        assertThat(new String[] {"", longest + "a", "a..b", ".a", "a.", "A.b", "a_b"})
                .noneMatch(Names::isDns1123Subdomain);
    }

    @Test
    void labelKeys() {
        assertThat(Names.labelKeyProblem("app")).isEmpty();
        assertThat(Names.labelKeyProblem("app.kubernetes.io/name")).isEmpty();
        assertThat(Names.labelKeyProblem("Example_Key.1")).isEmpty();
        assertThat(Names.labelKeyProblem("a".repeat(63))).isEmpty();
        assertThat(Names.labelKeyProblem("a".repeat(64))).hasValueSatisfying(p -> assertThat(p).contains("63"));
        assertThat(Names.labelKeyProblem("_a")).isPresent();
        assertThat(Names.labelKeyProblem("a_")).isPresent();
        assertThat(Names.labelKeyProblem("")).hasValue("name part must be non-empty");
        assertThat(Names.labelKeyProblem("/a")).hasValue("prefix part must be non-empty");
        assertThat(Names.labelKeyProblem("UPPER.io/a")).hasValueSatisfying(p -> assertThat(p).startsWith("prefix"));
    }

    @Test
    void labelValues() {
        assertThat(Names.labelValueProblem("")).isEmpty();
        assertThat(Names.labelValueProblem("v1.2_3-B")).isEmpty();
        assertThat(Names.labelValueProblem("a".repeat(63))).isEmpty();
        assertThat(Names.labelValueProblem("a".repeat(64))).isPresent();
        assertThat(Names.labelValueProblem("a/b")).isPresent();
        assertThat(Names.labelValueProblem("-a")).isPresent();
        assertThat(Names.labelValueProblem("a b")).isPresent();
    }
}
