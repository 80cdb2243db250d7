package io.cloudpilot.plugin.istiohealth;

import java.util.Set;

import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;

/**
 * The mesh health summary, built from the data plane and every plugin's health contributors.
 */
public final class IstioHealthPlugin implements Plugin {

    @Override
    public String id() {
        return "istio-health";
    }

    @Override
    public Set<Class<?>> resources() {
        return Set.of(HealthSummaryResource.class);
    }

    @Override
    public void start(PluginContext context) {
        context.provide(MeshHealth.class, new MeshHealth(context.cache(), context::healthContributors));
    }
}
