package io.cloudpilot.platform.cache;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.fabric8.kubernetes.api.model.Quantity;

/**
 * One instance of each equal value met while compact objects are parsed: strings (namespaces, node names, images,
 * label keys and values, condition types, reasons, timestamps), label and annotation maps (equal for every pod of a
 * ReplicaSet), resource quantities and short lists. Equal values then cost their memory once per list instead of
 * once per object. A read's own interner lives as long as the read; the one an informer keeps is bounded and starts
 * over when full, so it never holds the strings of objects long gone.
 */
final class Interner {

    private final Map<Object, Object> table;
    private final int capacity;

    private Interner(Map<Object, Object> table, int capacity) {
        this.table = table;
        this.capacity = capacity;
    }

    /** @return an interner for one read, used by one thread */
    static Interner forOneRead() {
        return new Interner(new HashMap<>(4096), Integer.MAX_VALUE);
    }

    /**
     * @param capacity values kept at most; past it the table starts over
     * @return an interner shared by the threads that parse an informer's events
     */
    static Interner shared(int capacity) {
        return new Interner(new ConcurrentHashMap<>(1024), capacity);
    }

    @SuppressWarnings("unchecked")
    private <T> T canonical(T value) {
        Object known = table.get(value);
        if (known != null) {
            return (T) known;
        }
        if (table.size() >= capacity) {
            table.clear();
        }
        known = table.putIfAbsent(value, value);
        return known == null ? value : (T) known;
    }

    String string(String s) {
        return s == null || s.length() > 512 ? s : canonical(s);
    }

    /**
     * @param map a map just parsed (labels, annotations, selectors, resource amounts)
     * @return an equal, read-only map shared by every object that has it, without the last-applied annotation
     */
    @SuppressWarnings("unchecked")
    <V> Map<String, V> map(Map<String, V> map) {
        if (map == null) {
            return null;
        }
        if (map.containsKey(CompactShapes.LAST_APPLIED)) {
            map = new LinkedHashMap<>(map);
            map.remove(CompactShapes.LAST_APPLIED);
        }
        if (map.isEmpty()) {
            return Map.of();
        }
        if (map.values().iterator().next() instanceof Quantity) {
            Map<String, V> amounts = new LinkedHashMap<>();
            map.forEach((k, v) -> amounts.put(k, v instanceof Quantity q ? (V) quantity(q) : v));
            map = amounts;
        }
        return canonical(new SharedMap<>(map));
    }

    /**
     * @param list a list just parsed
     * @return an equal read-only list, shared when its elements are strings (an equal list of other objects is
     *         rarely equal by value, and comparing would cost more than it saves)
     */
    <E> List<E> list(List<E> list) {
        if (list == null) {
            return null;
        }
        if (list.isEmpty()) {
            return List.of();
        }
        for (E e : list) {
            if (e == null) {
                return Collections.unmodifiableList(list);
            }
        }
        List<E> copy = List.copyOf(list);
        return copy.getFirst() instanceof String ? canonical(copy) : copy;
    }

    Quantity quantity(Quantity q) {
        return q == null ? null : canonical(new SharedQuantity(q)).quantity();
    }

    /** A read-only map compared by content, so equal maps of many objects are one instance. */
    private static final class SharedMap<V> extends java.util.AbstractMap<String, V> {
        private final Map<String, V> entries;
        private final int hash;

        SharedMap(Map<String, V> source) {
            this.entries = Collections.unmodifiableMap(source instanceof LinkedHashMap<String, V> l && l.size() < 12
                    ? l : new LinkedHashMap<>(source));
            this.hash = source.hashCode();
        }

        @Override
        public java.util.Set<Map.Entry<String, V>> entrySet() {
            return entries.entrySet();
        }

        @Override
        public V get(Object key) {
            return entries.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        /** Quantities compare by text here, so that "1024Mi" is never shown as an equal "1Gi". */
        @Override
        public boolean equals(Object o) {
            if (o == this) {
                return true;
            }
            if (!(o instanceof SharedMap<?> other)) {
                return super.equals(o);
            }
            if (other.hash != hash || other.entries.size() != entries.size()) {
                return false;
            }
            for (Map.Entry<String, V> e : entries.entrySet()) {
                Object theirs = other.entries.get(e.getKey());
                if ((theirs == null && !other.entries.containsKey(e.getKey())) || !sameValue(e.getValue(), theirs)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean sameValue(Object a, Object b) {
            if (a instanceof Quantity qa && b instanceof Quantity qb) {
                return java.util.Objects.equals(qa.getAmount(), qb.getAmount())
                        && java.util.Objects.equals(qa.getFormat(), qb.getFormat());
            }
            return java.util.Objects.equals(a, b);
        }
    }

    /** A quantity keyed by its text: equal amounts written differently ("1Gi", "1024Mi") stay as written. */
    private record SharedQuantity(String amount, String format, Quantity quantity) {
        SharedQuantity(Quantity q) {
            this(q.getAmount(), q.getFormat(), q);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SharedQuantity other && java.util.Objects.equals(amount, other.amount)
                    && java.util.Objects.equals(format, other.format);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(amount, format);
        }
    }
}
