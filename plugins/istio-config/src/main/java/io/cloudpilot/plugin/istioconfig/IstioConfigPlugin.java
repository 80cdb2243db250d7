package io.cloudpilot.plugin.istioconfig;

import java.util.List;
import java.util.Set;

import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;

/**
 * Istio configuration: Gateways, VirtualServices and DestinationRules with cross-object validation.
 * Configuration: {@code plugins.istio-config.validations.ignore}, comma-separated codes suppressed on every object.
 */
public final class IstioConfigPlugin implements Plugin {

    private volatile IstioConfigService service;

    @Override
    public String id() {
        return "istio-config";
    }

    @Override
    public Set<Class<?>> resources() {
        return Set.of(GatewayResource.class, VirtualServiceResource.class, DestinationRuleResource.class);
    }

    @Override
    public List<HealthContributor> healthContributors() {
        return List.of(new ConfigHealthContributor(() -> {
            IstioConfigService s = service;
            if (s == null) {
                throw new IllegalStateException("the istio-config plugin has not started");
            }
            return s;
        }));
    }

    @Override
    public void start(PluginContext context) {
        IstioConfigService built = new IstioConfigService(context.cache(),
                IstioConfigService.codes(context.config("validations.ignore").orElse(null)));
        // the one instance: the resources inject it, the health contributor uses it
        context.provide(IstioConfigService.class, built);
        service = built;
    }
}
