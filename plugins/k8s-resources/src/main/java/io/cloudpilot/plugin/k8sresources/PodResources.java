package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.plugin.toolkit.Quantities;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * What a pod reserves, computed as the scheduler does: the larger of the sum of its containers (plus
 * restartable "sidecar" init containers) and its largest regular init container, plus the pod overhead.
 *
 * <p>A container without a limit may use all the node has, so the pod's limit is only a number when every container
 * sets it ({@link #cpuLimited}, {@link #memoryLimited}); a view of one pod shows "no limit" (null) otherwise. Sums over
 * many pods (a node's allocated resources, the overview) add the limits that are set, as {@code kubectl describe node}
 * does.
 *
 * @param cpuRequests    cores requested
 * @param cpuLimits      cores limited, counting the containers that set a CPU limit
 * @param memoryRequests bytes requested
 * @param memoryLimits   bytes limited, counting the containers that set a memory limit
 * @param cpuLimited     whether every container sets a CPU limit
 * @param memoryLimited  whether every container sets a memory limit
 */
record PodResources(BigDecimal cpuRequests, BigDecimal cpuLimits, BigDecimal memoryRequests, BigDecimal memoryLimits,
                    boolean cpuLimited, boolean memoryLimited) {

    static final PodResources ZERO = new PodResources(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
            true, true);

    static PodResources of(Pod pod) {
        if (pod.getSpec() == null) {
            return ZERO;
        }
        List<Container> containers = pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
        List<Container> inits = pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
        PodResources sum = ZERO;
        for (Container c : containers) {
            sum = sum.plus(ofContainer(c));
        }
        PodResources maxInit = ZERO;
        for (Container c : inits) {
            if ("Always".equals(c.getRestartPolicy())) {
                sum = sum.plus(ofContainer(c));
            } else {
                maxInit = maxInit.max(ofContainer(c));
            }
        }
        PodResources total = sum.max(maxInit);
        Map<String, Quantity> overhead = pod.getSpec().getOverhead();
        if (overhead != null) {
            BigDecimal cpu = Quantities.amount(overhead.get("cpu"));
            BigDecimal mem = Quantities.amount(overhead.get("memory"));
            total = total.plus(new PodResources(cpu, cpu, mem, mem, true, true));
        }
        return total;
    }

    static PodResources ofContainer(Container c) {
        ResourceRequirements r = c.getResources();
        if (r == null) {
            return new PodResources(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, false, false);
        }
        Map<String, Quantity> requests = r.getRequests() == null ? Map.of() : r.getRequests();
        Map<String, Quantity> limits = r.getLimits() == null ? Map.of() : r.getLimits();
        // an unset request defaults to the limit, as the API server defaults it
        Quantity cpuReq = requests.getOrDefault("cpu", limits.get("cpu"));
        Quantity memReq = requests.getOrDefault("memory", limits.get("memory"));
        return new PodResources(Quantities.amount(cpuReq), Quantities.amount(limits.get("cpu")),
                Quantities.amount(memReq), Quantities.amount(limits.get("memory")), limits.containsKey("cpu"),
                limits.containsKey("memory"));
    }

    /** @return the pod's CPU limit in cores, or null when a container has none (unbounded) */
    Double cpuLimitCores() {
        return cpuLimited ? Metadata.cores(cpuLimits) : null;
    }

    /** @return the pod's memory limit in bytes, or null when a container has none (unbounded) */
    Long memoryLimitBytes() {
        return memoryLimited ? Metadata.bytes(memoryLimits) : null;
    }

    PodResources plus(PodResources o) {
        return new PodResources(cpuRequests.add(o.cpuRequests), cpuLimits.add(o.cpuLimits),
                memoryRequests.add(o.memoryRequests), memoryLimits.add(o.memoryLimits), cpuLimited && o.cpuLimited,
                memoryLimited && o.memoryLimited);
    }

    PodResources max(PodResources o) {
        // an init container without a limit runs unbounded while it runs
        return new PodResources(cpuRequests.max(o.cpuRequests), cpuLimits.max(o.cpuLimits),
                memoryRequests.max(o.memoryRequests), memoryLimits.max(o.memoryLimits), cpuLimited && o.cpuLimited,
                memoryLimited && o.memoryLimited);
    }
}
