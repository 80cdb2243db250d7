package io.cloudpilot.plugin.istioconfig;

import java.util.List;
import java.util.Set;

import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;

/**
 * Istio configuration: Gateways, VirtualServices and DestinationRules with cross-object validation.
 * Configuration ({@link IstioConfigSettings}): {@code plugins.istio-config.validations.ignore}, codes suppressed on
 * every object; {@code dns-domain} and {@code outbound-traffic-policy}, also per cluster under
 * {@code clusters.<name>.}.
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
        // a wrong setting fails the start with the key named, rather than every request later
        IstioConfigService built = new IstioConfigService(context.cache(),
                IstioConfigSettings.from(context.configuration()));
        // the one instance: the resources inject it, the health contributor uses it
        context.provide(IstioConfigService.class, built);
        service = built;
    }
}
