package io.cloudpilot.plugin.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Label and field selectors, evaluated by the sandbox itself: the CRUD mock ignores {@code in}/{@code notin} and
 * answers an empty list for every field selector other than {@code metadata.name}/{@code metadata.namespace}.
 */
final class Selectors {

    private static final Set<String> METADATA_FIELDS = Set.of("metadata.name", "metadata.namespace");

    /** Field labels the real API server accepts, by resource plural (all also accept metadata.name/namespace). */
    private static final Map<String, Set<String>> FIELD_LABELS = Map.of(
            "pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
            "nodes", Set.of("spec.unschedulable"),
            "namespaces", Set.of("status.phase"),
            "secrets", Set.of("type"),
            "replicasets", Set.of("status.replicas"),
            "replicationcontrollers", Set.of("status.replicas"),
            "jobs", Set.of("status.successful"),
            "certificatesigningrequests", Set.of("spec.signerName"));

    private Selectors() {
    }

    /**
     * Parses a label selector ({@code a=b,c!=d,e in (f,g),h notin (i),j,!k}).
     *
     * @param selector the selector, may be {@code null}
     * @return a predicate over an object's labels
     * @throws ApiException 400 for a malformed selector
     */
    static Predicate<Map<String, String>> labels(String selector) {
        if (selector == null || selector.isBlank()) {
            return labels -> true;
        }
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        for (String requirement : splitOutsideParentheses(selector)) {
            requirements.add(labelRequirement(requirement.trim(), selector));
        }
        return labels -> requirements.stream().allMatch(r -> r.test(labels));
    }

    private static Predicate<Map<String, String>> labelRequirement(String r, String selector) {
        if (r.isEmpty()) {
            throw ApiException.badRequest("unable to parse requirement: found '', expected: identifier");
        }
        String lower = r.toLowerCase();
        int in = indexOfWord(lower, " notin ");
        if (in >= 0) {
            String key = r.substring(0, in).trim();
            Set<String> values = valueSet(r.substring(in + 7), selector);
            return labels -> !labels.containsKey(key) || !values.contains(labels.get(key));
        }
        in = indexOfWord(lower, " in ");
        if (in >= 0) {
            String key = r.substring(0, in).trim();
            Set<String> values = valueSet(r.substring(in + 4), selector);
            return labels -> labels.containsKey(key) && values.contains(labels.get(key));
        }
        int ne = r.indexOf("!=");
        if (ne >= 0) {
            String key = r.substring(0, ne).trim();
            String value = r.substring(ne + 2).trim();
            return labels -> !value.equals(labels.get(key));
        }
        int eq = r.indexOf("==");
        int len = 2;
        if (eq < 0) {
            eq = r.indexOf('=');
            len = 1;
        }
        if (eq >= 0) {
            String key = r.substring(0, eq).trim();
            String value = r.substring(eq + len).trim();
            return labels -> value.equals(labels.get(key));
        }
        if (r.startsWith("!")) {
            String key = r.substring(1).trim();
            return labels -> !labels.containsKey(key);
        }
        if (r.contains(" ") || r.contains("(")) {
            throw ApiException.badRequest("unable to parse requirement: " + r);
        }
        return labels -> labels.containsKey(r);
    }

    private static int indexOfWord(String s, String word) {
        return s.indexOf(word);
    }

    private static Set<String> valueSet(String s, String selector) {
        String t = s.trim();
        if (!t.startsWith("(") || !t.endsWith(")")) {
            throw ApiException.badRequest("unable to parse requirement: found '" + t + "', expected: '('"
                    + " in selector " + selector);
        }
        Set<String> values = new java.util.HashSet<>();
        for (String v : t.substring(1, t.length() - 1).split(",")) {
            values.add(v.trim());
        }
        return values;
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

    /**
     * Parses a field selector ({@code spec.nodeName=worker-1,status.phase!=Running}) for a resource, rejecting the
     * field labels a real API server rejects.
     *
     * @param selector the selector, may be {@code null}
     * @param plural   the resource plural
     * @return a predicate over objects
     * @throws ApiException 400 for a malformed selector or an unsupported field
     */
    static Predicate<Map<String, Object>> fields(String selector, String plural) {
        if (selector == null || selector.isBlank()) {
            return object -> true;
        }
        List<Predicate<Map<String, Object>>> requirements = new ArrayList<>();
        for (String raw : selector.split(",")) {
            String r = raw.trim();
            String op;
            int at = r.indexOf("!=");
            if (at >= 0) {
                op = "!=";
            } else if ((at = r.indexOf("==")) >= 0) {
                op = "==";
            } else if ((at = r.indexOf('=')) >= 0) {
                op = "=";
            } else {
                throw ApiException.badRequest("invalid selector: '" + selector + "'; can't understand '" + r + "'");
            }
            String field = r.substring(0, at).trim();
            String value = r.substring(at + op.length()).trim();
            Set<String> allowed = FIELD_LABELS.getOrDefault(plural, Set.of());
            if (!METADATA_FIELDS.contains(field) && !allowed.contains(field)) {
                throw ApiException.badRequest("field label not supported: " + field);
            }
            String[] keys = (field.equals("source") ? "source.component" : field).split("\\.");
            boolean negate = op.equals("!=");
            requirements.add(object -> {
                Object v = Json.at(object, keys);
                String actual = v == null ? "" : String.valueOf(v);
                return negate != actual.equals(value);
            });
        }
        return object -> requirements.stream().allMatch(r -> r.test(object));
    }
}
