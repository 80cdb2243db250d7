package io.cloudpilot.plugin.istioconfig;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Reads the untyped maps of a generic resource's spec without casts at every call site. A field of the wrong shape
 * reads as absent: the API server's schema is loose and the validator must never fail on odd input.
 */
final class Fields {

    private Fields() {
    }

    /** @return the object's spec, an empty map when it has none */
    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        Object spec = r.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> ? (Map<String, Object>) spec : Map.of();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object parent, String key) {
        Object v = parent instanceof Map<?, ?> m ? m.get(key) : null;
        return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
    }

    static boolean has(Object parent, String key) {
        return parent instanceof Map<?, ?> m && m.get(key) != null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object parent, String key) {
        Object v = parent instanceof Map<?, ?> m ? m.get(key) : null;
        return v instanceof List<?> ? (List<Object>) v : List.of();
    }

    static List<String> strings(Object parent, String key) {
        return list(parent, key).stream().filter(o -> o instanceof String).map(o -> (String) o).toList();
    }

    static String str(Object parent, String key) {
        Object v = parent instanceof Map<?, ?> m ? m.get(key) : null;
        return v == null || v instanceof Map || v instanceof List ? null : String.valueOf(v);
    }

    static String upper(Object parent, String key) {
        String s = str(parent, key);
        return s == null ? null : s.toUpperCase(Locale.ROOT);
    }

    static Integer integer(Object parent, String key) {
        Object v = parent instanceof Map<?, ?> m ? m.get(key) : null;
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

    @SuppressWarnings("unchecked")
    static Map<String, String> labels(Object parent, String key) {
        Map<String, Object> m = map(parent, key);
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v == null ? "" : String.valueOf(v)));
        return out;
    }
}
