package io.cloudpilot.plugin.istioworkloads;

import java.util.List;
import java.util.Set;

import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;

/**
 * Istio control plane workloads: istiod and ingress gateway detail, logs and events, and their part of the mesh
 * health summary.
 */
public final class IstioWorkloadsPlugin implements Plugin {

    private volatile PluginContext context;
    private final HealthContributor contributor = new WorkloadsHealthContributor(() -> context);

    @Override
    public String id() {
        return "istio-workloads";
    }

    @Override
    public Set<Class<?>> resources() {
        return Set.of(IstiodResource.class, GatewayResource.class);
    }

    @Override
    public List<HealthContributor> healthContributors() {
        return List.of(contributor);
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
        // one instance for both resources: one reader, one bound on concurrent log streams
        context.provide(WorkloadQueries.class, new WorkloadQueries(context.clusters(), context.cache(), context));
    }
}
