package io.cloudpilot.plugin.k8sresources;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.BytesLimitTerminateTimeTailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.Loggable;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;

/**
 * Every read of this plugin, through the shared cache, under the shared key convention of {@link CacheKey}: the
 * value under a key is the upstream answer itself ({@code List<Pod>} for kind {@code pods}). One instance per
 * request: it carries the cluster and the request's {@code force_refresh}.
 */
final class ClusterReads {

    /** The kinds this plugin caches, as {@link CacheKey} kinds: the SPI's shared ones and two of its own. */
    static final CacheKind NODES = CacheKind.NODES;
    static final CacheKind PODS = CacheKind.PODS;
    static final CacheKind POD_LOGS = CacheKind.POD_LOGS;
    static final CacheKind DEPLOYMENTS = CacheKind.DEPLOYMENTS;
    static final CacheKind REPLICASETS = CacheKind.REPLICASETS;
    static final CacheKind SERVICES = CacheKind.SERVICES;
    static final CacheKind ENDPOINTS = CacheKind.ENDPOINTS;
    static final CacheKind EVENTS = CacheKind.EVENTS;
    static final CacheKind HPAS = CacheKind.resource("autoscaling", "v2", "horizontalpodautoscalers");
    static final CacheKind NODE_METRICS = CacheKind.resource("metrics.k8s.io", "v1beta1", "nodes");

    private final ResourceCache cache;
    private final ClusterContext cluster;
    private final boolean forceRefresh;

    ClusterReads(ResourceCache cache, ClusterContext cluster, boolean forceRefresh) {
        this.cache = cache;
        this.cluster = cluster;
        this.forceRefresh = forceRefresh;
    }

    ClusterContext cluster() {
        return cluster;
    }

    String clusterName() {
        return cluster.name();
    }

    /** @return an executor for reads made in parallel, as part of the request (see ResourceCache.parallelReads) */
    ExecutorService parallel() {
        return cache.parallelReads();
    }

    private KubernetesClient client() {
        return cluster.client();
    }

    private <T> T get(CacheKey key, Supplier<T> loader) {
        return cache.get(key, forceRefresh, loader);
    }

    private static CacheKey listKey(String cluster, CacheKind kind, String namespace, String labelSelector,
                                    String fieldSelector) {
        return new CacheKey(cluster, kind, namespace, "", labelSelector, fieldSelector);
    }

    private static ListOptions options(String labelSelector, String fieldSelector) {
        return new ListOptionsBuilder().withLabelSelector(labelSelector).withFieldSelector(fieldSelector).build();
    }

    /**
     * Thrown inside the loader, so that an absent object is never cached: it may be created the next second (a 404
     * is an answer, not a failure, and does not count against the cluster's circuit).
     */
    private static <T> T found(T object, String notFound) {
        if (object == null) {
            throw new ApiException.NotFound(notFound);
        }
        return object;
    }

    List<Node> nodes(String labelSelector, String fieldSelector) {
        return get(listKey(clusterName(), NODES, "", labelSelector, fieldSelector),
                () -> client().nodes().list(options(labelSelector, fieldSelector)).getItems());
    }

    List<Node> nodes() {
        return nodes(null, null);
    }

    /** @throws ApiException.NotFound naming the node */
    Node node(String name) {
        return get(CacheKey.object(clusterName(), NODES, "", name), () -> found(client().nodes().withName(name).get(),
                "Node '" + name + "' does not exist in cluster '" + clusterName()
                        + "'; list the nodes with /k8s/resources/nodes/list."));
    }

    List<Pod> pods(String namespace, String labelSelector, String fieldSelector) {
        return get(listKey(clusterName(), PODS, namespace, labelSelector, fieldSelector), () -> namespace == null
                ? client().pods().inAnyNamespace().list(options(labelSelector, fieldSelector)).getItems()
                : client().pods().inNamespace(namespace).list(options(labelSelector, fieldSelector)).getItems());
    }

    List<Pod> pods(String namespace) {
        return pods(namespace, null, null);
    }

    /** @throws ApiException.NotFound naming the pod */
    Pod pod(String namespace, String name) {
        return get(CacheKey.object(clusterName(), PODS, namespace, name),
                () -> found(client().pods().inNamespace(namespace).withName(name).get(), "Pod '" + name
                        + "' does not exist in namespace '" + namespace + "' of cluster '" + clusterName() + "'."));
    }

    List<Deployment> deployments(String namespace, String labelSelector, String fieldSelector) {
        return get(listKey(clusterName(), DEPLOYMENTS, namespace, labelSelector, fieldSelector), () -> namespace == null
                ? client().apps().deployments().inAnyNamespace().list(options(labelSelector, fieldSelector)).getItems()
                : client().apps().deployments().inNamespace(namespace).list(options(labelSelector, fieldSelector))
                .getItems());
    }

    /** @throws ApiException.NotFound naming the deployment */
    Deployment deployment(String namespace, String name) {
        return get(CacheKey.object(clusterName(), DEPLOYMENTS, namespace, name),
                () -> found(client().apps().deployments().inNamespace(namespace).withName(name).get(), "Deployment '"
                        + name + "' does not exist in namespace '" + namespace + "' of cluster '" + clusterName() + "'."));
    }

    List<ReplicaSet> replicaSets(String namespace) {
        return get(CacheKey.list(clusterName(), REPLICASETS, namespace),
                () -> client().apps().replicaSets().inNamespace(namespace).list().getItems());
    }

    List<Service> services(String namespace, String labelSelector, String fieldSelector) {
        return get(listKey(clusterName(), SERVICES, namespace, labelSelector, fieldSelector), () -> namespace == null
                ? client().services().inAnyNamespace().list(options(labelSelector, fieldSelector)).getItems()
                : client().services().inNamespace(namespace).list(options(labelSelector, fieldSelector)).getItems());
    }

    /** @throws ApiException.NotFound naming the service */
    Service service(String namespace, String name) {
        return get(CacheKey.object(clusterName(), SERVICES, namespace, name),
                () -> found(client().services().inNamespace(namespace).withName(name).get(), "Service '" + name
                        + "' does not exist in namespace '" + namespace + "' of cluster '" + clusterName() + "'."));
    }

    /** The Endpoints of a namespace (all namespaces when null): one list, joined to services in memory. */
    List<Endpoints> endpoints(String namespace) {
        return get(CacheKey.list(clusterName(), ENDPOINTS, namespace), () -> namespace == null
                ? client().endpoints().inAnyNamespace().list().getItems()
                : client().endpoints().inNamespace(namespace).list().getItems());
    }

    /** Core v1 events of a namespace, or of all namespaces when null. */
    List<Event> events(String namespace) {
        return events(namespace, null, null);
    }

    /** Core v1 events of a namespace (all when null), filtered upstream by the selectors. */
    List<Event> events(String namespace, String labelSelector, String fieldSelector) {
        return get(listKey(clusterName(), EVENTS, namespace, labelSelector, fieldSelector), () -> namespace == null
                ? client().v1().events().inAnyNamespace().list(options(labelSelector, fieldSelector)).getItems()
                : client().v1().events().inNamespace(namespace).list(options(labelSelector, fieldSelector)).getItems());
    }

    List<HorizontalPodAutoscaler> hpas(String namespace) {
        return get(CacheKey.list(clusterName(), HPAS, namespace),
                () -> client().autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).list().getItems());
    }

    /** Whether the cluster serves the resource metrics API (discovery, cached per cluster by the platform). */
    boolean servesMetrics() {
        return !cluster.servedVersions("metrics.k8s.io").isEmpty();
    }

    List<NodeMetrics> nodeMetrics() {
        return get(CacheKey.list(clusterName(), NODE_METRICS, ""), () -> client().top().nodes().metrics().getItems());
    }

    /**
     * One container's log. The options are part of the key (as a field-selector-like string), so different tails
     * never share an entry.
     */
    String log(String namespace, String pod, String container, Integer lines, Long sinceSeconds, boolean previous,
               boolean timestamps) {
        String options = "tailLines=" + lines + ",sinceSeconds=" + sinceSeconds + ",previous=" + previous
                + ",timestamps=" + timestamps;
        return get(new CacheKey(clusterName(), POD_LOGS, namespace, pod + "/" + container, "", options), () -> {
            ContainerResource c = client().pods().inNamespace(namespace).withName(pod).inContainer(container);
            BytesLimitTerminateTimeTailPrettyLoggable stamped = timestamps ? c.usingTimestamps() : c;
            TimeTailPrettyLoggable instance = previous ? stamped.terminated() : stamped;
            TailPrettyLoggable since = sinceSeconds == null ? instance
                    : instance.sinceSeconds((int) Math.min(sinceSeconds, Integer.MAX_VALUE));
            Loggable tail = lines == null ? since : since.tailingLines(lines);
            String text = tail.getLog();
            return text == null ? "" : text;
        });
    }
}
