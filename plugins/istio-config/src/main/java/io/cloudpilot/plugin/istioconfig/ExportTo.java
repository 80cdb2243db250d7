package io.cloudpilot.plugin.istioconfig;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The namespaces an object is visible to, from its {@code exportTo}: {@code *} all, {@code .} its own namespace,
 * {@code ~} none, other entries those namespaces; an empty list means the mesh's default for the kind.
 *
 * @param all        visible everywhere
 * @param namespaces else: the namespaces it is visible to
 */
record ExportTo(boolean all, Set<String> namespaces) {

    static final ExportTo EVERYWHERE = new ExportTo(true, Set.of());

    /**
     * @param entries   the object's {@code exportTo} (or the Service annotation's entries)
     * @param owner     the object's namespace
     * @param fallback  the mesh's default for the kind, used when {@code entries} is empty
     */
    static ExportTo of(List<String> entries, String owner, List<String> fallback) {
        List<String> list = entries.isEmpty() ? fallback : entries;
        Set<String> out = new HashSet<>();
        for (String e : list) {
            String s = e.trim();
            if (s.equals("*")) {
                return EVERYWHERE;
            } else if (s.equals(".")) {
                out.add(owner);
            } else if (!s.equals("~") && !s.isEmpty()) {
                out.add(s);
            }
        }
        return new ExportTo(false, Set.copyOf(out));
    }

    boolean visibleTo(String namespace) {
        return all || namespaces.contains(namespace);
    }

    /** @return whether some namespace sees both */
    boolean intersects(ExportTo other) {
        if (all || other.all) {
            return all ? (other.all || !other.namespaces.isEmpty()) : !namespaces.isEmpty();
        }
        return namespaces.stream().anyMatch(other.namespaces::contains);
    }
}
