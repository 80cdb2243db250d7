package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.plugin.toolkit.Quantities;
import io.cloudpilot.plugin.toolkit.Reads;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.ListOptions;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Namespace;

/**
 * Counts and sums of one cluster, read concurrently through the shared cache. A list the cluster refuses (RBAC)
 * or fails to serve is named in {@code unavailable} and its numbers are null, never zero; an unreachable
 * cluster is an error (503), never an empty overview.
 */
final class ClusterOverview {

    private static final ListOptions ONE = new ListOptionsBuilder().withLimit(1L).build();

    private final Derived<Overview> computed = new Derived<>(16, Duration.ofHours(1));

    private final ResourceCache cache;

    ClusterOverview(ResourceCache cache) {
        this.cache = cache;
    }

    Overview read(ClusterContext cluster, boolean forceRefresh) {
        String name = cluster.name();
        var client = cluster.client();
        try (ExecutorService pool = cache.parallelReads()) {
            Future<List<Node>> nodes = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.NODES, ""), forceRefresh,
                    () -> client.nodes().list().getItems()));
            Future<List<Pod>> pods = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.PODS, ""), forceRefresh,
                    () -> client.pods().inAnyNamespace().list().getItems()));
            Future<List<Deployment>> deployments = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.DEPLOYMENTS, ""),
                    forceRefresh, () -> client.apps().deployments().inAnyNamespace().list().getItems()));
            Future<List<Service>> services = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.SERVICES, ""),
                    forceRefresh, () -> client.services().inAnyNamespace().list().getItems()));
            Future<List<Namespace>> namespaces = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.NAMESPACES, ""),
                    forceRefresh, () -> client.namespaces().list().getItems()));
            // counted with limit=1 and remainingItemCount: neither their data nor their number crosses the wire
            Future<Long> configmaps = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.of("count/configmaps"), ""),
                    forceRefresh, () -> count(client.configMaps().inAnyNamespace().list(ONE))));
            Future<Long> secrets = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.of("count/secrets"), ""),
                    forceRefresh, () -> count(client.secrets().inAnyNamespace().list(ONE))));

            List<Unavailable> unavailable = new ArrayList<>();
            Function<String, Consumer<ApiException>> missing =
                    kind -> e -> unavailable.add(new Unavailable(kind, e.errorType(), e.getMessage()));
            List<Node> nodeList = Reads.awaitOrNull(nodes, missing.apply("nodes"));
            List<Pod> podList = Reads.awaitOrNull(pods, missing.apply("pods"));
            List<Deployment> deploymentList = Reads.awaitOrNull(deployments, missing.apply("deployments"));
            List<Service> serviceList = Reads.awaitOrNull(services, missing.apply("services"));
            List<Namespace> namespaceList = Reads.awaitOrNull(namespaces, missing.apply("namespaces"));
            Long configmapCount = Reads.awaitOrNull(configmaps, missing.apply("configmaps"));
            Long secretCount = Reads.awaitOrNull(secrets, missing.apply("secrets"));

            Supplier<Overview> compute = () -> new Overview(name,
                    nodeCounts(nodeList),
                    new Workloads(podCounts(podList), size(deploymentList)),
                    new DiscoveryCounts(size(serviceList)),
                    new ConfigCounts(configmapCount == null ? null : configmapCount.intValue(),
                            secretCount == null ? null : secretCount.intValue(), size(namespaceList)),
                    resources(podList, nodeList),
                    List.copyOf(unavailable),
                    null);
            // the sums over every pod are computed once per set of cached lists, not per request
            Overview overview = unavailable.isEmpty()
                    ? computed.get(Arrays.asList(nodeList, podList, deploymentList, serviceList, namespaceList,
                    configmapCount, secretCount), name, compute)
                    : compute.get();
            // when its lists were read from the cluster (what Age counts from), not when it was served
            return overview.readAt(cache.readAt().map(Instant::toString).orElse(null));
        }
    }

    private static long count(KubernetesResourceList<?> list) {
        ListMeta meta = list.getMetadata();
        long remaining = meta == null || meta.getRemainingItemCount() == null ? 0 : meta.getRemainingItemCount();
        return list.getItems().size() + remaining;
    }

    private static Integer size(List<?> list) {
        return list == null ? null : list.size();
    }

    private static NodeCounts nodeCounts(List<Node> nodes) {
        if (nodes == null) {
            return new NodeCounts(null, null, null);
        }
        int ready = (int) nodes.stream().filter(n -> NodeReadiness.of(n).equals(NodeReadiness.READY)).count();
        return new NodeCounts(nodes.size(), ready, nodes.size() - ready);
    }

    private static PodCounts podCounts(List<Pod> pods) {
        if (pods == null) {
            return new PodCounts(null, null, null, null, null, null);
        }
        int running = 0, pending = 0, failed = 0, succeeded = 0, unknown = 0;
        for (Pod p : pods) {
            String phase = p.getStatus() == null || p.getStatus().getPhase() == null
                    ? "unknown" : p.getStatus().getPhase().toLowerCase(Locale.ROOT);
            switch (phase) {
                case "running" -> running++;
                case "pending" -> pending++;
                case "failed" -> failed++;
                case "succeeded" -> succeeded++;
                default -> unknown++;
            }
        }
        return new PodCounts(pods.size(), running, pending, failed, succeeded, unknown);
    }

    private static ResourceTotals resources(List<Pod> pods, List<Node> nodes) {
        if (pods == null) {
            return null;
        }
        PodResources sum = PodResources.ZERO;
        for (Pod p : pods) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            // finished pods hold nothing on their node
            if (!"Succeeded".equals(phase) && !"Failed".equals(phase)) {
                sum = sum.plus(PodResources.of(p));
            }
        }
        BigDecimal cpuAllocatable = null;
        BigDecimal memAllocatable = null;
        if (nodes != null) {
            cpuAllocatable = BigDecimal.ZERO;
            memAllocatable = BigDecimal.ZERO;
            for (Node n : nodes) {
                if (n.getStatus() != null && n.getStatus().getAllocatable() != null) {
                    cpuAllocatable = cpuAllocatable.add(Quantities.amount(n.getStatus().getAllocatable().get("cpu")));
                    memAllocatable = memAllocatable.add(Quantities.amount(n.getStatus().getAllocatable().get("memory")));
                }
            }
        }
        return new ResourceTotals(cores(sum.cpuRequests()), cores(sum.cpuLimits()),
                sum.memoryRequests().setScale(0, RoundingMode.CEILING).longValueExact(),
                sum.memoryLimits().setScale(0, RoundingMode.CEILING).longValueExact(),
                cpuAllocatable == null ? null : cores(cpuAllocatable),
                memAllocatable == null ? null : memAllocatable.setScale(0, RoundingMode.FLOOR).longValueExact(),
                percent(sum.cpuRequests(), cpuAllocatable), percent(sum.memoryRequests(), memAllocatable));
    }

    private static double cores(BigDecimal v) {
        return v.setScale(3, RoundingMode.HALF_UP).doubleValue();
    }

    private static Double percent(BigDecimal part, BigDecimal whole) {
        if (whole == null || whole.signum() == 0) {
            return null;
        }
        return part.multiply(BigDecimal.valueOf(100)).divide(whole, 1, RoundingMode.HALF_UP).doubleValue();
    }

    /**
     * The overview of one cluster.
     *
     * @param clusterName the cluster
     * @param nodes       node counts
     * @param workloads   pod and deployment counts
     * @param discovery   service count
     * @param configs     configmap, secret and namespace counts
     * @param resources   CPU and memory reserved by pods that are not finished, and what the nodes offer
     * @param unavailable lists the cluster refused or failed to serve: their numbers are null
     * @param readAt      when its data was read from the cluster (ISO-8601 UTC): the oldest of its lists, as {@code Age}
     */
    public record Overview(String clusterName, NodeCounts nodes, Workloads workloads, DiscoveryCounts discovery,
                    ConfigCounts configs, ResourceTotals resources, List<Unavailable> unavailable, String readAt) {

        Overview readAt(String time) {
            return new Overview(clusterName, nodes, workloads, discovery, configs, resources, unavailable, time);
        }
    }

    /**
     * @param total all nodes
     * @param ready Ready nodes
     * @param notReady NotReady or Unknown nodes
     */
    public record NodeCounts(Integer total, Integer ready, Integer notReady) {
    }

    /**
     * @param pods pods by phase
     * @param deployments number of Deployments
     */
    public record Workloads(PodCounts pods, Integer deployments) {
    }

    /**
     * Pods by phase.
     *
     * @param total     all pods
     * @param running   phase Running
     * @param pending   phase Pending
     * @param failed    phase Failed
     * @param succeeded phase Succeeded
     * @param unknown   phase Unknown or missing
     */
    public record PodCounts(Integer total, Integer running, Integer pending, Integer failed, Integer succeeded,
                     Integer unknown) {
    }

    /** @param services number of Services */
    public record DiscoveryCounts(Integer services) {
    }

    /**
     * @param configmaps ConfigMaps
     * @param secrets Secrets
     * @param namespaces Namespaces
     */
    public record ConfigCounts(Integer configmaps, Integer secrets, Integer namespaces) {
    }

    /**
     * CPU in cores, memory in bytes.
     *
     * @param cpuRequestsCores          requested by pods that are not finished (effective pod requests)
     * @param cpuLimitsCores            limited
     * @param memoryRequestsBytes       requested
     * @param memoryLimitsBytes         limited
     * @param cpuAllocatableCores       what all nodes offer to pods
     * @param memoryAllocatableBytes    what all nodes offer to pods
     * @param cpuRequestsPercent        requests as a share of allocatable
     * @param memoryRequestsPercent     requests as a share of allocatable
     */
    public record ResourceTotals(double cpuRequestsCores, double cpuLimitsCores, long memoryRequestsBytes,
                          long memoryLimitsBytes, Double cpuAllocatableCores, Long memoryAllocatableBytes,
                          Double cpuRequestsPercent, Double memoryRequestsPercent) {
    }

    /**
     * A list the overview could not read.
     *
     * @param kind      e.g. secrets
     * @param errorType e.g. Forbidden
     * @param reason    the cluster's answer
     */
    public record Unavailable(String kind, String errorType, String reason) {
    }
}
