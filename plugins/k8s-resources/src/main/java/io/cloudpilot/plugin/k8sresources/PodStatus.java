package io.cloudpilot.plugin.k8sresources;

import java.util.List;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * A pod's status as {@code kubectl get pods} shows it (the STATUS column): a container's waiting or terminated
 * reason such as CrashLoopBackOff, Init:0/1, Terminating, or the phase.
 */
final class PodStatus {

    private PodStatus() {
    }

    static String display(Pod pod) {
        var status = pod.getStatus();
        if (status == null) {
            return "Unknown";
        }
        String reason = status.getReason() != null ? status.getReason()
                : status.getPhase() != null ? status.getPhase() : "Unknown";
        List<ContainerStatus> inits = Metadata.orEmpty(status.getInitContainerStatuses());
        boolean initializing = false;
        for (int i = 0; i < inits.size(); i++) {
            ContainerStatus c = inits.get(i);
            var term = c.getState() == null ? null : c.getState().getTerminated();
            var wait = c.getState() == null ? null : c.getState().getWaiting();
            if (term != null && term.getExitCode() != null && term.getExitCode() == 0) {
                continue;
            }
            // a restartable (sidecar) init container that runs does not block the pod
            if (c.getState() != null && c.getState().getRunning() != null && Boolean.TRUE.equals(c.getStarted())) {
                continue;
            }
            if (term != null) {
                reason = term.getReason() == null || term.getReason().isEmpty()
                        ? (term.getSignal() != null && term.getSignal() != 0 ? "Init:Signal:" + term.getSignal()
                        : "Init:ExitCode:" + term.getExitCode()) : "Init:" + term.getReason();
            } else if (wait != null && wait.getReason() != null && !wait.getReason().isEmpty()
                    && !"PodInitializing".equals(wait.getReason())) {
                reason = "Init:" + wait.getReason();
            } else {
                reason = "Init:" + i + "/" + Metadata.orEmpty(pod.getSpec().getInitContainers()).size();
            }
            initializing = true;
            break;
        }
        if (!initializing) {
            boolean hasRunning = false;
            List<ContainerStatus> cs = Metadata.orEmpty(status.getContainerStatuses());
            for (int i = cs.size() - 1; i >= 0; i--) {
                ContainerStatus c = cs.get(i);
                var st = c.getState();
                if (st == null) {
                    continue;
                }
                if (st.getWaiting() != null && st.getWaiting().getReason() != null
                        && !st.getWaiting().getReason().isEmpty()) {
                    reason = st.getWaiting().getReason();
                } else if (st.getTerminated() != null) {
                    var t = st.getTerminated();
                    reason = t.getReason() != null && !t.getReason().isEmpty() ? t.getReason()
                            : t.getSignal() != null && t.getSignal() != 0 ? "Signal:" + t.getSignal()
                            : "ExitCode:" + t.getExitCode();
                } else if (st.getRunning() != null && Boolean.TRUE.equals(c.getReady())) {
                    hasRunning = true;
                }
            }
            if ("Completed".equals(reason) && hasRunning) {
                reason = "Running";
            }
        }
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            reason = "NodeLost".equals(status.getReason()) ? "Unknown" : "Terminating";
        }
        return reason;
    }
}
