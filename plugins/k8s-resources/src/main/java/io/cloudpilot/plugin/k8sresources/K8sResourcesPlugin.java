package io.cloudpilot.plugin.k8sresources;

import java.util.Set;

import io.cloudpilot.spi.Plugin;

/**
 * Kubernetes resources: the cluster overview, nodes, pods, deployments, services, logs and events.
 */
public final class K8sResourcesPlugin implements Plugin {

    @Override
    public String id() {
        return "k8s-resources";
    }

    @Override
    public Set<Class<?>> resources() {
        return Set.of(ClusterInfoResource.class, OverviewResource.class);
    }
}
