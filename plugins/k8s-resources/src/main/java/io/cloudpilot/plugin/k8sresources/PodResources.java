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
 * @param cpuRequests    cores requested
 * @param cpuLimits      cores limited
 * @param memoryRequests bytes requested
 * @param memoryLimits   bytes limited
 */
record PodResources(BigDecimal cpuRequests, BigDecimal cpuLimits, BigDecimal memoryRequests, BigDecimal memoryLimits) {

    static final PodResources ZERO = new PodResources(BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);

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
            total = total.plus(new PodResources(cpu, cpu, mem, mem));
        }
        return total;
    }

    static PodResources ofContainer(Container c) {
        ResourceRequirements r = c.getResources();
        if (r == null) {
            return ZERO;
        }
        Map<String, Quantity> requests = r.getRequests() == null ? Map.of() : r.getRequests();
        Map<String, Quantity> limits = r.getLimits() == null ? Map.of() : r.getLimits();
        // an unset request defaults to the limit, as the API server defaults it
        Quantity cpuReq = requests.getOrDefault("cpu", limits.get("cpu"));
        Quantity memReq = requests.getOrDefault("memory", limits.get("memory"));
        return new PodResources(Quantities.amount(cpuReq), Quantities.amount(limits.get("cpu")),
                Quantities.amount(memReq), Quantities.amount(limits.get("memory")));
    }

    PodResources plus(PodResources o) {
        return new PodResources(cpuRequests.add(o.cpuRequests), cpuLimits.add(o.cpuLimits),
                memoryRequests.add(o.memoryRequests), memoryLimits.add(o.memoryLimits));
    }

    PodResources max(PodResources o) {
        return new PodResources(cpuRequests.max(o.cpuRequests), cpuLimits.max(o.cpuLimits),
                memoryRequests.max(o.memoryRequests), memoryLimits.max(o.memoryLimits));
    }
}
