package io.cloudpilot.plugin.k8sresources;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;

/**
 * A node's Ready state as {@code kubectl get nodes} shows it (kubernetes pkg/printers/internalversion/printers.go,
 * printNode): Ready when its Ready condition is True, NotReady when it is anything else (False, or Unknown once the
 * kubelet stopped reporting), Unknown only when the node has no Ready condition at all.
 */
final class NodeReadiness {

    static final String READY = "Ready";
    static final String NOT_READY = "NotReady";
    static final String UNKNOWN = "Unknown";

    private NodeReadiness() {
    }

    /**
     * @param node a node
     * @return Ready (condition Ready=True), NotReady (False or Unknown) or Unknown (no Ready condition)
     */
    static String of(Node node) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return UNKNOWN;
        }
        for (NodeCondition c : node.getStatus().getConditions()) {
            if ("Ready".equals(c.getType())) {
                return "True".equals(c.getStatus()) ? READY : NOT_READY;
            }
        }
        return UNKNOWN;
    }
}
