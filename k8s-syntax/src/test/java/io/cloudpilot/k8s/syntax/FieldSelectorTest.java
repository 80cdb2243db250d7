package io.cloudpilot.k8s.syntax;

import java.util.Map;

import io.cloudpilot.k8s.syntax.FieldSelector.Term;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The field selector grammar of Kubernetes' k8s.io/apimachinery/pkg/fields (selector.go): terms split at unescaped
 * commas, each at its first operator, values unescaped; nothing trimmed.
 */
class FieldSelectorTest {

    @Test
    void termsSplitAtTheFirstOperator() {
        assertThat(FieldSelector.parse("status.phase=Running,spec.nodeName!=worker-3,metadata.name==cart-1").terms())
                .containsExactly(new Term("status.phase", false, "Running"), new Term("spec.nodeName", true, "worker-3"),
                        new Term("metadata.name", false, "cart-1"));
        assertThat(FieldSelector.parse("a=").terms()).containsExactly(new Term("a", false, ""));
        assertThat(FieldSelector.parse("=b").terms()).containsExactly(new Term("", false, "b"));
        assertThat(FieldSelector.parse("a!=").terms()).containsExactly(new Term("a", true, ""));
    }

    @Test
    void emptyTermsAreIgnoredAndNothingIsTrimmed() {
        assertThat(FieldSelector.parse(null).isEmpty()).isTrue();
        assertThat(FieldSelector.parse("").isEmpty()).isTrue();
        assertThat(FieldSelector.parse(",,").isEmpty()).isTrue();
        assertThat(FieldSelector.parse(",a=b,").terms()).containsExactly(new Term("a", false, "b"));
        Term spaced = FieldSelector.parse("status.phase = Running").terms().getFirst();
        assertThat(spaced).isEqualTo(new Term("status.phase ", false, " Running"));
        assertThat(spaced.isFieldPath()).as("a field label never has blanks").isFalse();
        assertThat(new Term("involvedObject.uid", false, "x").isFieldPath()).isTrue();
        assertThat(new Term("", false, "x").isFieldPath()).isFalse();
        assertThat(new Term("a..b", false, "x").isFieldPath()).isFalse();
    }

    @Test
    void valuesAreUnescaped() {
        assertThat(FieldSelector.parse("a=x\\,y\\=z\\\\w").terms()).containsExactly(new Term("a", false, "x,y=z\\w"));
        assertThat(FieldSelector.parse("a=x\\,y,b=c").terms()).hasSize(2);
        assertThat(FieldSelector.parse("a=x\\,y").toString()).isEqualTo("a=x\\,y");
    }

    @ParameterizedTest(name = "[{0}] is refused: {1}")
    @CsvSource(delimiterString = " | ", value = {
        "status.phase | can't understand 'status.phase'",
        "a=b,c | can't understand 'c'",
        "a==b==c | unescaped character in value: =",
        "a!==b | unescaped character in value: =",
        "a=b\\ | invalid escape sequence: \\",
        "a=b\\n | invalid escape sequence: \\n",
    })
    void refusesWhatKubernetesRefuses(String selector, String reason) {
        assertThatThrownBy(() -> FieldSelector.parse(selector)).isInstanceOf(SelectorSyntaxException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void matchesAbsentFieldsAsEmpty() {
        Map<String, String> pod = Map.of("status.phase", "Running", "spec.nodeName", "worker-1");
        assertThat(FieldSelector.parse("status.phase=Running,spec.nodeName!=worker-2").matches(pod::get)).isTrue();
        assertThat(FieldSelector.parse("status.phase=Pending").matches(pod::get)).isFalse();
        assertThat(FieldSelector.parse("spec.nodeName!=worker-1").matches(pod::get)).isFalse();
        assertThat(FieldSelector.parse("status.podIP=").matches(pod::get)).isTrue();
        assertThat(FieldSelector.parse("status.podIP!=").matches(pod::get)).isFalse();
        assertThat(FieldSelector.everything().matches(pod::get)).isTrue();
    }
}
