package io.cloudpilot.plugin.k8sresources;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;

/**
 * A node's Ready state as {@code kubectl get nodes} shows it.
 */
final class NodeReadiness {

    static final String READY = "Ready";
    static final String NOT_READY = "NotReady";
    static final String UNKNOWN = "Unknown";

    private NodeReadiness() {
    }

    /**
     * @param node a node
     * @return Ready (condition Ready=True), NotReady (False) or Unknown (Unknown, or no Ready condition)
     */
    static String of(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return UNKNOWN;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return switch (String.valueOf(c.getStatus())) {
                    case "True" -> READY;
                    case "False" -> NOT_READY;
                    default -> UNKNOWN;
                };
            }
        }
        return UNKNOWN;
    }
}
