package io.cloudpilot.k8s.syntax;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads Kubernetes objects in their untyped form, the maps and lists JSON or YAML parse to (a custom resource's spec,
 * an object the sandbox stores), without a cast at every call site. A field of another shape than asked for reads as
 * absent: an API server's schema for custom resources is loose, and no reader may fail on odd input.
 */
public final class Untyped {

    private Untyped() {
    }

    /** @return {@code value} as a map, or null when it is not one */
    @SuppressWarnings("unchecked") // JSON objects parse to maps with string keys
    public static Map<String, Object> asMap(Object value) {
        return value instanceof Map<?, ?> ? (Map<String, Object>) value : null;
    }

    /** @return {@code value} as a list, or null when it is not one */
    @SuppressWarnings("unchecked") // JSON arrays parse to lists of values
    public static List<Object> asList(Object value) {
        return value instanceof List<?> ? (List<Object>) value : null;
    }

    /**
     * @param root the object
     * @param keys the path of keys from it
     * @return the value at the path, or null when a step is missing or not a map
     */
    public static Object at(Object root, String... keys) {
        Object current = root;
        for (String key : keys) {
            Map<String, Object> m = asMap(current);
            if (m == null) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    /** @return the map under {@code key} of {@code parent}, empty when absent or not a map */
    public static Map<String, Object> map(Object parent, String key) {
        Map<String, Object> m = asMap(at(parent, key));
        return m == null ? Map.of() : m;
    }

    /** @return the list under {@code key} of {@code parent}, empty when absent or not a list */
    public static List<Object> list(Object parent, String key) {
        List<Object> l = asList(at(parent, key));
        return l == null ? List.of() : l;
    }

    /** @return whether {@code parent} has a non-null value under {@code key} */
    public static boolean has(Object parent, String key) {
        return at(parent, key) != null;
    }

    /** @return the strings of the list under {@code key}, other elements left out */
    public static List<String> strings(Object parent, String key) {
        return list(parent, key).stream().filter(o -> o instanceof String).map(o -> (String) o).toList();
    }

    /** @return the scalar under {@code key} as text (a number or boolean too), null when absent, a map or a list */
    public static String string(Object parent, String key) {
        Object v = at(parent, key);
        return v == null || v instanceof Map || v instanceof List ? null : String.valueOf(v);
    }

    /** @return {@link #string} upper-cased (an enum's value: {@code mode}, {@code protocol}), or null */
    public static String upperCase(Object parent, String key) {
        String s = string(parent, key);
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    /** @return the whole number under {@code key} (a number, or text of one), null when absent or not one */
    public static Integer integer(Object parent, String key) {
        Object v = at(parent, key);
        if (v instanceof Number n) {
            return n.intValue();
        }
        if (v instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** @return the string map under {@code key} (labels, a selector), null values as "", in the object's order */
    public static Map<String, String> labels(Object parent, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        map(parent, key).forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
        return out;
    }
}
