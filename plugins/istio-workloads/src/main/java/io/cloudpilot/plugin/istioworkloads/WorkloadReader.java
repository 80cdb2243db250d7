package io.cloudpilot.plugin.istioworkloads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.cloudpilot.plugin.toolkit.Reads;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/**
 * Finds the Istio workloads of a namespace and everything that belongs to them, through the shared cache. Keys
 * follow {@link CacheKey}'s convention (the value is the upstream list), so other plugins share the entries:
 * Deployments, ReplicaSets, Services and Events per namespace; Pods per namespace and the Deployment's selector.
 */
final class WorkloadReader {

    private final ResourceCache cache;

    WorkloadReader(ResourceCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache is null");
    }

    /**
     * One Istio Deployment with its ReplicaSets and the pods it owns.
     *
     * @param deployment  the Deployment
     * @param replicaSets its ReplicaSets, newest revision first
     * @param pods        the pods its ReplicaSets own, by name
     */
    record Workload(Deployment deployment, List<ReplicaSet> replicaSets, List<Pod> pods) {
        String name() {
            return deployment.getMetadata().getName();
        }
    }

    /**
     * @param cluster      the cluster
     * @param namespace    where to look
     * @param component    what to look for
     * @param forceRefresh bypass the cache
     * @return every Deployment of the component in the namespace, by name, with its ReplicaSets and pods
     * @throws ApiException.NotFound when there is none there but Istio is installed in the cluster (the message names
     *                               the namespaces where the component runs); {@link ApiException.IstioNotInstalled}
     *                               when the cluster has no Istio at all
     */
    List<Workload> find(ClusterContext cluster, String namespace, IstioComponent component, boolean forceRefresh) {
        List<Workload> found = findOrEmpty(cluster, namespace, component, forceRefresh);
        if (found.isEmpty()) {
            throw absent(cluster, namespace, component, forceRefresh);
        }
        return found;
    }

    /**
     * The 404 of a namespace without the component. Istio installed elsewhere is {@code NotFound}, saying where the
     * component runs ("pass namespace=..."); {@code IstioNotInstalled} is kept for a cluster that serves no Istio API
     * and runs no Istio workload in any namespace.
     */
    ApiException absent(ClusterContext cluster, String namespace, IstioComponent component, boolean forceRefresh) {
        String here = "No " + component.title() + " found in namespace '" + namespace + "' of cluster '" + cluster.name()
                + "' (Deployments labelled " + component.labels() + ")";
        Map<IstioComponent, SortedSet<String>> elsewhere;
        try {
            elsewhere = namespacesOf(cluster, forceRefresh);
        } catch (ApiException.Forbidden | ApiException.NotFound e) {
            // the cluster's RBAC does not let CloudPilot look in every namespace: say what was looked at
            return new ApiException.IstioNotInstalled(here + "; pass 'namespace' if Istio is installed elsewhere.");
        }
        SortedSet<String> same = elsewhere.get(component);
        if (!same.isEmpty()) {
            String first = same.first();
            return new ApiException.NotFound(here + "; it runs in namespace" + (same.size() > 1 ? "s " : " ")
                    + String.join(", ", same) + ": pass namespace=" + first + ".");
        }
        List<String> others = new ArrayList<>();
        elsewhere.forEach((other, where) -> {
            if (other != component && !where.isEmpty()) {
                others.add(other.title() + " runs in namespace " + String.join(", ", where));
            }
        });
        boolean servesIstio = !cluster.servedVersions("networking.istio.io").isEmpty();
        if (others.isEmpty() && !servesIstio) {
            return new ApiException.IstioNotInstalled(here + ", nor in any other namespace, and the cluster serves no "
                    + "networking.istio.io API: Istio is not installed.");
        }
        return new ApiException.NotFound(here + ", nor in any other namespace, though Istio is installed ("
                + (others.isEmpty() ? "the cluster serves networking.istio.io" : String.join("; ", others)) + ").");
    }

    /** Where each component runs in the cluster, from the Deployments of every namespace (one shared, cached list). */
    private Map<IstioComponent, SortedSet<String>> namespacesOf(ClusterContext cluster, boolean forceRefresh) {
        List<Deployment> all = cache.get(CacheKey.list(cluster.name(), CacheKind.DEPLOYMENTS, ""), forceRefresh,
                () -> cluster.client().apps().deployments().inAnyNamespace().list().getItems());
        Map<IstioComponent, SortedSet<String>> where = new EnumMap<>(IstioComponent.class);
        for (IstioComponent c : IstioComponent.values()) {
            where.put(c, new TreeSet<>());
        }
        for (Deployment d : all) {
            for (IstioComponent c : IstioComponent.values()) {
                if (c.matches(d) && d.getMetadata() != null && d.getMetadata().getNamespace() != null) {
                    where.get(c).add(d.getMetadata().getNamespace());
                }
            }
        }
        return where;
    }

    /** Like {@link #find} but empty instead of a 404. */
    List<Workload> findOrEmpty(ClusterContext cluster, String namespace, IstioComponent component, boolean forceRefresh) {
        List<Deployment> deployments = deployments(cluster, namespace, forceRefresh).stream()
                .filter(component::matches)
                .sorted(Comparator.comparing(d -> d.getMetadata().getName()))
                .toList();
        if (deployments.isEmpty()) {
            return List.of();
        }
        try (ExecutorService pool = cache.parallelReads()) {
            Future<List<ReplicaSet>> replicaSets = pool.submit(() -> {
                try {
                    return replicaSets(cluster, namespace, forceRefresh);
                } catch (ApiException.Forbidden e) {
                    return null; // without ReplicaSets, pods are matched by the Deployment's selector alone
                }
            });
            List<Future<List<Pod>>> pods = new ArrayList<>();
            for (Deployment d : deployments) {
                pods.add(pool.submit(() -> pods(cluster, namespace, d, forceRefresh)));
            }
            List<ReplicaSet> allReplicaSets = Reads.await(replicaSets);
            List<Workload> workloads = new ArrayList<>();
            for (int i = 0; i < deployments.size(); i++) {
                Deployment d = deployments.get(i);
                if (allReplicaSets == null) {
                    workloads.add(new Workload(d, List.of(), Reads.await(pods.get(i)).stream()
                            .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList()));
                    continue;
                }
                List<ReplicaSet> owned = allReplicaSets.stream()
                        .filter(rs -> ownedBy(rs.getMetadata().getOwnerReferences(), d.getMetadata().getUid()))
                        .sorted(Comparator.comparingLong(WorkloadReader::revision).reversed())
                        .toList();
                Set<String> rsUids = owned.stream().map(rs -> rs.getMetadata().getUid()).collect(Collectors.toSet());
                // a selector can match another revision's pods (istio=pilot): keep only the pods this Deployment owns
                List<Pod> ownPods = Reads.await(pods.get(i)).stream()
                        .filter(p -> p.getMetadata().getOwnerReferences() != null && p.getMetadata().getOwnerReferences()
                                .stream().anyMatch(o -> rsUids.contains(o.getUid())))
                        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
                        .toList();
                workloads.add(new Workload(d, owned, ownPods));
            }
            return List.copyOf(workloads);
        }
    }

    List<Deployment> deployments(ClusterContext cluster, String namespace, boolean forceRefresh) {
        return cache.get(CacheKey.list(cluster.name(), CacheKind.DEPLOYMENTS, namespace), forceRefresh,
                () -> cluster.client().apps().deployments().inNamespace(namespace).list().getItems());
    }

    List<ReplicaSet> replicaSets(ClusterContext cluster, String namespace, boolean forceRefresh) {
        return cache.get(CacheKey.list(cluster.name(), CacheKind.REPLICASETS, namespace), forceRefresh,
                () -> cluster.client().apps().replicaSets().inNamespace(namespace).list().getItems());
    }

    List<Pod> pods(ClusterContext cluster, String namespace, Deployment d, boolean forceRefresh) {
        LabelSelector selector = d.getSpec() == null ? null : d.getSpec().getSelector();
        String text = selectorText(selector);
        if (text.isEmpty()) {
            return List.of(); // a Deployment without a selector selects nothing (the API server rejects it anyway)
        }
        return cache.get(CacheKey.list(cluster.name(), CacheKind.PODS, namespace).withLabelSelector(text), forceRefresh,
                () -> cluster.client().pods().inNamespace(namespace).withLabelSelector(selector).list().getItems());
    }

    List<Service> services(ClusterContext cluster, String namespace, boolean forceRefresh) {
        return cache.get(CacheKey.list(cluster.name(), CacheKind.SERVICES, namespace), forceRefresh,
                () -> cluster.client().services().inNamespace(namespace).list().getItems());
    }

    List<Event> events(ClusterContext cluster, String namespace, boolean forceRefresh) {
        return cache.get(CacheKey.list(cluster.name(), CacheKind.EVENTS, namespace), forceRefresh,
                () -> cluster.client().v1().events().inNamespace(namespace).list().getItems());
    }

    /**
     * @param selector a label selector
     * @return its canonical text ({@code a=b,c in (d,e),!f}), requirements sorted, so equal selectors make equal keys
     */
    static String selectorText(LabelSelector selector) {
        if (selector == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        if (selector.getMatchLabels() != null) {
            new TreeMap<>(selector.getMatchLabels()).forEach((k, v) -> parts.add(k + "=" + v));
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                List<String> values = r.getValues() == null ? List.of() : r.getValues().stream().sorted().toList();
                switch (String.valueOf(r.getOperator())) {
                    case "In" -> parts.add(r.getKey() + " in (" + String.join(",", values) + ")");
                    case "NotIn" -> parts.add(r.getKey() + " notin (" + String.join(",", values) + ")");
                    case "Exists" -> parts.add(r.getKey());
                    case "DoesNotExist" -> parts.add("!" + r.getKey());
                    default -> { }
                }
            }
        }
        return parts.stream().sorted().collect(Collectors.joining(","));
    }

    /**
     * @param selector a Service's selector
     * @param labels   a pod template's labels
     * @return whether the Service sends traffic to such pods
     */
    static boolean selects(Map<String, String> selector, Map<String, String> labels) {
        return selector != null && !selector.isEmpty() && labels != null
                && selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private static boolean ownedBy(List<OwnerReference> owners, String uid) {
        return owners != null && uid != null && owners.stream().anyMatch(o -> uid.equals(o.getUid()));
    }

    private static long revision(ReplicaSet rs) {
        Map<String, String> a = rs.getMetadata().getAnnotations();
        try {
            return a == null ? 0 : Long.parseLong(a.getOrDefault("deployment.kubernetes.io/revision", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Runs reads concurrently, as part of the request (they count for its cache outcome). */
    <T> List<T> all(List<Callable<T>> reads) {
        try (ExecutorService pool = cache.parallelReads()) {
            List<Future<T>> futures = reads.stream().map(pool::submit).toList();
            return futures.stream().map(Reads::await).toList();
        }
    }
}
