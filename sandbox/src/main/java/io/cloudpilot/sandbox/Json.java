package io.cloudpilot.sandbox;

import io.cloudpilot.k8s.syntax.Untyped;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON as plain maps and lists: the sandbox edits API objects generically, whatever their kind, so it works on
 * the JSON tree rather than on typed models. Serialisation goes through fabric8's own (Jackson 3) mapper.
 */
final class Json {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Json() {
    }

    static KubernetesSerialization serialization() {
        return SERIALIZATION;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseObject(String json) {
        Object value = SERIALIZATION.unmarshal(json, Object.class);
        if (!(value instanceof Map)) {
            throw ApiException.badRequest("the request body is not a JSON object");
        }
        return (Map<String, Object>) value;
    }

    static Object parse(String json) {
        return SERIALIZATION.unmarshal(json, Object.class);
    }

    /**
     * Parses YAML or JSON (JSON is YAML), one document.
     *
     * @param yaml the document
     * @return the value
     */
    static Object parseYaml(String yaml) {
        return parse(SERIALIZATION.convertToJson(yaml));
    }

    static String write(Object value) {
        return SERIALIZATION.asJson(value);
    }

    static Map<String, Object> map(Object value) {
        return Untyped.asMap(value);
    }

    static List<Object> list(Object value) {
        return Untyped.asList(value);
    }

    /**
     * Follows keys from a root map.
     *
     * @param root the object
     * @param keys the path
     * @return the value, or {@code null} if any step is missing
     */
    static Object at(Map<String, Object> root, String... keys) {
        return Untyped.at(root, keys);
    }

    static Map<String, Object> mapAt(Map<String, Object> root, String... keys) {
        return map(at(root, keys));
    }

    static List<Map<String, Object>> mapsAt(Map<String, Object> root, String... keys) {
        List<Object> values = list(at(root, keys));
        List<Map<String, Object>> maps = new ArrayList<>();
        if (values != null) {
            for (Object v : values) {
                Map<String, Object> m = map(v);
                if (m != null) {
                    maps.add(m);
                }
            }
        }
        return maps;
    }

    static String string(Map<String, Object> root, String... keys) {
        Object v = at(root, keys);
        return v == null ? null : String.valueOf(v);
    }

    static long number(Map<String, Object> root, long fallback, String... keys) {
        Object v = at(root, keys);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return fallback;
    }

    /**
     * The map under {@code keys}, created (with its parents) if missing.
     *
     * @param root the object
     * @param keys the path
     * @return the existing or new map
     */
    static Map<String, Object> child(Map<String, Object> root, String... keys) {
        Map<String, Object> current = root;
        for (String key : keys) {
            Map<String, Object> next = map(current.get(key));
            if (next == null) {
                next = new LinkedHashMap<>();
                current.put(key, next);
            }
            current = next;
        }
        return current;
    }

    static Map<String, Object> metadata(Map<String, Object> object) {
        return child(object, "metadata");
    }

    static String name(Map<String, Object> object) {
        return string(object, "metadata", "name");
    }

    static String namespace(Map<String, Object> object) {
        return string(object, "metadata", "namespace");
    }

    static Map<String, String> labels(Map<String, Object> object) {
        return Untyped.labels(Untyped.at(object, "metadata"), "labels");
    }

    /**
     * A deep copy made of fresh maps and lists.
     *
     * @param value the value
     * @param <T>   its type
     * @return the copy
     */
    @SuppressWarnings("unchecked")
    static <T> T copy(T value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), copy(v)));
            return (T) copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(copy(v)));
            return (T) copy;
        }
        return value;
    }

    /**
     * RFC 7386 JSON merge patch: objects merge recursively, {@code null} deletes, anything else (lists included)
     * replaces.
     *
     * @param target the document (not modified)
     * @param patch  the patch
     * @return the patched document
     */
    static Object mergePatch(Object target, Object patch) {
        Map<String, Object> patchMap = map(patch);
        if (patchMap == null) {
            return copy(patch);
        }
        Map<String, Object> result = map(target) == null ? new LinkedHashMap<>() : copy(map(target));
        patchMap.forEach((key, value) -> {
            if (value == null) {
                result.remove(key);
            } else {
                result.put(key, mergePatch(result.get(key), value));
            }
        });
        return result;
    }

    /**
     * An approximation of Kubernetes strategic merge patch without the OpenAPI patch metadata: like a merge patch,
     * but lists of objects that all carry a merge key (name, containerPort, port, type, ip, mountPath) are merged
     * item by item on that key, and {@code $patch: delete} removes an item. Directive keys ({@code $setElementOrder}
     * ...) are ignored.
     *
     * @param target the document (not modified)
     * @param patch  the patch
     * @return the patched document
     */
    static Object strategicMergePatch(Object target, Object patch) {
        Map<String, Object> patchMap = map(patch);
        if (patchMap == null) {
            return copy(patch);
        }
        if ("replace".equals(patchMap.get("$patch"))) {
            Map<String, Object> replacement = copy(patchMap);
            replacement.remove("$patch");
            return replacement;
        }
        Map<String, Object> result = map(target) == null ? new LinkedHashMap<>() : copy(map(target));
        patchMap.forEach((key, value) -> {
            if (key.startsWith("$")) {
                return;
            }
            if (value == null) {
                result.remove(key);
                return;
            }
            Object existing = result.get(key);
            List<Object> patchList = list(value);
            List<Object> existingList = list(existing);
            if (patchList != null && existingList != null) {
                String mergeKey = mergeKey(existingList, patchList);
                result.put(key, mergeKey == null ? copy(patchList) : mergeLists(existingList, patchList, mergeKey));
            } else {
                result.put(key, strategicMergePatch(existing, value));
            }
        });
        return result;
    }

    private static final List<String> MERGE_KEYS = List.of("name", "containerPort", "port", "type", "ip",
            "mountPath", "devicePath");

    private static String mergeKey(List<Object> existing, List<Object> patch) {
        if (patch.isEmpty()) {
            return null;
        }
        for (String key : MERGE_KEYS) {
            boolean all = true;
            for (Object o : patch) {
                Map<String, Object> m = map(o);
                all &= m != null && m.get(key) != null;
            }
            for (Object o : existing) {
                Map<String, Object> m = map(o);
                all &= m != null && m.get(key) != null;
            }
            if (all) {
                return key;
            }
        }
        return null;
    }

    private static List<Object> mergeLists(List<Object> existing, List<Object> patch, String key) {
        List<Object> result = copy(existing);
        for (Object p : patch) {
            Map<String, Object> item = map(p);
            Object id = item.get(key);
            int index = -1;
            for (int i = 0; i < result.size(); i++) {
                if (String.valueOf(map(result.get(i)).get(key)).equals(String.valueOf(id))) {
                    index = i;
                    break;
                }
            }
            if ("delete".equals(item.get("$patch"))) {
                if (index >= 0) {
                    result.remove(index);
                }
            } else if (index >= 0) {
                result.set(index, strategicMergePatch(result.get(index), item));
            } else {
                Map<String, Object> added = copy(item);
                added.remove("$patch");
                result.add(added);
            }
        }
        return result;
    }

    /**
     * RFC 6902 JSON patch (add, remove, replace, move, copy, test).
     *
     * @param target     the document (not modified)
     * @param operations the patch
     * @return the patched document
     */
    static Object jsonPatch(Object target, Object operations) {
        List<Object> ops = list(operations);
        if (ops == null) {
            throw ApiException.badRequest("a JSON patch must be a JSON array of operations");
        }
        Object doc = copy(target);
        for (Object o : ops) {
            Map<String, Object> op = map(o);
            if (op == null || op.get("op") == null || op.get("path") == null) {
                throw ApiException.invalid("invalid JSON patch operation: " + o);
            }
            String path = String.valueOf(op.get("path"));
            switch (String.valueOf(op.get("op"))) {
                case "add" -> doc = pointerAdd(doc, path, copy(op.get("value")));
                case "remove" -> doc = pointerRemove(doc, path);
                case "replace" -> {
                    pointerGet(doc, path);
                    doc = pointerRemove(doc, path);
                    doc = pointerAdd(doc, path, copy(op.get("value")));
                }
                case "move" -> {
                    String from = String.valueOf(op.get("from"));
                    Object value = pointerGet(doc, from);
                    doc = pointerRemove(doc, from);
                    doc = pointerAdd(doc, path, value);
                }
                case "copy" -> doc = pointerAdd(doc, path, copy(pointerGet(doc, String.valueOf(op.get("from")))));
                case "test" -> {
                    Object actual = pointerGet(doc, path);
                    if (!write(actual).equals(write(op.get("value")))) {
                        throw ApiException.invalid("the JSON patch test failed at " + path);
                    }
                }
                default -> throw ApiException.invalid("unsupported JSON patch operation: " + op.get("op"));
            }
        }
        return doc;
    }

    private static List<String> tokens(String pointer) {
        if (pointer.isEmpty()) {
            return List.of();
        }
        if (!pointer.startsWith("/")) {
            throw ApiException.invalid("invalid JSON pointer: " + pointer);
        }
        List<String> tokens = new ArrayList<>();
        for (String t : pointer.substring(1).split("/", -1)) {
            tokens.add(t.replace("~1", "/").replace("~0", "~"));
        }
        return tokens;
    }

    private static Object pointerGet(Object doc, String pointer) {
        Object current = doc;
        for (String token : tokens(pointer)) {
            current = step(current, token, pointer);
        }
        return current;
    }

    private static Object step(Object current, String token, String pointer) {
        Map<String, Object> m = map(current);
        if (m != null) {
            if (!m.containsKey(token)) {
                throw ApiException.invalid("the JSON patch path does not exist: " + pointer);
            }
            return m.get(token);
        }
        List<Object> l = list(current);
        if (l != null) {
            int i = index(token, l.size() - 1, pointer);
            return l.get(i);
        }
        throw ApiException.invalid("the JSON patch path does not exist: " + pointer);
    }

    private static int index(String token, int max, String pointer) {
        try {
            int i = Integer.parseInt(token);
            if (i < 0 || i > max) {
                throw ApiException.invalid("the JSON patch index is out of bounds: " + pointer);
            }
            return i;
        } catch (NumberFormatException e) {
            throw ApiException.invalid("the JSON patch path does not exist: " + pointer);
        }
    }

    /** The object or list that holds the pointer's last token. */
    private static Object parentOf(Object doc, List<String> tokens, String pointer) {
        Object parent = doc;
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            parent = step(parent, token, pointer);
        }
        return parent;
    }

    private static Object pointerAdd(Object doc, String pointer, Object value) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            return value;
        }
        Object parent = parentOf(doc, tokens, pointer);
        String last = tokens.get(tokens.size() - 1);
        Map<String, Object> m = map(parent);
        if (m != null) {
            m.put(last, value);
            return doc;
        }
        List<Object> l = list(parent);
        if (l != null) {
            if (last.equals("-")) {
                l.add(value);
            } else {
                l.add(index(last, l.size(), pointer), value);
            }
            return doc;
        }
        throw ApiException.invalid("the JSON patch path does not exist: " + pointer);
    }

    private static Object pointerRemove(Object doc, String pointer) {
        List<String> tokens = tokens(pointer);
        if (tokens.isEmpty()) {
            return null;
        }
        Object parent = parentOf(doc, tokens, pointer);
        String last = tokens.get(tokens.size() - 1);
        Map<String, Object> m = map(parent);
        if (m != null) {
            if (!m.containsKey(last)) {
                throw ApiException.invalid("the JSON patch path does not exist: " + pointer);
            }
            m.remove(last);
            return doc;
        }
        List<Object> l = list(parent);
        if (l != null) {
            l.remove(index(last, l.size() - 1, pointer));
            return doc;
        }
        throw ApiException.invalid("the JSON patch path does not exist: " + pointer);
    }
}
