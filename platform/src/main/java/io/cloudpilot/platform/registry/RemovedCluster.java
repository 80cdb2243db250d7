package io.cloudpilot.platform.registry;

/**
 * The answer to {@code DELETE /k8s/cluster/remove}.
 *
 * @param name    the cluster that was removed
 * @param removed always true (an unknown name is 404)
 */
public record RemovedCluster(String name, boolean removed) {
}
