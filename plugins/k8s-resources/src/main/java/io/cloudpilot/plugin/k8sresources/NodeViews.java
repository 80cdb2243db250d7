package io.cloudpilot.plugin.k8sresources;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.plugin.toolkit.Health;
import io.cloudpilot.plugin.toolkit.Health.Finding;
import io.cloudpilot.spi.Severity;
import io.cloudpilot.plugin.toolkit.ListQuery;
import io.cloudpilot.plugin.toolkit.Quantities;
import io.cloudpilot.plugin.toolkit.Reads;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Nodes as an operator reads them: list items, details with allocation, live usage and health, and capacity.
 * Pods are joined in memory from one all-namespaces pod list, never read per node.
 */
final class NodeViews {

    static final Map<String, Function<NodeSummary, ? extends Comparable<?>>> SORT_KEYS = Map.of(
            "name", NodeSummary::name, "status", NodeSummary::status, "age", ListQuery.byAge(NodeSummary::createdAt),
            "created_at", ListQuery.byCreation(NodeSummary::createdAt),
            "kubelet_version", NodeSummary::kubeletVersion, "internal_ip", NodeSummary::internalIp);

    private final ClusterReads reads;
    private final Memos memos;
    private final Instant now = Instant.now();
    private List<NodeMetrics> requestMetrics;
    private Map<String, NodeMetrics> metricsByNode;

    /**
     * The views of nodes memoised across requests (the plugin's, {@link Views}), per set of cached answers.
     *
     * @param capacities     every node's capacity, by name
     * @param capacityOrders the capacity list in each order asked for
     * @param sortedNodes    node summaries in each order asked for: a page is a sublist
     * @param podsByNode     the pods of each node: a node's detail is a lookup, not a pass over every pod
     * @param metricsByNode  the node metrics by node name: a node's usage is a lookup too
     */
    record Memos(Derived<Capacities> capacities, Derived<List<NodeCapacity>> capacityOrders,
                 Derived<List<NodeSummary>> sortedNodes, Derived<Map<String, List<Pod>>> podsByNode,
                 Derived<Map<String, NodeMetrics>> metricsByNode) {
    }

    /**
     * @param reads the request's reads of one cluster
     * @param memos the plugin's memos
     */
    NodeViews(ClusterReads reads, Memos memos) {
        this.reads = reads;
        this.memos = memos;
    }

    NodeList list(ListQuery query) {
        List<Node> nodes = reads.nodes(query.labelSelector(), query.fieldSelector());
        List<NodeSummary> sorted = memos.sortedNodes().get(List.of(nodes), Arrays.asList(reads.clusterName(),
                        query.labelSelector(), query.fieldSelector(), query.sortVariant()),
                () -> query.sort(nodes.stream().map(this::summary).toList(), SORT_KEYS, "name"));
        ListQuery.Page<NodeSummary> page = query.page(sorted);
        // ages move with the clock, not with the cached list
        List<NodeSummary> items = page.items().stream().map(n -> n.aged(now)).toList();
        return new NodeList(reads.clusterName(), null, items, page.count(), page.total(), page.page(),
                page.pageSize());
    }

    NodeDetail detail(String name) {
        Node node = reads.node(name);
        List<Pod> pods = podsByNode().getOrDefault(name, List.of());
        NodeResources resources = resources(node);
        Allocation allocated = allocation(node, pods);
        UsageOrReason usage = usage(node);
        List<NodePod> podViews = pods.stream()
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getNamespace())
                        .thenComparing(p -> p.getMetadata().getName()))
                .map(p -> {
                    PodResources r = PodResources.of(p);
                    return new NodePod(p.getMetadata().getNamespace(), p.getMetadata().getName(), PodStatus.display(p),
                            Metadata.cores(r.cpuRequests()), Metadata.bytes(r.memoryRequests()),
                            r.cpuLimitCores(), r.memoryLimitBytes());
                }).toList();
        NodeSummary s = summary(node);
        NodeSystemInfo info = node.getStatus() == null ? null : node.getStatus().getNodeInfo();
        return new NodeDetail(reads.clusterName(), s.name(), node.getMetadata().getUid(), s.status(), s.roles(), s.age(),
                s.createdAt(), s.unschedulable(), s.taints(), addresses(node), conditions(node),
                info == null ? null : systemInfo(info), s.capacity(), s.allocatable(), resources, allocated,
                usage.usage(), usage.reason(), podViews, s.labels(), Metadata.annotations(node),
                health(node, allocated, usage.usage()));
    }

    /** Sort keys of the capacity list. */
    static final Map<String, Function<NodeCapacity, ? extends Comparable<?>>> CAPACITY_SORT_KEYS = Map.of(
            "name", NodeCapacity::nodeName, "node_name", NodeCapacity::nodeName, "status", NodeCapacity::status,
            "pod_count", c -> c.allocated().podCount(),
            "cpu_requests_percent", c -> c.allocated().cpuRequestsPercent(),
            "memory_requests_percent", c -> c.allocated().memoryRequestsPercent(),
            "cpu_limits_percent", c -> c.allocated().cpuLimitsPercent(),
            "memory_limits_percent", c -> c.allocated().memoryLimitsPercent());

    /** Every node's capacity, in name order and by name. */
    record Capacities(List<NodeCapacity> byName, Map<String, NodeCapacity> index) {
    }

    CapacityList capacity(String nodeName, ListQuery query) {
        // the three reads at once: cold, each is a full list and the pod list dominates (20 s one after another at
        // 30k pods and 1,000 nodes on the sandbox)
        boolean servesMetrics = reads.servesMetrics();
        Future<List<Pod>> podsRead;
        Future<List<NodeMetrics>> metricsFuture;
        List<Node> nodes;
        List<Pod> pods;
        try (ExecutorService pool = reads.parallel()) {
            podsRead = pool.submit(() -> reads.pods(null));
            metricsFuture = servesMetrics ? pool.submit(reads::nodeMetrics) : null;
            nodes = reads.nodes();
            pods = Reads.await(podsRead);
        }
        List<NodeMetrics> metrics = null;
        boolean metricsRead = true;
        if (servesMetrics) {
            try {
                metrics = Reads.await(metricsFuture);
                requestMetrics = metrics; // indexed by name only if the capacities are computed, not per warm page
            } catch (ApiException.ClusterUnavailable | ApiException.ClusterTimeout e) {
                throw e;
            } catch (ApiException e) {
                metricsRead = false; // usage() says why; nothing to memoise
            }
        }
        Capacities all = metricsRead
                ? memos.capacities().get(Arrays.asList(nodes, pods, metrics), reads.clusterName(), () -> capacities(nodes, pods))
                : capacities(nodes, pods);
        if (nodeName != null) {
            NodeCapacity one = all.index().get(nodeName);
            if (one == null) {
                throw new ApiException.NotFound("Node '" + nodeName + "' does not exist in cluster '"
                        + reads.clusterName() + "'; list the nodes with /k8s/resources/nodes/list.");
            }
            return new CapacityList(reads.clusterName(), nodeName, List.of(one), 1, 1, 1, 1);
        }
        List<NodeCapacity> sorted = query.sortBy() == null && !query.descending() ? all.byName()
                : memos.capacityOrders().get(List.of(all.byName()), Arrays.asList(reads.clusterName(), query.sortVariant()),
                        () -> query.sort(all.byName(), CAPACITY_SORT_KEYS, "name"));
        ListQuery.Page<NodeCapacity> page = query.page(sorted);
        return new CapacityList(reads.clusterName(), null, page.items(), page.count(), page.total(), page.page(),
                page.pageSize());
    }

    private Capacities capacities(List<Node> nodes, List<Pod> pods) {
        Map<String, List<Pod>> byNode = podsByNode(pods);
        List<NodeCapacity> out = new ArrayList<>();
        Map<String, NodeCapacity> index = new HashMap<>();
        for (Node n : nodes.stream().sorted(Comparator.comparing(n -> n.getMetadata().getName())).toList()) {
            String name = n.getMetadata().getName();
            UsageOrReason usage = usage(n);
            var status = n.getStatus();
            NodeCapacity c = new NodeCapacity(name, NodeReadiness.of(n),
                    Metadata.raw(status == null ? null : status.getCapacity()),
                    Metadata.raw(status == null ? null : status.getAllocatable()), resources(n),
                    allocation(n, byNode.getOrDefault(name, List.of())), usage.usage(), usage.reason());
            out.add(c);
            index.put(name, c);
        }
        return new Capacities(List.copyOf(out), Map.copyOf(index));
    }

    private Map<String, List<Pod>> podsByNode() {
        List<Pod> pods = reads.pods(null);
        return memos.podsByNode().get(List.of(pods), reads.clusterName(), () -> podsByNode(pods));
    }

    private static Map<String, List<Pod>> podsByNode(List<Pod> pods) {
        return pods.stream()
                .filter(p -> p.getSpec() != null && p.getSpec().getNodeName() != null)
                .collect(Collectors.groupingBy(p -> p.getSpec().getNodeName()));
    }

    NodeSummary summary(Node n) {
        var status = n.getStatus();
        NodeSystemInfo info = status == null ? null : status.getNodeInfo();
        return new NodeSummary(n.getMetadata().getName(), NodeReadiness.of(n), roles(n), Metadata.age(n, now),
                Metadata.created(n), info == null ? null : info.getKubeletVersion(), address(n, "InternalIP"),
                address(n, "ExternalIP"), info == null ? null : info.getOsImage(),
                info == null ? null : info.getKernelVersion(), info == null ? null : info.getContainerRuntimeVersion(),
                info == null ? null : info.getArchitecture(),
                n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()), taints(n),
                Metadata.raw(status == null ? null : status.getCapacity()),
                Metadata.raw(status == null ? null : status.getAllocatable()),
                Metadata.cores(Metadata.amount(status == null ? null : status.getAllocatable(), "cpu")),
                Metadata.bytes(Metadata.amount(status == null ? null : status.getAllocatable(), "memory")),
                Metadata.labels(n));
    }

    static List<String> roles(Node n) {
        List<String> roles = new ArrayList<>();
        Metadata.labels(n).forEach((k, v) -> {
            if (k.startsWith("node-role.kubernetes.io/") && k.length() > "node-role.kubernetes.io/".length()) {
                roles.add(k.substring("node-role.kubernetes.io/".length()));
            }
        });
        if (roles.isEmpty() && Metadata.labels(n).get("kubernetes.io/role") != null) {
            roles.add(Metadata.labels(n).get("kubernetes.io/role"));
        }
        if (roles.isEmpty()) {
            roles.add("worker");
        }
        return roles;
    }

    private static String address(Node n, String type) {
        if (n.getStatus() == null) {
            return null;
        }
        return Metadata.orEmpty(n.getStatus().getAddresses()).stream().filter(a -> type.equals(a.getType()))
                .map(NodeAddress::getAddress).findFirst().orElse(null);
    }

    private static List<TaintView> taints(Node n) {
        return n.getSpec() == null ? List.of() : Metadata.orEmpty(n.getSpec().getTaints()).stream()
                .map((Taint t) -> new TaintView(t.getKey(), t.getValue(), t.getEffect(), t.getTimeAdded())).toList();
    }

    private static List<AddressView> addresses(Node n) {
        return n.getStatus() == null ? List.of() : Metadata.orEmpty(n.getStatus().getAddresses()).stream()
                .map(a -> new AddressView(a.getType(), a.getAddress())).toList();
    }

    private static List<NodeConditionView> conditions(Node n) {
        return n.getStatus() == null ? List.of() : Metadata.orEmpty(n.getStatus().getConditions()).stream()
                .map(c -> new NodeConditionView(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                        c.getLastHeartbeatTime(), c.getLastTransitionTime())).toList();
    }

    private static Map<String, String> systemInfo(NodeSystemInfo i) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("machine_id", i.getMachineID());
        m.put("system_uuid", i.getSystemUUID());
        m.put("boot_id", i.getBootID());
        m.put("kernel_version", i.getKernelVersion());
        m.put("os_image", i.getOsImage());
        m.put("container_runtime_version", i.getContainerRuntimeVersion());
        m.put("kubelet_version", i.getKubeletVersion());
        m.put("kube_proxy_version", i.getKubeProxyVersion());
        m.put("operating_system", i.getOperatingSystem());
        m.put("architecture", i.getArchitecture());
        return m;
    }

    static NodeResources resources(Node n) {
        var cap = n.getStatus() == null ? null : n.getStatus().getCapacity();
        var alloc = n.getStatus() == null ? null : n.getStatus().getAllocatable();
        BigDecimal podsCap = Metadata.amount(cap, "pods");
        BigDecimal podsAlloc = Metadata.amount(alloc, "pods");
        return new NodeResources(Metadata.cores(Metadata.amount(cap, "cpu")), Metadata.cores(Metadata.amount(alloc, "cpu")),
                Metadata.bytes(Metadata.amount(cap, "memory")), Metadata.bytes(Metadata.amount(alloc, "memory")),
                podsCap == null ? null : podsCap.intValue(), podsAlloc == null ? null : podsAlloc.intValue());
    }

    /** What the node's non-terminated pods reserve, against allocatable (as kubectl describe node shows it). */
    static Allocation allocation(Node n, List<Pod> podsOnNode) {
        PodResources sum = PodResources.ZERO;
        int count = 0;
        for (Pod p : podsOnNode) {
            String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
            if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
                continue;
            }
            count++;
            sum = sum.plus(PodResources.of(p));
        }
        var alloc = n.getStatus() == null ? null : n.getStatus().getAllocatable();
        BigDecimal cpu = Metadata.amount(alloc, "cpu");
        BigDecimal mem = Metadata.amount(alloc, "memory");
        BigDecimal pods = Metadata.amount(alloc, "pods");
        if (pods == null && n.getStatus() != null) {
            pods = Metadata.amount(n.getStatus().getCapacity(), "pods");
        }
        return new Allocation(count, Metadata.cores(sum.cpuRequests()), Metadata.cores(sum.cpuLimits()),
                Metadata.bytes(sum.memoryRequests()), Metadata.bytes(sum.memoryLimits()),
                Metadata.percent(sum.cpuRequests(), cpu), Metadata.percent(sum.cpuLimits(), cpu),
                Metadata.percent(sum.memoryRequests(), mem), Metadata.percent(sum.memoryLimits(), mem),
                Metadata.percent(BigDecimal.valueOf(count), pods));
    }

    /**
     * The node metrics of this request, read once however many nodes it shows: with force_refresh, a read per node
     * would be one upstream call per node.
     */
    private Map<String, NodeMetrics> metricsByNode() {
        if (metricsByNode == null) {
            List<NodeMetrics> metrics = requestMetrics != null ? requestMetrics : reads.nodeMetrics();
            metricsByNode = memos.metricsByNode().get(List.of(metrics), reads.clusterName(), () -> byName(metrics));
        }
        return metricsByNode;
    }

    private static Map<String, NodeMetrics> byName(List<NodeMetrics> metrics) {
        Map<String, NodeMetrics> byName = new HashMap<>();
        for (NodeMetrics m : metrics) {
            byName.putIfAbsent(m.getMetadata().getName(), m);
        }
        return byName;
    }

    private UsageOrReason usage(Node n) {
        if (!reads.servesMetrics()) {
            return new UsageOrReason(null, "The cluster does not serve metrics.k8s.io (install metrics-server to see "
                    + "live usage).");
        }
        Map<String, NodeMetrics> metrics;
        try {
            metrics = metricsByNode();
        } catch (ApiException.ClusterUnavailable | ApiException.ClusterTimeout e) {
            throw e;
        } catch (ApiException e) {
            return new UsageOrReason(null, "metrics.k8s.io could not be read: " + e.getMessage());
        }
        NodeMetrics m = metrics.get(n.getMetadata().getName());
        if (m == null || m.getUsage() == null) {
            return new UsageOrReason(null, "metrics.k8s.io has no sample for this node: its kubelet is not reporting"
                    + " (the node is " + NodeReadiness.of(n) + ").");
        }
        BigDecimal cpu = Quantities.amount(m.getUsage().get("cpu"));
        BigDecimal mem = Quantities.amount(m.getUsage().get("memory"));
        var alloc = n.getStatus() == null ? null : n.getStatus().getAllocatable();
        return new UsageOrReason(new Usage(Metadata.cores(cpu), Metadata.bytes(mem),
                Metadata.percent(cpu, Metadata.amount(alloc, "cpu")), Metadata.percent(mem, Metadata.amount(alloc, "memory")),
                m.getTimestamp(), m.getWindow() == null || m.getWindow().getDuration() == null ? null
                        : m.getWindow().getDuration().toString()), null);
    }

    /** The node health rules; see docs/health-rules.md. */
    static Health health(Node n, Allocation allocated, Usage usage) {
        List<Finding> findings = new ArrayList<>();
        for (NodeCondition c : n.getStatus() == null ? List.<NodeCondition>of()
                : Metadata.orEmpty(n.getStatus().getConditions())) {
            String since = c.getLastTransitionTime() == null ? "" : " since " + c.getLastTransitionTime();
            String why = c.getMessage() == null ? (c.getReason() == null ? "" : " (" + c.getReason() + ")")
                    : " (" + c.getReason() + ": " + c.getMessage() + ")";
            switch (c.getType()) {
                case "Ready" -> {
                    // scored below from NodeReadiness, which also covers a node without a Ready condition
                }
                case "MemoryPressure" -> pressure(findings, c, "MemoryPressure",
                        "The kubelet reports memory pressure" + since + why + "; it may evict pods.", 25);
                case "DiskPressure" -> pressure(findings, c, "DiskPressure",
                        "The kubelet reports disk pressure" + since + why + "; it may evict pods.", 25);
                case "PIDPressure" -> pressure(findings, c, "PIDPressure",
                        "The kubelet reports PID pressure" + since + why + ".", 20);
                case "NetworkUnavailable" -> {
                    if ("True".equals(c.getStatus())) {
                        findings.add(new Finding("NetworkUnavailable", Severity.CRITICAL,
                                "The node's network is not configured" + since + why + ".", 40));
                    }
                }
                default -> {
                }
            }
        }
        String readiness = NodeReadiness.of(n);
        if (!NodeReadiness.READY.equals(readiness)) {
            NodeCondition ready = n.getStatus() == null ? null : Metadata.orEmpty(n.getStatus().getConditions()).stream()
                    .filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
            String detail = ready == null ? " (it reports no Ready condition)"
                    : (ready.getLastTransitionTime() == null ? "" : " since " + ready.getLastTransitionTime())
                    + (ready.getReason() == null ? "" : " (" + ready.getReason()
                    + (ready.getMessage() == null ? "" : ": " + ready.getMessage()) + ")");
            findings.add(new Finding("NodeNotReady", Severity.CRITICAL, "The node is "
                    + (NodeReadiness.NOT_READY.equals(readiness) ? "NotReady" : "in an Unknown state") + detail
                    + "; its pods are not served.", 50));
        }
        if (n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
            findings.add(new Finding("NodeUnschedulable", Severity.WARNING,
                    "The node is cordoned (spec.unschedulable): no new pods are scheduled on it.", 15));
        }
        if (allocated.cpuRequestsPercent() != null && allocated.cpuRequestsPercent() > 90) {
            findings.add(new Finding("CpuOvercommitted", Severity.WARNING, "Pods request " + allocated.cpuRequestsPercent()
                    + "% of the node's allocatable CPU; new pods may not fit.", 10));
        }
        if (allocated.memoryRequestsPercent() != null && allocated.memoryRequestsPercent() > 90) {
            findings.add(new Finding("MemoryOvercommitted", Severity.WARNING, "Pods request "
                    + allocated.memoryRequestsPercent() + "% of the node's allocatable memory; new pods may not fit.", 10));
        }
        if (usage != null && usage.memoryPercent() != null && usage.memoryPercent() > 90) {
            findings.add(new Finding("HighMemoryUsage", Severity.WARNING, "Live memory usage is " + usage.memoryPercent()
                    + "% of allocatable.", 10));
        }
        if (usage != null && usage.cpuPercent() != null && usage.cpuPercent() > 90) {
            findings.add(new Finding("HighCpuUsage", Severity.WARNING, "Live CPU usage is " + usage.cpuPercent()
                    + "% of allocatable.", 10));
        }
        return Health.of(findings);
    }

    private static void pressure(List<Finding> findings, NodeCondition c, String code, String message, int deduction) {
        if ("True".equals(c.getStatus())) {
            findings.add(new Finding(code, Severity.WARNING, message, deduction));
        }
    }

    private record UsageOrReason(Usage usage, String reason) {
    }

    /**
     * The nodes list.
     *
     * @param clusterName the cluster
     * @param namespace   always null: nodes are cluster-scoped
     * @param nodes       the page
     * @param count       items in the page
     * @param total       nodes matching
     * @param page        the page
     * @param pageSize    the page size
     */
    public record NodeList(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "always null: nodes are cluster-scoped") String namespace,
            @Schema(description = "the page") List<NodeSummary> nodes,
            @Schema(description = "items in the page") int count,
            @Schema(description = "nodes matching") int total,
            @Schema(description = "the page") int page,
            @Schema(description = "the page size") int pageSize) {
    }

    /**
     * One node in a list.
     *
     * @param name                   node name
     * @param status                 Ready, NotReady or Unknown (the Ready condition)
     * @param roles                  from node-role.kubernetes.io/* labels, else kubernetes.io/role, else worker
     * @param age                    e.g. 3d
     * @param createdAt              creationTimestamp
     * @param kubeletVersion         e.g. v1.30.2
     * @param internalIp             first InternalIP address
     * @param externalIp             first ExternalIP address, or null
     * @param osImage                e.g. Ubuntu 22.04.4 LTS
     * @param kernelVersion          kernel
     * @param containerRuntime       e.g. containerd://1.7.18
     * @param architecture           e.g. amd64
     * @param unschedulable          cordoned
     * @param taints                 the taints
     * @param capacity               raw capacity quantities
     * @param allocatable            raw allocatable quantities
     * @param cpuAllocatableCores    allocatable CPU in cores
     * @param memoryAllocatableBytes allocatable memory in bytes
     * @param labels                 labels
     */
    public record NodeSummary(
            @Schema(description = "node name") String name,
            @Schema(description = "Ready, NotReady or Unknown (the Ready condition)") String status,
            @Schema(description = "from node-role.kubernetes.io/* labels, else kubernetes.io/role, else worker") List<String> roles,
            @Schema(description = "e.g. 3d") String age,
            @Schema(description = "creationTimestamp") String createdAt,
            @Schema(description = "e.g. v1.30.2") String kubeletVersion,
            @Schema(description = "first InternalIP address") String internalIp,
            @Schema(description = "first ExternalIP address, or null") String externalIp,
            @Schema(description = "e.g. Ubuntu 22.04.4 LTS") String osImage,
            @Schema(description = "kernel") String kernelVersion,
            @Schema(description = "e.g. containerd://1.7.18") String containerRuntime,
            @Schema(description = "e.g. amd64") String architecture,
            @Schema(description = "cordoned") boolean unschedulable,
            @Schema(description = "the taints") List<TaintView> taints,
            @Schema(description = "raw capacity quantities") Map<String, String> capacity,
            @Schema(description = "raw allocatable quantities") Map<String, String> allocatable,
            @Schema(description = "allocatable CPU in cores") Double cpuAllocatableCores,
            @Schema(description = "allocatable memory in bytes") Long memoryAllocatableBytes,
            @Schema(description = "labels") Map<String, String> labels) {

        /** @param now the current time @return this summary with its age at {@code now} */
        NodeSummary aged(Instant now) {
            return new NodeSummary(name, status, roles, Ages.format(createdAt, now), createdAt, kubeletVersion,
                    internalIp, externalIp, osImage, kernelVersion, containerRuntime, architecture, unschedulable,
                    taints, capacity, allocatable, cpuAllocatableCores, memoryAllocatableBytes, labels);
        }
    }

    /**
     * A node in detail.
     *
     * @param clusterName            the cluster
     * @param name                   node name
     * @param uid                    uid
     * @param status                 Ready, NotReady or Unknown
     * @param roles                  roles
     * @param age                    age
     * @param createdAt              creationTimestamp
     * @param unschedulable          cordoned
     * @param taints                 taints with the time they were added
     * @param addresses              addresses
     * @param conditions             conditions with heartbeat and transition times
     * @param systemInfo             kubelet, runtime, OS, kernel, architecture, ids
     * @param capacity               raw capacity
     * @param allocatable            raw allocatable
     * @param resources              capacity and allocatable in cores and bytes
     * @param allocated              requests and limits of its non-terminated pods, and their share of allocatable
     * @param usage                  live usage from metrics.k8s.io, or null
     * @param usageUnavailableReason why usage is null
     * @param pods                   every pod bound to the node, any phase
     * @param labels                 labels
     * @param annotations            annotations
     * @param health                 score, status and findings
     */
    public record NodeDetail(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "node name") String name,
            @Schema(description = "uid") String uid,
            @Schema(description = "Ready, NotReady or Unknown") String status,
            @Schema(description = "roles") List<String> roles,
            @Schema(description = "age") String age,
            @Schema(description = "creationTimestamp") String createdAt,
            @Schema(description = "cordoned") boolean unschedulable,
            @Schema(description = "taints with the time they were added") List<TaintView> taints,
            @Schema(description = "addresses") List<AddressView> addresses,
            @Schema(description = "conditions with heartbeat and transition times") List<NodeConditionView> conditions,
            @Schema(description = "kubelet, runtime, OS, kernel, architecture, ids") Map<String, String> systemInfo,
            @Schema(description = "raw capacity") Map<String, String> capacity,
            @Schema(description = "raw allocatable") Map<String, String> allocatable,
            @Schema(description = "capacity and allocatable in cores and bytes") NodeResources resources,
            @Schema(description = "requests and limits of its non-terminated pods, and their share of allocatable") Allocation allocated,
            @Schema(description = "live usage from metrics.k8s.io, or null") Usage usage,
            @Schema(description = "why usage is null") String usageUnavailableReason,
            @Schema(description = "every pod bound to the node, any phase") List<NodePod> pods,
            @Schema(description = "labels") Map<String, String> labels,
            @Schema(description = "annotations") Map<String, String> annotations,
            @Schema(description = "score, status and findings") Health health) {
    }

    /**
     * Node capacity for one node, or a page of all nodes.
     *
     * @param clusterName  the cluster
     * @param nodeName     the node asked for, or null for all
     * @param capacityInfo one entry per node of the page
     * @param count        entries in the page
     * @param total        nodes matching
     * @param page         the page
     * @param pageSize     the page size
     */
    public record CapacityList(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "the node asked for, or null for all") String nodeName,
            @Schema(description = "one entry per node of the page") List<NodeCapacity> capacityInfo,
            @Schema(description = "entries in the page") int count,
            @Schema(description = "nodes matching") int total,
            @Schema(description = "the page") int page,
            @Schema(description = "the page size") int pageSize) {
    }

    /**
     * One node's capacity, allocation and usage.
     *
     * @param nodeName               node
     * @param status                 Ready, NotReady or Unknown
     * @param capacity               raw capacity
     * @param allocatable            raw allocatable
     * @param resources              parsed
     * @param allocated              what its pods reserve
     * @param usage                  live usage, or null
     * @param usageUnavailableReason why usage is null
     */
    public record NodeCapacity(
            @Schema(description = "node") String nodeName,
            @Schema(description = "Ready, NotReady or Unknown") String status,
            @Schema(description = "raw capacity") Map<String, String> capacity,
            @Schema(description = "raw allocatable") Map<String, String> allocatable,
            @Schema(description = "parsed") NodeResources resources,
            @Schema(description = "what its pods reserve") Allocation allocated,
            @Schema(description = "live usage, or null") Usage usage,
            @Schema(description = "why usage is null") String usageUnavailableReason) {
    }

    /**
     * Capacity and allocatable, parsed.
     *
     * @param cpuCapacityCores       cores
     * @param cpuAllocatableCores    cores
     * @param memoryCapacityBytes    bytes
     * @param memoryAllocatableBytes bytes
     * @param podsCapacity           pods
     * @param podsAllocatable        pods
     */
    public record NodeResources(
            @Schema(description = "cores") Double cpuCapacityCores,
            @Schema(description = "cores") Double cpuAllocatableCores,
            @Schema(description = "bytes") Long memoryCapacityBytes,
            @Schema(description = "bytes") Long memoryAllocatableBytes,
            @Schema(description = "pods") Integer podsCapacity,
            @Schema(description = "pods") Integer podsAllocatable) {
    }

    /**
     * Requests and limits of the node's non-terminated pods (as the scheduler counts them).
     *
     * @param podCount              non-terminated pods on the node
     * @param cpuRequestsCores      cores requested
     * @param cpuLimitsCores        cores limited
     * @param memoryRequestsBytes   bytes requested
     * @param memoryLimitsBytes     bytes limited
     * @param cpuRequestsPercent    of allocatable CPU
     * @param cpuLimitsPercent      of allocatable CPU (may exceed 100)
     * @param memoryRequestsPercent of allocatable memory
     * @param memoryLimitsPercent   of allocatable memory (may exceed 100)
     * @param podsPercent           of allocatable pods
     */
    public record Allocation(
            @Schema(description = "non-terminated pods on the node") int podCount,
            @Schema(description = "cores requested") Double cpuRequestsCores,
            @Schema(description = "cores limited") Double cpuLimitsCores,
            @Schema(description = "bytes requested") Long memoryRequestsBytes,
            @Schema(description = "bytes limited") Long memoryLimitsBytes,
            @Schema(description = "of allocatable CPU") Double cpuRequestsPercent,
            @Schema(description = "of allocatable CPU (may exceed 100)") Double cpuLimitsPercent,
            @Schema(description = "of allocatable memory") Double memoryRequestsPercent,
            @Schema(description = "of allocatable memory (may exceed 100)") Double memoryLimitsPercent,
            @Schema(description = "of allocatable pods") Double podsPercent) {
    }

    /**
     * Live usage from metrics.k8s.io.
     *
     * @param cpuCores      cores in use
     * @param memoryBytes   bytes in use (working set)
     * @param cpuPercent    of allocatable
     * @param memoryPercent of allocatable
     * @param timestamp     when the sample was taken
     * @param window        the sample window (ISO-8601 duration, e.g. PT30S)
     */
    public record Usage(
            @Schema(description = "cores in use") Double cpuCores,
            @Schema(description = "bytes in use (working set)") Long memoryBytes,
            @Schema(description = "of allocatable") Double cpuPercent,
            @Schema(description = "of allocatable") Double memoryPercent,
            @Schema(description = "when the sample was taken") String timestamp,
            @Schema(description = "the sample window (ISO-8601 duration, e.g. PT30S)") String window) {
    }

    /**
     * @param key key
     * @param value value
     * @param effect NoSchedule, PreferNoSchedule or NoExecute
     * @param timeAdded when
     */
    public record TaintView(
            @Schema(description = "key") String key,
            @Schema(description = "value") String value,
            @Schema(description = "NoSchedule, PreferNoSchedule or NoExecute") String effect,
            @Schema(description = "when") String timeAdded) {
    }

    /**
     * @param type InternalIP, ExternalIP, Hostname
     * @param address the address
     */
    public record AddressView(
            @Schema(description = "InternalIP, ExternalIP, Hostname") String type,
            @Schema(description = "the address") String address) {
    }

    /**
     * A node condition.
     *
     * @param type               Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable
     * @param status             True, False or Unknown
     * @param reason             reason
     * @param message            message
     * @param lastHeartbeatTime  last heartbeat
     * @param lastTransitionTime last change
     */
    public record NodeConditionView(
            @Schema(description = "Ready, MemoryPressure, DiskPressure, PIDPressure, NetworkUnavailable") String type,
            @Schema(description = "True, False or Unknown") String status,
            @Schema(description = "reason") String reason,
            @Schema(description = "message") String message,
            @Schema(description = "last heartbeat") String lastHeartbeatTime,
            @Schema(description = "last change") String lastTransitionTime) {
    }

    /**
     * A pod bound to the node.
     *
     * @param namespace           namespace
     * @param name                name
     * @param status              status as kubectl shows it
     * @param cpuRequestsCores    cores requested
     * @param memoryRequestsBytes bytes requested
     * @param cpuLimitsCores      cores limited; null (no limit) when a container sets no CPU limit
     * @param memoryLimitsBytes   bytes limited; null (no limit) when a container sets no memory limit
     */
    public record NodePod(
            @Schema(description = "namespace") String namespace,
            @Schema(description = "name") String name,
            @Schema(description = "status as kubectl shows it") String status,
            @Schema(description = "cores requested") Double cpuRequestsCores,
            @Schema(description = "bytes requested") Long memoryRequestsBytes,
            @Schema(description = "cores limited; null (no limit) when a container sets no CPU limit")
            Double cpuLimitsCores,
            @Schema(description = "bytes limited; null (no limit) when a container sets no memory limit")
            Long memoryLimitsBytes) {
    }
}
