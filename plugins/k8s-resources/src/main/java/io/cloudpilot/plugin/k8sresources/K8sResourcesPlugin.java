package io.cloudpilot.plugin.k8sresources;

import java.util.Set;

import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;

/**
 * Kubernetes resources: the cluster overview, nodes, pods, deployments, services, logs and events.
 */
public final class K8sResourcesPlugin implements Plugin {

    @Override
    public String id() {
        return "k8s-resources";
    }

    /**
     * Builds the plugin's services once, for its resources to inject; fails the plugin at start, not at the first
     * scale, when its configuration is wrong.
     */
    @Override
    public void start(PluginContext context) {
        context.provide(DeploymentScaler.class, new DeploymentScaler(context.cache(), context.audit(),
                DeploymentScaler.maxReplicas(context)));
        context.provide(Views.class, new Views(context.cache()));
        context.provide(ClusterOverview.class, new ClusterOverview(context.cache()));
    }

    @Override
    public Set<Class<?>> resources() {
        return Set.of(ClusterInfoResource.class, OverviewResource.class, NodesResource.class, PodsResource.class,
                DeploymentsResource.class, ServicesResource.class, LogsResource.class, EventsResource.class);
    }
}
