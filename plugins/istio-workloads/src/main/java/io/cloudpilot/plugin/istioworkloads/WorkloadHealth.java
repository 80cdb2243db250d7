package io.cloudpilot.plugin.istioworkloads;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.cloudpilot.plugin.istioworkloads.WorkloadReader.Workload;
import io.cloudpilot.plugin.toolkit.Health;
import io.cloudpilot.plugin.toolkit.Health.Finding;
import io.cloudpilot.spi.Severity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

/**
 * The explainable health of one istiod or gateway Deployment: each rule that fires is a finding with a stable code
 * and the points it costs; {@link Health#of} adds them up. The rules and their deductions are documented in
 * {@code docs/istio-workloads-health.md}: change both together.
 */
final class WorkloadHealth {

    static final int DOWN = 50;
    static final int REPLICAS_UNAVAILABLE = 20;
    static final int NOT_PROGRESSING = 15;
    static final int CRASH_LOOP = 25;
    static final int IMAGE_PULL = 25;
    static final int PODS_PENDING = 10;
    static final int RESTARTS = 10;
    static final int OOM_KILLED = 10;
    static final int NO_LIMITS = 5;
    static final int NO_REQUESTS = 5;
    static final int NO_SERVICE = 20;
    static final int NO_EXTERNAL_ADDRESS = 15;

    private WorkloadHealth() {
    }

    /**
     * @param component     istiod or gateway
     * @param w             the workload
     * @param services      the Services that select its pods
     * @param warningEvents its recent Warning events
     * @return the health
     */
    static Health evaluate(IstioComponent component, Workload w, List<Service> services, List<Event> warningEvents) {
        List<Finding> findings = new ArrayList<>();
        Deployment d = w.deployment();
        String name = w.name();
        String what = (component == IstioComponent.ISTIOD ? "istiod" : "Gateway") + " '" + name + "'";
        int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas();

        if (desired == 0) {
            findings.add(new Finding(component.downCode(), Severity.CRITICAL, what + " is scaled to 0 replicas"
                    + (component == IstioComponent.ISTIOD ? ": proxies get no configuration or certificates." : ": it serves no traffic."), DOWN));
        } else if (ready == 0) {
            findings.add(new Finding(component.downCode(), Severity.CRITICAL, what + " has no ready replica (0/" + desired + ")"
                    + (component == IstioComponent.ISTIOD ? ": proxies get no configuration or certificates." : ": it serves no traffic."), DOWN));
        } else if (ready < desired) {
            findings.add(new Finding("ReplicasUnavailable", Severity.WARNING, what + " has " + ready + " of " + desired
                    + " replicas ready.", REPLICAS_UNAVAILABLE));
        }
        if (d.getStatus() != null && d.getStatus().getConditions() != null) {
            for (DeploymentCondition c : d.getStatus().getConditions()) {
                if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())) {
                    findings.add(new Finding("DeploymentNotProgressing", Severity.WARNING, what + " is not progressing ("
                            + c.getReason() + "): " + c.getMessage(), NOT_PROGRESSING));
                }
            }
        }
        if (desired == 1 && ready == 1) {
            findings.add(new Finding("SingleReplica", Severity.INFO, what + " runs one replica: losing its node "
                    + "interrupts it until the pod is rescheduled.", 0));
        }

        List<String> crashing = new ArrayList<>();
        List<String> pulling = new ArrayList<>();
        List<String> restarted = new ArrayList<>();
        List<String> oom = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        Set<String> versions = new TreeSet<>();
        for (Pod p : w.pods()) {
            String pod = p.getMetadata().getName();
            if ("Pending".equals(PodStates.phase(p))) {
                pending.add(pod);
            }
            for (ContainerStatus s : PodStates.statuses(p)) {
                String where = pod + "/" + s.getName();
                String waiting = s.getState() != null && s.getState().getWaiting() != null ? s.getState().getWaiting().getReason() : null;
                if ("CrashLoopBackOff".equals(waiting)) {
                    crashing.add(where);
                } else if ("ImagePullBackOff".equals(waiting) || "ErrImagePull".equals(waiting) || "InvalidImageName".equals(waiting)) {
                    pulling.add(where + " (" + waiting + ")");
                }
                int restarts = s.getRestartCount() == null ? 0 : s.getRestartCount();
                var last = s.getLastState() == null ? null : s.getLastState().getTerminated();
                if (restarts > 0) {
                    restarted.add(where + " restarted " + restarts + (restarts == 1 ? " time" : " times")
                            + (last == null ? "" : " (last: " + last.getReason() + ", exit code " + last.getExitCode() + ")"));
                }
                if (last != null && "OOMKilled".equals(last.getReason())) {
                    oom.add(where);
                }
                if (component.mainContainer().equals(s.getName()) && PodStates.tag(s.getImage()) != null) {
                    versions.add(PodStates.tag(s.getImage()));
                }
            }
        }
        if (!crashing.isEmpty()) {
            findings.add(new Finding("CrashLoopBackOff", Severity.CRITICAL, "Containers of " + what
                    + " are crash-looping: " + String.join(", ", crashing) + ".", CRASH_LOOP));
        }
        if (!pulling.isEmpty()) {
            findings.add(new Finding("ImagePullFailure", Severity.CRITICAL, "Images of " + what + " cannot be pulled: "
                    + String.join(", ", pulling) + ".", IMAGE_PULL));
        }
        if (!pending.isEmpty()) {
            findings.add(new Finding("PodsPending", Severity.WARNING, "Pods of " + what + " are Pending: "
                    + String.join(", ", pending) + ".", PODS_PENDING));
        }
        if (!restarted.isEmpty()) {
            findings.add(new Finding("RestartingContainers", Severity.WARNING, "Containers of " + what
                    + " have restarted: " + String.join("; ", restarted) + ".", RESTARTS));
        }
        if (!oom.isEmpty()) {
            findings.add(new Finding("OOMKilled", Severity.WARNING, "Containers of " + what + " were killed for "
                    + "exceeding their memory limit: " + String.join(", ", oom) + "; raise the limit or find the growth.",
                    OOM_KILLED));
        }
        if (versions.size() > 1) {
            findings.add(new Finding("MixedVersions", Severity.INFO, "Pods of " + what + " run different versions "
                    + versions + ": a rollout is in progress or stuck.", 0));
        }

        List<Container> containers = d.getSpec() == null || d.getSpec().getTemplate() == null
                || d.getSpec().getTemplate().getSpec() == null ? List.of() : d.getSpec().getTemplate().getSpec().getContainers();
        List<String> noLimits = new ArrayList<>();
        List<String> noRequests = new ArrayList<>();
        for (Container c : containers) {
            Map<String, ?> limits = c.getResources() == null ? null : c.getResources().getLimits();
            Map<String, ?> requests = c.getResources() == null ? null : c.getResources().getRequests();
            if (limits == null || limits.isEmpty()) {
                noLimits.add(c.getName());
            }
            if (requests == null || requests.isEmpty()) {
                noRequests.add(c.getName());
            }
        }
        if (!noLimits.isEmpty()) {
            findings.add(new Finding("NoResourceLimits", Severity.WARNING, "Containers of " + what
                    + " have no resource limits: " + String.join(", ", noLimits) + "; a leak can starve their node.",
                    NO_LIMITS));
        }
        if (!noRequests.isEmpty()) {
            findings.add(new Finding("NoResourceRequests", Severity.WARNING, "Containers of " + what
                    + " have no resource requests: " + String.join(", ", noRequests)
                    + "; the scheduler cannot reserve capacity for them.", NO_REQUESTS));
        }

        if (component == IstioComponent.GATEWAY) {
            gatewayService(what, services, findings);
        }
        if (!warningEvents.isEmpty()) {
            Set<String> reasons = new TreeSet<>();
            warningEvents.forEach(e -> reasons.add(e.getReason()));
            findings.add(new Finding("WarningEvents", Severity.INFO, what + " has " + warningEvents.size()
                    + " recent Warning event(s): " + String.join(", ", reasons) + "; see its events.", 0));
        }
        return Health.of(findings);
    }

    private static void gatewayService(String what, List<Service> services, List<Finding> findings) {
        if (services.isEmpty()) {
            findings.add(new Finding("GatewayNoService", Severity.WARNING, "No Service selects the pods of " + what
                    + ": nothing can send traffic to it.", NO_SERVICE));
            return;
        }
        boolean external = services.stream().anyMatch(s -> !ServiceViews.externalAddresses(s).isEmpty());
        if (external) {
            return;
        }
        boolean loadBalancer = services.stream().anyMatch(s -> s.getSpec() != null && "LoadBalancer".equals(s.getSpec().getType()));
        if (loadBalancer) {
            findings.add(new Finding("GatewayNoExternalAddress", Severity.WARNING, "The LoadBalancer Service of " + what
                    + " has no external address yet: the cloud load balancer is pending or failed; see the Service's events.",
                    NO_EXTERNAL_ADDRESS));
        } else {
            findings.add(new Finding("GatewayNoExternalAddress", Severity.INFO, "The Services of " + what
                    + " have no external address (type " + services.getFirst().getSpec().getType()
                    + "): it is reachable only inside the cluster or through node ports.", 0));
        }
    }
}
