package io.cloudpilot.k8s.syntax;

import java.util.List;
import java.util.Map;

import io.cloudpilot.k8s.syntax.LabelSelector.Operator;
import io.cloudpilot.k8s.syntax.LabelSelector.Requirement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The label selector grammar and meaning of Kubernetes' k8s.io/apimachinery/pkg/labels (selector.go, its lexer
 * and its parser): what is accepted and how it is read back, what is refused and why, and which labels match.
 * The cases are written from that grammar, not copied from its tests.
 */
class LabelSelectorTest {

    /** Accepted selectors and their canonical form: requirements by key, values sorted and distinct. */
    @ParameterizedTest(name = "[{0}] reads as [{1}]")
    @CsvSource(delimiterString = " | ", quoteCharacter = '"', value = {
        "\"\" | \"\"",
        "\"   \" | \"\"",
        "app=cart | app=cart",
        "app==cart | app==cart",
        "app!=cart | app!=cart",
        "app = cart , tier != db | app=cart,tier!=db",
        "x= | x=",
        "\"x= ,z= \" | x=,z=",
        "!canary | !canary",
        "\" ! canary\" | !canary",
        "release | release",
        "\"release \" | release",
        "x>1 | x>1",
        "x>1,z<5 | x>1,z<5",
        "z=c,x=a,y=b | x=a,y=b,z=c",
        "env in (prod,staging) | env in (prod,staging)",
        "env in(staging, prod, prod) | env in (prod,staging)",
        "env notin ( prod ) | env notin (prod)",
        "x in () | x in ()",
        "x notin ( ) | x notin ()",
        "x in (a,) | x in (,a)",
        "x in (,a) | x in (,a)",
        "x in (a,,b) | x in (,a,b)",
        "a in (x,y,notin, z,in) | a in (in,notin,x,y,z)",
        "notin=in | notin=in",
        "in | in",
        "app.kubernetes.io/name=istiod | app.kubernetes.io/name=istiod",
        "example.com/Key_1.b-c in (V.1_x) | example.com/Key_1.b-c in (V.1_x)",
        "0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock) | 0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)",
    })
    void acceptsWhatKubernetesAccepts(String selector, String canonical) {
        assertThat(LabelSelector.parse(selector)).hasToString(canonical);
    }

    @Test
    void blanksAreSpacesTabsAndLineBreaks() {
        assertThat(LabelSelector.parse("\rx")).hasToString("x");
        assertThat(LabelSelector.parse("foo  in\t (abc)")).hasToString("foo in (abc)");
        assertThat(LabelSelector.parse("x notin\n (abc,def)")).hasToString("x notin (abc,def)");
        assertThatThrownBy(() -> LabelSelector.parse("x\u000b=a")).isInstanceOf(SelectorSyntaxException.class);
    }

    @Test
    void requirementsKeepTheirOperatorAndValues() {
        assertThat(LabelSelector.parse("tier notin (db, cache),!canary,app==cart").requirements()).containsExactly(
                new Requirement("app", Operator.DOUBLE_EQUALS, List.of("cart")),
                new Requirement("canary", Operator.DOES_NOT_EXIST, List.of()),
                new Requirement("tier", Operator.NOT_IN, List.of("cache", "db")));
        assertThat(LabelSelector.parse(null).isEmpty()).isTrue();
        assertThat(LabelSelector.parse("a=b").isEmpty()).isFalse();
        assertThat(LabelSelector.parse("x=a,a=x")).isEqualTo(LabelSelector.parse("a=x,x=a"));
    }

    @Test
    void aSelectorFromAnObjectsRequirementsPrintsAsKubernetesPrintsIt() {
        LabelSelector fromSpec = LabelSelector.of(List.of(
                new Requirement("version", Operator.EQUALS, List.of("v1")),
                new Requirement("tier", Operator.IN, List.of("web", "api", "web")),
                new Requirement("app", Operator.EQUALS, List.of("frontend"))));
        assertThat(fromSpec).hasToString("app=frontend,tier in (api,web),version=v1");
        assertThat(LabelSelector.of(List.of())).isEqualTo(LabelSelector.everything());
    }

    /** Refused selectors and the words of Kubernetes' refusal. */
    @ParameterizedTest(name = "[{0}] is refused: {1}")
    @CsvSource(delimiterString = " | ", quoteCharacter = '"', value = {
        "x=a||y=b | invalid label value",
        "x==a==b | found '==', expected: ',' or 'end of string'",
        "!x=a | found '=', expected: ',' or 'end of string'",
        "x<a | the value must be an integer",
        "x> | the value must be an integer",
        "x>-1 | invalid label value",
        "x,,y | found ',', expected: identifier after ','",
        ",x | found ',', expected: !, identifier, or 'end of string'",
        "x, | found '', expected: identifier after ','",
        "a in (xyz), | found '', expected: identifier after ','",
        "x nott in (y) | found 'nott', expected: in, notin, =, ==, !=, gt, lt",
        "a in (xyz)b notin () | found 'b', expected: ',' or 'end of string'",
        "a in (xyz abc) | found 'abc', expected: ',' or ')'",
        "a notin( | found '', expected: ',', ')' or identifier",
        "a in (b | found '', expected: ',' or ')'",
        "a in b | found 'b' expected: '('",
        "a ( | found '(', expected: in, notin",
        "( | found '(', expected: !, identifier, or 'end of string'",
        "!!a | found '!', expected: identifier",
        "a in (b=c) | found '=', expected: ',' or ')'",
        "env=prod staging | found 'staging', expected: ',' or 'end of string'",
        "a b | found 'b', expected: in, notin",
        "/a | prefix part must be non-empty",
        "a/ | name part must be non-empty",
        "a/b/c | qualified name",
        "Example.com/a | prefix part must be a DNS-1123 subdomain",
        "-a | must start and end with an alphanumeric character",
        "a=-b | invalid label value",
        "a=b c | found 'c', expected: ',' or 'end of string'",
        "a=b;c | invalid label value",
        "caf\u00e9=1 | invalid label key",
    })
    void refusesWhatKubernetesRefuses(String selector, String reason) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(SelectorSyntaxException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void aRefusalNamesThePartAtFaultApartFromItsReason() {
        assertThatThrownBy(() -> LabelSelector.parse("env in (prod staging)"))
                .isInstanceOfSatisfying(SelectorSyntaxException.class, e -> {
                    assertThat(e.near()).isEqualTo("staging");
                    assertThat(e.problem()).isEqualTo("expected ',' or ')'");
                });
        assertThatThrownBy(() -> LabelSelector.parse("app,"))
                .isInstanceOfSatisfying(SelectorSyntaxException.class, e -> assertThat(e.near()).isEmpty());
        assertThatThrownBy(() -> LabelSelector.parse("app=-x"))
                .isInstanceOfSatisfying(SelectorSyntaxException.class, e -> {
                    assertThat(e.near()).isEqualTo("-x");
                    assertThat(e.problem()).startsWith("not a label value");
                });
    }

    @Test
    void keysAndValuesHaveKubernetesLengths() {
        String name63 = "a".repeat(63);
        assertThat(LabelSelector.parse(name63 + "=" + name63).requirements()).hasSize(1);
        assertThat(LabelSelector.parse("b".repeat(253) + "/" + name63).requirements()).hasSize(1);
        assertThatThrownBy(() -> LabelSelector.parse(name63 + "a")).hasMessageContaining("no more than 63");
        assertThatThrownBy(() -> LabelSelector.parse("a=" + name63 + "a")).hasMessageContaining("no more than 63");
        assertThatThrownBy(() -> LabelSelector.parse("b".repeat(254) + "/a")).hasMessageContaining("prefix part");
    }

    private static final Map<String, String> CART = Map.of("app", "cart", "version", "v1", "replicas", "3");

    /** Which labels each operator matches, with an object that has the key and one that does not. */
    @ParameterizedTest(name = "[{0}] matches app=cart,version=v1,replicas=3: {1}; matches no labels: {2}")
    @CsvSource(delimiterString = " | ", quoteCharacter = '"', value = {
        "\"\" | true | true",
        "app=cart | true | false",
        "app==cart | true | false",
        "app=shop | false | false",
        "app!=shop | true | true",
        "app!=cart | false | true",
        "version in (v1,v2) | true | false",
        "version in (v2) | false | false",
        "version notin (v2) | true | true",
        "version notin (v1,v2) | false | true",
        "version in () | false | false",
        "canary notin () | true | true",
        "app | true | false",
        "!app | false | true",
        "canary | false | false",
        "!canary | true | true",
        "app=cart,version=v2 | false | false",
        "app=cart,!canary,version | true | false",
        "replicas>2 | true | false",
        "replicas>3 | false | false",
        "replicas<4 | true | false",
        "replicas<3 | false | false",
        "version>0 | false | false",
        "version= | false | false",
    })
    void matchesAsKubernetesMatches(String selector, boolean cart, boolean none) {
        LabelSelector s = LabelSelector.parse(selector);
        assertThat(s.matches(CART)).as("%s on %s", selector, CART).isEqualTo(cart);
        assertThat(s.matches(Map.of())).as("%s on no labels", selector).isEqualTo(none);
        assertThat(s.matches(null)).as("%s on null labels", selector).isEqualTo(none);
    }

    @Test
    void anEmptyValueMatchesALabelWithAnEmptyValue() {
        Map<String, String> empty = Map.of("x", "");
        assertThat(LabelSelector.parse("x=").matches(empty)).isTrue();
        assertThat(LabelSelector.parse("x in ()").matches(empty)).isTrue();
        assertThat(LabelSelector.parse("x notin (,a)").matches(empty)).isFalse();
        assertThat(LabelSelector.parse("x!=").matches(empty)).isFalse();
        assertThat(LabelSelector.parse("x").matches(empty)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"env in (a,b)", "env in(a,b)", "env in ( a , b )", "env\tin\t(a,b)"})
    void oneSetRequirementHowEverItIsSpaced(String selector) {
        assertThat(LabelSelector.parse(selector).requirements())
                .containsExactly(new Requirement("env", Operator.IN, List.of("a", "b")));
    }
}
