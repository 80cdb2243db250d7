package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * {@code metrics.k8s.io/v1beta1}: what metrics-server would report, derived from the objects. Pod usage sits between
 * 15% and 75% of each container's CPU request and 45% to 90% of its memory request (below any limit); a node's usage
 * is the sum of its pods plus system overhead, below its allocatable. A node under MemoryPressure reports ~94% memory.
 * NotReady nodes and their pods have no metrics (the kubelet cannot be scraped), nor do pods that are not Running.
 * Values vary a little every 30 s and are otherwise stable.
 */
final class MetricsApi {

    private static final String API_VERSION = "metrics.k8s.io/v1beta1";

    private final ObjectStore store;
    private final Clock clock;

    MetricsApi(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, Object> handle(ApiRequest req, ResourcePath rp) {
        Instant now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS);
        long window = now.getEpochSecond() / 30;
        List<Map<String, Object>> nodes = store.list("/api/v1/nodes").items();
        Map<String, Map<String, Object>> readyNodes = new HashMap<>();
        for (Map<String, Object> node : nodes) {
            if (isReady(node)) {
                readyNodes.put(Json.name(node), node);
            }
        }
        // pods one at a time: a scaled cluster's 150,000 parsed pods would not fit in memory together
        List<ObjectStore.Stored> allPods = store.entries("/api/v1/pods").items();
        Predicate<Map<String, String>> labels = Selectors.labels(req.param("labelSelector"));
        if (rp.resource().plural().equals("nodes")) {
            // what each node's running pods use, summed in one pass over the pods (looking through every pod for
            // every node took 13 s at 30k pods and 1,000 nodes)
            Map<String, double[]> usageByNode = new HashMap<>();
            for (ObjectStore.Stored stored : allPods) {
                Map<String, Object> pod = stored.object();
                String node = Json.string(pod, "spec", "nodeName");
                if (node == null || !"Running".equals(Json.string(pod, "status", "phase"))) {
                    continue;
                }
                double[] sum = usageByNode.computeIfAbsent(node, n -> new double[2]);
                for (Map<String, Object> c : runningContainers(pod)) {
                    double[] usage = containerUsage(pod, c, window);
                    sum[0] += usage[0];
                    sum[1] += usage[1];
                }
            }
            List<Map<String, Object>> items = new ArrayList<>();
            for (Map<String, Object> node : nodes) {
                String name = Json.name(node);
                if (readyNodes.containsKey(name) && (rp.name() == null || rp.name().equals(name))
                        && labels.test(Json.labels(node))) {
                    items.add(nodeMetrics(node, usageByNode.getOrDefault(name, new double[2]), now, window));
                }
            }
            return result(rp, items, "NodeMetrics");
        }
        List<Map<String, Object>> items = new ArrayList<>();
        for (ObjectStore.Stored stored : allPods) {
            if ((rp.namespace() != null && !rp.namespace().equals(stored.namespace()))
                    || (rp.name() != null && !rp.name().equals(stored.name()))) {
                continue;
            }
            Map<String, Object> pod = stored.object();
            if (!hasMetrics(pod, readyNodes) || !labels.test(Json.labels(pod))) {
                continue;
            }
            items.add(podMetrics(pod, now, window));
        }
        return result(rp, items, "PodMetrics");
    }

    private static Map<String, Object> result(ResourcePath rp, List<Map<String, Object>> items,
                                              String kind) {
        items.sort((a, b) -> (String.valueOf(Json.namespace(a)) + "/" + Json.name(a))
                .compareTo(String.valueOf(Json.namespace(b)) + "/" + Json.name(b)));
        if (rp.name() != null) {
            if (items.isEmpty()) {
                throw ApiException.notFound(rp.resource().plural(), ApiCatalog.METRICS, rp.name());
            }
            return items.get(0);
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("kind", kind + "List");
        list.put("apiVersion", API_VERSION);
        list.put("metadata", Map.of());
        list.put("items", items);
        return list;
    }

    private static boolean isReady(Map<String, Object> node) {
        return Json.mapsAt(node, "status", "conditions").stream()
                .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    }

    private static boolean hasMetrics(Map<String, Object> pod, Map<String, Map<String, Object>> readyNodes) {
        String node = Json.string(pod, "spec", "nodeName");
        return "Running".equals(Json.string(pod, "status", "phase")) && node != null && readyNodes.containsKey(node)
                && Json.at(pod, "metadata", "deletionTimestamp") == null;
    }

    private Map<String, Object> nodeMetrics(Map<String, Object> node, double[] podUsage, Instant now, long window) {
        String name = Json.name(node);
        double cpu = (name.contains("control-plane") ? 0.35 : 0.18) + podUsage[0];
        double memory = (name.contains("control-plane") ? 2.1 : 1.4) * 1024 * 1024 * 1024 + podUsage[1];
        double allocCpu = quantity(Json.string(node, "status", "allocatable", "cpu"), 4);
        double allocMemory = quantity(Json.string(node, "status", "allocatable", "memory"), 16L << 30);
        boolean memoryPressure = Json.mapsAt(node, "status", "conditions").stream()
                .anyMatch(c -> "MemoryPressure".equals(c.get("type")) && "True".equals(c.get("status")));
        if (memoryPressure) {
            memory = Math.max(memory, allocMemory * (0.935 + 0.01 * Names.fraction(name + window)));
        }
        cpu = Math.min(cpu, allocCpu * 0.95);
        memory = Math.min(memory, allocMemory * 0.97);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("creationTimestamp", now.toString());
        metadata.put("labels", Json.labels(node));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "NodeMetrics");
        m.put("apiVersion", API_VERSION);
        m.put("metadata", metadata);
        m.put("timestamp", now.minusSeconds(window % 7 + 3).toString());
        m.put("window", "20.026s");
        m.put("usage", usage(cpu, memory));
        return m;
    }

    private Map<String, Object> podMetrics(Map<String, Object> pod, Instant now, long window) {
        List<Map<String, Object>> containers = new ArrayList<>();
        for (Map<String, Object> c : runningContainers(pod)) {
            double[] usage = containerUsage(pod, c, window);
            Map<String, Object> cm = new LinkedHashMap<>();
            cm.put("name", c.get("name"));
            cm.put("usage", usage(usage[0], usage[1]));
            containers.add(cm);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", Json.name(pod));
        metadata.put("namespace", Json.namespace(pod));
        metadata.put("creationTimestamp", now.toString());
        metadata.put("labels", Json.labels(pod));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", "PodMetrics");
        m.put("apiVersion", API_VERSION);
        m.put("metadata", metadata);
        m.put("timestamp", now.minusSeconds(window % 11 + 2).toString());
        m.put("window", "15.011s");
        m.put("containers", containers);
        return m;
    }

    /** The containers of a pod whose status is running. */
    private static List<Map<String, Object>> runningContainers(Map<String, Object> pod) {
        Map<String, Boolean> running = new HashMap<>();
        for (Map<String, Object> cs : Json.mapsAt(pod, "status", "containerStatuses")) {
            running.put(String.valueOf(cs.get("name")), Json.at(cs, "state", "running") != null);
        }
        List<Map<String, Object>> result = new ArrayList<>();
        for (Map<String, Object> c : Json.mapsAt(pod, "spec", "containers")) {
            if (running.getOrDefault(String.valueOf(c.get("name")), false)) {
                result.add(c);
            }
        }
        return result;
    }

    /**
     * @return {cores, bytes}
     */
    static double[] containerUsage(Map<String, Object> pod, Map<String, Object> container, long window) {
        String seed = Json.namespace(pod) + "/" + Json.name(pod) + "/" + container.get("name");
        boolean proxy = "istio-proxy".equals(container.get("name"));
        double cpuRequest = quantity(Json.string(container, "resources", "requests", "cpu"), 0.05);
        double memRequest = quantity(Json.string(container, "resources", "requests", "memory"),
                (proxy ? 64 : 96) * 1024.0 * 1024);
        double cpuLimit = quantity(Json.string(container, "resources", "limits", "cpu"), Double.MAX_VALUE);
        double memLimit = quantity(Json.string(container, "resources", "limits", "memory"), Double.MAX_VALUE);
        double wobble = 0.9 + 0.2 * Names.fraction(seed + "/" + window);
        double cpu = cpuRequest * (0.15 + 0.6 * Names.fraction(seed + "/cpu")) * wobble;
        double memory = memRequest * (0.45 + 0.45 * Names.fraction(seed + "/memory"))
                * (0.98 + 0.04 * Names.fraction(seed + "/m/" + window));
        return new double[] {Math.min(cpu, cpuLimit * 0.95), Math.min(memory, memLimit * 0.95)};
    }

    private static Map<String, Object> usage(double cores, double bytes) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("cpu", Math.round(cores * 1e9) + "n");
        usage.put("memory", Math.round(bytes / 1024) + "Ki");
        return usage;
    }

    static double quantity(String value, double fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            BigDecimal amount = Quantity.getAmountInBytes(new Quantity(value));
            return amount.doubleValue();
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
