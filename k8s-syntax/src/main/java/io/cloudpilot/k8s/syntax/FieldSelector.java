package io.cloudpilot.k8s.syntax;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A field selector with the grammar and meaning of Kubernetes' {@code fields.ParseSelector}
 * (k8s.io/apimachinery/pkg/fields/selector.go): terms joined by ',' (empty terms ignored), each
 * {@code field=value}, {@code field==value} or {@code field!=value} split at the first operator, the value with
 * {@code \,} {@code \=} and {@code \\} escaped. Nothing is trimmed: which fields exist is the API server's business
 * per resource, so {@code "status.phase = Running"} parses (field {@code "status.phase "}) and an API server refuses
 * it as an unsupported field label; {@link Term#isFieldPath()} tells the fields that can exist from such names.
 */
public final class FieldSelector {

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private static final Pattern FIELD_PATH = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)*");

    /**
     * One term.
     *
     * @param field   the field, as written (e.g. {@code status.phase})
     * @param negated true for {@code !=}
     * @param value   the value, unescaped; missing fields compare as ""
     */
    public record Term(String field, boolean negated, String value) {

        /** @param fields the object's field values by field name (null: the field is absent, compared as "") */
        public boolean matches(Function<String, String> fields) {
            String actual = fields.apply(field);
            return negated != value.equals(actual == null ? "" : actual);
        }

        /** @return whether the field is a dotted path of names, the only form a field label has */
        public boolean isFieldPath() {
            return FIELD_PATH.matcher(field).matches();
        }

        @Override
        public String toString() {
            return field + (negated ? "!=" : "=") + value.replace("\\", "\\\\").replace(",", "\\,")
                    .replace("=", "\\=");
        }
    }

    private final List<Term> terms;

    private FieldSelector(List<Term> terms) {
        this.terms = terms;
    }

    /** @return the selector that matches every object */
    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * @param selector a field selector; null or empty selects everything
     * @return the parsed selector
     * @throws SelectorSyntaxException when Kubernetes would refuse its syntax
     */
    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : splitTerms(selector)) {
            if (part.isEmpty()) {
                continue;
            }
            terms.add(term(selector, part));
        }
        return terms.isEmpty() ? EVERYTHING : new FieldSelector(List.copyOf(terms));
    }

    /** @return the terms, in the order written */
    public List<Term> terms() {
        return terms;
    }

    /** @return whether this selector selects every object */
    public boolean isEmpty() {
        return terms.isEmpty();
    }

    /** @param fields an object's field values by field name (null: absent) */
    public boolean matches(Function<String, String> fields) {
        for (Term t : terms) {
            if (!t.matches(fields)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.join(",", terms.stream().map(Term::toString).toList());
    }

    /** Splits at commas not escaped by a backslash (the backslash stays, for the value's own unescaping). */
    private static List<String> splitTerms(String s) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean escaped = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (escaped) {
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',') {
                terms.add(s.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(s.substring(start));
        return terms;
    }

    private static Term term(String selector, String part) {
        for (int i = 0; i < part.length(); i++) {
            for (String op : new String[] {"!=", "==", "="}) {
                if (part.startsWith(op, i)) {
                    return new Term(part.substring(0, i), op.equals("!="), unescape(part.substring(i + op.length())));
                }
            }
        }
        throw new SelectorSyntaxException("invalid selector: '" + selector + "'; can't understand '" + part + "'", part,
                "expected field=value, field==value or field!=value");
    }

    private static String unescape(String value) {
        StringBuilder out = new StringBuilder(value.length());
        boolean escaped = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (escaped) {
                if (c != '\\' && c != ',' && c != '=') {
                    throw new SelectorSyntaxException("invalid field selector: invalid escape sequence: \\" + c,
                            "\\" + c, "only \\, \\= and \\\\ are escapes in a value");
                }
                out.append(c);
                escaped = false;
            } else if (c == '\\') {
                escaped = true;
            } else if (c == ',' || c == '=') {
                throw new SelectorSyntaxException("invalid field selector: unescaped character in value: " + c, value,
                        "a value may hold ',' and '=' only escaped (\\, and \\=)");
            } else {
                out.append(c);
            }
        }
        if (escaped) {
            throw new SelectorSyntaxException("invalid field selector: invalid escape sequence: \\", value,
                    "a value cannot end with a lone '\\'");
        }
        return out.toString();
    }
}
