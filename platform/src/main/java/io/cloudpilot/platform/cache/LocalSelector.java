package io.cloudpilot.platform.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Label and field selectors evaluated on objects in memory, as the API server evaluates them, for lists served from
 * a watch. Anything this class cannot evaluate exactly comes back empty, and the caller reads from the cluster
 * instead of guessing.
 */
final class LocalSelector {

    private static final Pattern SET_REQUIREMENT = Pattern.compile(
            "^\\s*([A-Za-z0-9._/-]+)\\s+(in|notin)\\s*\\(([^)]*)\\)\\s*$");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._/-]+");

    private LocalSelector() {
    }

    /**
     * @param labelSelector a label selector ({@code a=b,c!=d,e in (f,g),!h,i}), or empty
     * @param fieldSelector a field selector, or empty; only {@code metadata.name} and {@code metadata.namespace}
     * @return the predicate, or empty when the selectors cannot be evaluated here
     */
    static Optional<Predicate<HasMetadata>> of(String labelSelector, String fieldSelector) {
        Optional<Predicate<Map<String, String>>> labels = labels(labelSelector);
        Optional<Predicate<HasMetadata>> fields = fields(fieldSelector);
        if (labels.isEmpty() || fields.isEmpty()) {
            return Optional.empty();
        }
        Predicate<Map<String, String>> l = labels.get();
        Predicate<HasMetadata> f = fields.get();
        return Optional.of(o -> f.test(o) && l.test(o.getMetadata() == null || o.getMetadata().getLabels() == null
                ? Map.of() : o.getMetadata().getLabels()));
    }

    static Optional<Predicate<Map<String, String>>> labels(String selector) {
        if (selector == null || selector.isBlank()) {
            return Optional.of(l -> true);
        }
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        for (String requirement : splitOutsideParentheses(selector)) {
            String r = requirement.trim();
            Matcher set = SET_REQUIREMENT.matcher(r);
            if (set.matches()) {
                String key = set.group(1);
                Set<String> values = Set.copyOf(List.of(set.group(3).trim().split("\\s*,\\s*")));
                requirements.add(set.group(2).equals("in") ? l -> values.contains(l.get(key))
                        : l -> !values.contains(l.get(key)));
            } else if (r.contains("!=")) {
                String[] kv = r.split("!=", 2);
                String key = kv[0].trim();
                String value = kv[1].trim();
                requirements.add(l -> !value.equals(l.get(key)));
            } else if (r.contains("=")) {
                String[] kv = r.split("==?", 2);
                String key = kv[0].trim();
                String value = kv[1].trim();
                requirements.add(l -> value.equals(l.get(key)));
            } else if (r.startsWith("!") && KEY.matcher(r.substring(1).trim()).matches()) {
                String key = r.substring(1).trim();
                requirements.add(l -> !l.containsKey(key));
            } else if (KEY.matcher(r).matches()) {
                requirements.add(l -> l.containsKey(r));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(l -> requirements.stream().allMatch(p -> p.test(l)));
    }

    static Optional<Predicate<HasMetadata>> fields(String selector) {
        if (selector == null || selector.isBlank()) {
            return Optional.of(o -> true);
        }
        List<Predicate<HasMetadata>> requirements = new ArrayList<>();
        for (String requirement : selector.split(",")) {
            String r = requirement.trim();
            boolean negated = r.contains("!=");
            String[] kv = r.split(negated ? "!=" : "==?", 2);
            if (kv.length != 2) {
                return Optional.empty();
            }
            String field = kv[0].trim();
            String value = kv[1].trim();
            Predicate<HasMetadata> equal = switch (field) {
                case "metadata.name" -> o -> value.equals(o.getMetadata().getName());
                case "metadata.namespace" -> o -> value.equals(o.getMetadata().getNamespace() == null ? ""
                        : o.getMetadata().getNamespace());
                default -> null;
            };
            if (equal == null) {
                return Optional.empty();
            }
            requirements.add(negated ? equal.negate() : equal);
        }
        return Optional.of(o -> requirements.stream().allMatch(p -> p.test(o)));
    }

    private static List<String> splitOutsideParentheses(String s) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
