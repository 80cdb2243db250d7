package io.cloudpilot.k8s.syntax;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A label selector with the grammar and meaning of Kubernetes' {@code labels.Parse}
 * (k8s.io/apimachinery/pkg/labels/selector.go), so that what CloudPilot accepts, the sandbox serves and the watch
 * cache evaluates is what an API server accepts and returns:
 *
 * <pre>
 * selector    ::= requirement ( "," requirement )*     (or nothing: every object)
 * requirement ::= [ "!" ] KEY
 *               | KEY ( "=" | "==" | "!=" | "&gt;" | "&lt;" ) [ VALUE ]
 *               | KEY ( "in" | "notin" ) "(" [ VALUE ] ( "," [ VALUE ] )* ")"
 * </pre>
 *
 * Blanks (space, tab, CR, LF) separate tokens anywhere; "in" and "notin" are words only where an operator may
 * stand (so {@code in=notin} is a key and a value). KEY is a label key ({@link Names#labelKeyProblem}), VALUE a label
 * value, possibly empty; {@code >} and {@code <} take an integer. {@code !=} and {@code notin} also match objects
 * without the key; {@code >} and {@code <} match only objects whose value is an integer.
 */
public final class LabelSelector {

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of());

    /** How a requirement relates a label to its values. */
    public enum Operator {
        EQUALS("="), DOUBLE_EQUALS("=="), NOT_EQUALS("!="), IN(" in "), NOT_IN(" notin "), EXISTS(""),
        DOES_NOT_EXIST("!"), GREATER_THAN(">"), LESS_THAN("<");

        private final String text;

        Operator(String text) {
            this.text = text;
        }
    }

    /**
     * One requirement; a selector matches when all of its requirements match.
     *
     * @param key      the label key
     * @param operator the operator
     * @param values   the values, sorted and distinct: one for the comparisons, at least one (possibly empty) for
     *                 {@code in}/{@code notin}, none for existence
     */
    public record Requirement(String key, Operator operator, List<String> values) {

        public Requirement {
            values = List.copyOf(new TreeSet<>(values));
        }

        /** @param labels an object's labels (null: none) */
        public boolean matches(Map<String, String> labels) {
            String value = labels == null ? null : labels.get(key);
            return switch (operator) {
                case EQUALS, DOUBLE_EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
                case GREATER_THAN, LESS_THAN -> compares(value);
            };
        }

        private boolean compares(String value) {
            Optional<Long> actual = integer(value);
            Optional<Long> bound = integer(values.getFirst());
            if (actual.isEmpty() || bound.isEmpty()) {
                return false;
            }
            return operator == Operator.GREATER_THAN ? actual.get() > bound.get() : actual.get() < bound.get();
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
                case IN, NOT_IN -> key + operator.text + "(" + String.join(",", values) + ")";
                default -> key + operator.text + values.getFirst();
            };
        }
    }

    private final List<Requirement> requirements;

    private LabelSelector(List<Requirement> requirements) {
        this.requirements = requirements;
    }

    /** @return the selector that matches every object (what an empty selector means) */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /**
     * @param selector a label selector; null or blank selects everything
     * @return the parsed selector
     * @throws SelectorSyntaxException when Kubernetes would refuse it, with its reason
     */
    public static LabelSelector parse(String selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        return of(new Parser(Lexer.tokens(selector)).selector());
    }

    /**
     * A selector from requirements already checked elsewhere, e.g. an object's {@code spec.selector} (what
     * Kubernetes' {@code LabelSelectorAsSelector} does before printing a Scale's {@code status.selector}).
     *
     * @param requirements the requirements, in any order
     * @return the selector of them all
     */
    public static LabelSelector of(List<Requirement> requirements) {
        if (requirements.isEmpty()) {
            return EVERYTHING;
        }
        List<Requirement> sorted = new ArrayList<>(requirements);
        sorted.sort(Comparator.comparing(Requirement::key));
        return new LabelSelector(List.copyOf(sorted));
    }

    /** @return the requirements, ordered by key (Kubernetes' canonical order) */
    public List<Requirement> requirements() {
        return requirements;
    }

    /** @return whether this selector selects every object */
    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    /** @param labels an object's labels (null: none) */
    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** The canonical form, as Kubernetes writes it: requirements by key, values sorted, no blanks but in sets. */
    @Override
    public String toString() {
        return String.join(",", requirements.stream().map(Requirement::toString).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector other && other.requirements.equals(requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }

    private static Optional<Long> integer(String s) {
        if (s == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private enum Kind { END, IDENTIFIER, COMMA, OPEN, CLOSE, NOT, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, IN, NOT_IN,
        GREATER, LESS }

    private record Token(Kind kind, String text) {

        /** Where a value may stand, the words "in" and "notin" are plain identifiers. */
        Kind asValue() {
            return kind == Kind.IN || kind == Kind.NOT_IN ? Kind.IDENTIFIER : kind;
        }
    }

    /** Splits a selector into tokens the way Kubernetes' lexer does. */
    private static final class Lexer {

        private Lexer() {
        }

        static List<Token> tokens(String s) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            while (true) {
                while (i < s.length() && blank(s.charAt(i))) {
                    i++;
                }
                if (i == s.length()) {
                    tokens.add(new Token(Kind.END, ""));
                    return tokens;
                }
                char c = s.charAt(i);
                if (special(c)) {
                    boolean twoCharacters = i + 1 < s.length() && s.charAt(i + 1) == '=' && (c == '!' || c == '=');
                    String text = s.substring(i, i + (twoCharacters ? 2 : 1));
                    tokens.add(new Token(symbol(text), text));
                    i += text.length();
                } else {
                    int start = i;
                    while (i < s.length() && !special(s.charAt(i)) && !blank(s.charAt(i))) {
                        i++;
                    }
                    String word = s.substring(start, i);
                    Kind kind = switch (word) {
                        case "in" -> Kind.IN;
                        case "notin" -> Kind.NOT_IN;
                        default -> Kind.IDENTIFIER;
                    };
                    tokens.add(new Token(kind, word));
                }
            }
        }

        private static Kind symbol(String text) {
            return switch (text) {
                case "," -> Kind.COMMA;
                case "(" -> Kind.OPEN;
                case ")" -> Kind.CLOSE;
                case "!" -> Kind.NOT;
                case "=" -> Kind.EQUALS;
                case "==" -> Kind.DOUBLE_EQUALS;
                case "!=" -> Kind.NOT_EQUALS;
                case ">" -> Kind.GREATER;
                case "<" -> Kind.LESS;
                default -> throw new IllegalStateException(text);
            };
        }

        private static boolean blank(char c) {
            return c == ' ' || c == '\t' || c == '\r' || c == '\n';
        }

        private static boolean special(char c) {
            return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
        }
    }

    /** Kubernetes' recursive descent over the tokens, with its error messages. */
    private static final class Parser {

        private final List<Token> tokens;
        private int position;

        Parser(List<Token> tokens) {
            this.tokens = tokens;
        }

        List<Requirement> selector() {
            List<Requirement> requirements = new ArrayList<>();
            Token first = peek();
            if (first.kind() == Kind.END) {
                return requirements;
            }
            while (true) {
                Token t = peek();
                if (t.asValue() != Kind.IDENTIFIER && t.kind() != Kind.NOT) {
                    throw found(t, "!, identifier, or 'end of string'");
                }
                requirements.add(requirement());
                Token after = next();
                if (after.kind() == Kind.END) {
                    return requirements;
                }
                if (after.kind() != Kind.COMMA) {
                    throw found(after, "',' or 'end of string'");
                }
                Token following = peek();
                if (following.asValue() != Kind.IDENTIFIER && following.kind() != Kind.NOT) {
                    throw found(following, "identifier after ','");
                }
            }
        }

        private Requirement requirement() {
            boolean negated = peek().kind() == Kind.NOT;
            if (negated) {
                next();
            }
            Token key = next();
            if (key.asValue() != Kind.IDENTIFIER) {
                throw requirementFound(key, "identifier");
            }
            Names.labelKeyProblem(key.text()).ifPresent(problem -> {
                throw requirementInvalid("invalid label key \"" + key.text() + "\": " + problem, key.text(),
                        "not a label key: " + problem);
            });
            Kind following = peek().kind();
            if (negated) {
                return new Requirement(key.text(), Operator.DOES_NOT_EXIST, List.of());
            }
            if (following == Kind.END || following == Kind.COMMA) {
                return new Requirement(key.text(), Operator.EXISTS, List.of());
            }
            Token op = next();
            Operator operator = switch (op.kind()) {
                case IN -> Operator.IN;
                case NOT_IN -> Operator.NOT_IN;
                case EQUALS -> Operator.EQUALS;
                case DOUBLE_EQUALS -> Operator.DOUBLE_EQUALS;
                case NOT_EQUALS -> Operator.NOT_EQUALS;
                case GREATER -> Operator.GREATER_THAN;
                case LESS -> Operator.LESS_THAN;
                default -> throw requirementFound(op, "in, notin, =, ==, !=, gt, lt");
            };
            SortedSet<String> values = operator == Operator.IN || operator == Operator.NOT_IN ? valueSet() : exactValue();
            if ((operator == Operator.GREATER_THAN || operator == Operator.LESS_THAN)
                    && integer(values.first()).isEmpty()) {
                throw requirementInvalid("for 'Gt', 'Lt' operators, the value must be an integer", values.first(),
                        "for '>' and '<' the value must be an integer");
            }
            for (String value : values) {
                Names.labelValueProblem(value).ifPresent(problem -> {
                    throw requirementInvalid("invalid label value \"" + value + "\" of key \"" + key.text() + "\": "
                            + problem, value, "not a label value: " + problem);
                });
            }
            return new Requirement(key.text(), operator, List.copyOf(values));
        }

        private SortedSet<String> exactValue() {
            TreeSet<String> values = new TreeSet<>();
            Kind following = peek().kind();
            if (following == Kind.END || following == Kind.COMMA) {
                values.add("");
                return values;
            }
            Token value = next();
            if (value.asValue() != Kind.IDENTIFIER) {
                throw requirementFound(value, "identifier");
            }
            values.add(value.text());
            return values;
        }

        private SortedSet<String> valueSet() {
            Token open = next();
            if (open.kind() != Kind.OPEN) {
                throw new SelectorSyntaxException("unable to parse requirement: found '" + open.text() + "' expected: '('",
                        open.text(), "expected '('");
            }
            TreeSet<String> values = new TreeSet<>();
            Token first = peek();
            switch (first.asValue()) {
                case CLOSE -> {
                    next();
                    values.add("");
                    return values;
                }
                case IDENTIFIER, COMMA -> {
                    // a value may be empty: "(a,,b)", "(,a)" and "(a,)" all hold ""
                    boolean expectValue = true;
                    while (true) {
                        Token t = next();
                        switch (t.asValue()) {
                            case IDENTIFIER -> {
                                if (!expectValue) {
                                    throw requirementFound(t, "',' or ')'");
                                }
                                values.add(t.text());
                                expectValue = false;
                            }
                            case COMMA -> {
                                if (expectValue) {
                                    values.add("");
                                }
                                expectValue = true;
                            }
                            case CLOSE -> {
                                if (expectValue) {
                                    values.add("");
                                }
                                return values;
                            }
                            default -> throw requirementFound(t, "',' or ')'");
                        }
                    }
                }
                default -> throw requirementFound(first, "',', ')' or identifier");
            }
        }

        private Token peek() {
            return tokens.get(position);
        }

        private Token next() {
            Token t = tokens.get(position);
            if (t.kind() != Kind.END) {
                position++;
            }
            return t;
        }

        /** Kubernetes' "found X, expected: Y" inside a requirement. */
        private static SelectorSyntaxException requirementFound(Token t, String expected) {
            return new SelectorSyntaxException("unable to parse requirement: found '" + t.text() + "', expected: "
                    + expected, t.text(), "expected " + expected);
        }

        private static SelectorSyntaxException requirementInvalid(String message, String near, String problem) {
            return new SelectorSyntaxException("unable to parse requirement: " + message, near, problem);
        }

        /** Kubernetes' "found X, expected: Y" between requirements. */
        private static SelectorSyntaxException found(Token t, String expected) {
            return new SelectorSyntaxException("found '" + t.text() + "', expected: " + expected, t.text(),
                    "expected " + expected);
        }
    }
}
