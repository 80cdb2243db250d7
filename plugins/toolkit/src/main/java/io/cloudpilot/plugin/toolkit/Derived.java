package io.cloudpilot.plugin.toolkit;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Views computed from cached upstream answers, memoised on the identity of those answers. The cache hands out the
 * same list object for a key until the entry is replaced (TTL, {@code force_refresh}, a watch event), so a view of
 * it (10,000 pods turned into sorted summaries, an overview's sums, validations of every VirtualService) is computed
 * once per upstream answer instead of once per request. A new answer is a new object and gets a new view.
 *
 * <p>Sources are held weakly, but a view may refer to its sources (an analysis keeps its snapshot), so weak keys
 * alone would not let an old answer go. Hence one view per variant: the variant names the slot (cluster,
 * namespace, selectors, sort order...), and a view of new sources for the same variant replaces the old view, which
 * lets the previous answer go as soon as the cache drops it. Entries are also bounded in number (least recently used
 * go first) and in age ({@code maxAge}, for views that also depend on the clock, such as certificate expiry). Values
 * are shared between requests: treat them as immutable.
 *
 * @param <V> the view type
 */
public final class Derived<V> {

    private static final Object NULL = new Object();

    private final int capacity;
    private final long maxAgeNanos;
    private final Map<Key, Entry<V>> entries = new LinkedHashMap<>(16, 0.75f, true);

    /**
     * @param capacity views kept at most
     * @param maxAge   how long a view is reused at most, even when its sources are unchanged
     */
    public Derived(int capacity, Duration maxAge) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /**
     * @param sources the cached answers the view is computed from (compared by identity; null allowed)
     * @param variant everything else the view depends on, compared by {@code equals}: it must name the slot the
     *                sources fill (the cluster, and the namespace, selectors and sort order they were read or
     *                sorted with), since a view of other sources for an equal variant replaces this one
     * @param compute computes the view; called without holding a lock, possibly twice for concurrent first requests
     * @return the view
     */
    public V get(List<?> sources, Object variant, Supplier<V> compute) {
        Key key = new Key(sources, variant);
        long now = System.nanoTime();
        synchronized (entries) {
            Entry<V> e = entries.get(key);
            if (e != null && now - e.computedAt() < maxAgeNanos) {
                return e.value();
            }
        }
        V value = compute.get();
        synchronized (entries) {
            entries.put(key, new Entry<>(value, now));
            Iterator<Key> it = entries.keySet().iterator();
            while (it.hasNext()) {
                Key k = it.next();
                if (entries.size() > capacity || k.cleared() || (!k.equals(key) && k.sameVariant(key))) {
                    it.remove();
                }
            }
        }
        return value;
    }

    /** @return views held (some of them possibly for sources already dropped) */
    public int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private record Entry<V>(V value, long computedAt) {
    }

    private static final class Key {
        private final WeakReference<?>[] sources;
        private final Object variant;
        private final int hash;

        Key(List<?> sources, Object variant) {
            this.sources = new WeakReference<?>[sources.size()];
            int h = Objects.hashCode(variant);
            for (int i = 0; i < sources.size(); i++) {
                Object s = sources.get(i) == null ? NULL : sources.get(i);
                this.sources[i] = new WeakReference<>(s);
                h = 31 * h + System.identityHashCode(s);
            }
            this.variant = variant;
            this.hash = h;
        }

        boolean sameVariant(Key other) {
            return Objects.equals(variant, other.variant);
        }

        boolean cleared() {
            for (WeakReference<?> r : sources) {
                if (r.get() == null) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        @SuppressWarnings("ReferenceEquality") // a memo is valid for the very objects the cache handed out
        public boolean equals(Object o) {
            if (!(o instanceof Key other) || other.hash != hash || other.sources.length != sources.length
                    || !Objects.equals(variant, other.variant)) {
                return false;
            }
            for (int i = 0; i < sources.length; i++) {
                Object mine = sources[i].get();
                if (mine == null || mine != other.sources[i].get()) {
                    return false;
                }
            }
            return true;
        }
    }
}
