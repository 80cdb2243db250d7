package io.cloudpilot.plugin.istioconfig;

import io.cloudpilot.spi.Plugin;

/**
 * Istio configuration: Gateways, VirtualServices and DestinationRules with cross-object validation.
 */
public final class IstioConfigPlugin implements Plugin {

    @Override
    public String id() {
        return "istio-config";
    }
}
