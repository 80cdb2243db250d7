package io.cloudpilot.platform.cache;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;

import io.cloudpilot.platform.cluster.ClientSettings;
import io.cloudpilot.spi.CacheKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * One informer: every object of one kind in all namespaces of one cluster, kept current by a watch, trimmed of
 * {@code managedFields} as it arrives. Lists are materialised from the store per (namespace, selectors) and reused
 * until the next change, so that views memoised on the identity of a list (see the toolkit's {@code Derived}) stay
 * valid exactly as long as the data does; a change drops them, so that the store is the only holder of its objects.
 */
final class KindWatch {

    /** The CacheKey kinds served from a watch, and how to watch each in all namespaces. */
    static final Map<String, Function<KubernetesClient, Informable<? extends HasMetadata>>> CORE_KINDS = Map.of(
            "pods", c -> c.pods().inAnyNamespace(),
            "nodes", KubernetesClient::nodes,
            "namespaces", KubernetesClient::namespaces,
            "services", c -> c.services().inAnyNamespace(),
            "endpoints", c -> c.endpoints().inAnyNamespace(),
            "events", c -> c.v1().events().inAnyNamespace(),
            "deployments", c -> c.apps().deployments().inAnyNamespace(),
            "replicasets", c -> c.apps().replicaSets().inAnyNamespace());

    /** Istio networking kinds by plural, read as generic resources of the version in the CacheKey kind. */
    static final Map<String, String> ISTIO_KINDS = Map.of(
            "virtualservices", "VirtualService",
            "destinationrules", "DestinationRule",
            "gateways", "Gateway",
            "serviceentries", "ServiceEntry");

    private static final String ISTIO_GROUP = "networking.istio.io";

    /** Objects per page of an informer's first list: a whole list of 150,000 pods would be one 900 MB body. */
    static final long LIST_CHUNK = 500;

    /**
     * A client sharing the cluster client's HTTP client (connections, credentials, TLS, retries), whose parser keeps
     * the objects of {@link CompactShapes} compact: informers of the large kinds list and watch through it.
     */
    private static KubernetesClient compactClient(KubernetesClient client) {
        return new io.fabric8.kubernetes.client.impl.KubernetesClientImpl(client.getHttpClient(),
                client.getConfiguration(), ClientSettings::tasks, CompactSerialization.shared());
    }

    private static final Comparator<HasMetadata> BY_NAMESPACE_AND_NAME = Comparator
            .comparing((HasMetadata o) -> o.getMetadata().getNamespace() == null ? "" : o.getMetadata().getNamespace())
            .thenComparing(o -> o.getMetadata().getName());

    private record View(String namespace, String labelSelector, String fieldSelector) {
    }

    private record Materialised(long version, List<HasMetadata> items) {
    }

    private final String cluster;
    private final String kind;
    private final KubernetesClient client;
    private final SharedIndexInformer<HasMetadata> informer;
    private final AtomicLong version = new AtomicLong();
    private final Map<View, Materialised> views = new ConcurrentHashMap<>();
    private volatile long lastUsedNanos = System.nanoTime();
    private volatile long changedAtMillis = System.currentTimeMillis();

    @SuppressWarnings("unchecked")
    private KindWatch(String cluster, String kind, KubernetesClient client, Informable<? extends HasMetadata> source) {
        this.cluster = cluster;
        this.kind = kind;
        this.client = client;
        this.informer = (SharedIndexInformer<HasMetadata>) source.runnableInformer(0);
        BasicItemStore<HasMetadata> plain = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
        informer.itemStore(new TrimmingStore(plain));
        informer.addEventHandler(new ResourceEventHandler<HasMetadata>() {
            @Override
            public void onAdd(HasMetadata obj) {
                changed();
            }

            @Override
            public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
                changed();
            }

            @Override
            public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
                changed();
            }
        });
    }

    /**
     * @param cluster the cluster's name
     * @param kind    a CacheKey kind
     * @param client  the cluster's client
     * @return an informer not yet started, or empty when the kind is not watched
     */
    static Optional<KindWatch> create(String cluster, String kind, KubernetesClient client) {
        var core = CORE_KINDS.get(kind);
        if (core != null) {
            // the large kinds: the store holds compact objects, listed in chunks, so that the informer's store is
            // the only copy and is no larger than a TTL entry of the same list (docs/performance.md)
            Informable<? extends HasMetadata> source = CompactLists.compact(CacheKind.of(kind))
                    ? core.apply(compactClient(client)).withLimit(LIST_CHUNK) : core.apply(client);
            return Optional.of(new KindWatch(cluster, kind, client, source));
        }
        String[] parts = kind.split("/");
        if (parts.length == 3 && parts[0].equals(ISTIO_GROUP) && ISTIO_KINDS.containsKey(parts[2])) {
            var context = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                    .withGroup(ISTIO_GROUP).withVersion(parts[1]).withKind(ISTIO_KINDS.get(parts[2]))
                    .withPlural(parts[2]).withNamespaced(true).build();
            return Optional.of(new KindWatch(cluster, kind, client,
                    client.genericKubernetesResources(context).inAnyNamespace()));
        }
        return Optional.empty();
    }

    /** @return whether {@code kind} can be served from a watch */
    static boolean watchable(String kind) {
        if (CORE_KINDS.containsKey(kind)) {
            return true;
        }
        String[] parts = kind.split("/");
        return parts.length == 3 && parts[0].equals(ISTIO_GROUP) && ISTIO_KINDS.containsKey(parts[2]);
    }

    private void changed() {
        version.incrementAndGet();
        changedAtMillis = System.currentTimeMillis();
        // a materialised list holds the objects as they were: kept until the next read, it would keep every object
        // replaced since beside its replacement (a second copy of a busy kind; the next read rebuilds it anyway)
        if (!views.isEmpty()) {
            views.clear();
        }
    }

    SharedIndexInformer<HasMetadata> informer() {
        return informer;
    }

    KubernetesClient client() {
        return client;
    }

    String cluster() {
        return cluster;
    }

    String kind() {
        return kind;
    }

    /** @return whether the informer has listed once and still runs */
    boolean serving() {
        return informer.isRunning() && informer.hasSynced();
    }

    boolean watching() {
        return informer.isWatching();
    }

    long idleNanos(long now) {
        return now - lastUsedNanos;
    }

    /** @return when the store last changed (or started), for the {@code Age} header when the watch is down */
    long changedAtMillis() {
        return changedAtMillis;
    }

    /**
     * @param namespace     the namespace, or "" for all
     * @param labelSelector a label selector, or ""
     * @param fieldSelector a field selector, or ""
     * @return the matching objects sorted by namespace and name (the same list object until the next change), or
     *         empty when the selectors cannot be evaluated here
     */
    Optional<List<HasMetadata>> list(String namespace, String labelSelector, String fieldSelector) {
        lastUsedNanos = System.nanoTime();
        View view = new View(namespace, labelSelector, fieldSelector);
        long v = version.get();
        Materialised m = views.get(view);
        if (m != null && m.version() == v) {
            return Optional.of(m.items());
        }
        Optional<Predicate<HasMetadata>> selector = LocalSelector.of(labelSelector, fieldSelector);
        if (selector.isEmpty()) {
            return Optional.empty();
        }
        List<HasMetadata> source = namespace.isEmpty() ? informer.getStore().list()
                : informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
        List<HasMetadata> items = new ArrayList<>(source.size());
        Predicate<HasMetadata> p = selector.get();
        for (HasMetadata o : source) {
            if (p.test(o)) {
                items.add(o);
            }
        }
        items.sort(BY_NAMESPACE_AND_NAME);
        List<HasMetadata> result = List.copyOf(items);
        views.put(view, new Materialised(v, result));
        return Optional.of(result);
    }

    /**
     * @param namespace the namespace, or "" for cluster-scoped kinds
     * @param name      the name
     * @return the object, or empty when the store does not hold it
     */
    Optional<HasMetadata> get(String namespace, String name) {
        lastUsedNanos = System.nanoTime();
        return Optional.ofNullable(informer.getStore().getByKey(namespace.isEmpty() ? name : namespace + "/" + name));
    }

    /** @return how many materialised lists are held (for tests: a change drops them) */
    int materialisedLists() {
        return views.size();
    }

    void stop() {
        views.clear();
        informer.stop();
    }

    /** The informer's store, trimming objects as they are put. */
    private static final class TrimmingStore implements io.fabric8.kubernetes.client.informers.cache.ItemStore<HasMetadata> {
        private final BasicItemStore<HasMetadata> delegate;

        TrimmingStore(BasicItemStore<HasMetadata> delegate) {
            this.delegate = delegate;
        }

        @Override
        public String getKey(HasMetadata obj) {
            return delegate.getKey(obj);
        }

        @Override
        public HasMetadata put(String key, HasMetadata obj) {
            return delegate.put(key, LeanObjects.trimObject(obj));
        }

        @Override
        public HasMetadata remove(String key) {
            return delegate.remove(key);
        }

        @Override
        public java.util.stream.Stream<String> keySet() {
            return delegate.keySet();
        }

        @Override
        public java.util.stream.Stream<HasMetadata> values() {
            return delegate.values();
        }

        @Override
        public int size() {
            return delegate.size();
        }

        @Override
        public HasMetadata get(String key) {
            return delegate.get(key);
        }
    }
}
