package io.cloudpilot.plugin.istioworkloads;

import java.util.List;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/**
 * Small facts about pods and images, read the way kubectl reads them.
 */
final class PodStates {

    private PodStates() {
    }

    /** @return the pod's container statuses, never null */
    static List<ContainerStatus> statuses(Pod p) {
        return p.getStatus() == null || p.getStatus().getContainerStatuses() == null
                ? List.of() : p.getStatus().getContainerStatuses();
    }

    /** @return whether the pod's Ready condition is True (a pod without conditions is not ready) */
    static boolean ready(Pod p) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return false;
        }
        for (PodCondition c : p.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus());
            }
        }
        return false;
    }

    /** @return restarts summed over the pod's containers */
    static int restarts(Pod p) {
        return statuses(p).stream().mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
    }

    /** @return the pod's phase, or Unknown */
    static String phase(Pod p) {
        return p.getStatus() == null || p.getStatus().getPhase() == null ? "Unknown" : p.getStatus().getPhase();
    }

    /**
     * @param image an image reference, e.g. {@code docker.io/istio/pilot:1.22.1}
     * @return its tag ({@code 1.22.1}), or null for a digest-only or untagged reference
     */
    static String tag(String image) {
        if (image == null) {
            return null;
        }
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        return colon > slash ? ref.substring(colon + 1) : null;
    }
}
