package io.cloudpilot.plugin.istiohealth;

import io.cloudpilot.spi.Plugin;

/**
 * The mesh health summary, built from every plugin's health contributors.
 */
public final class IstioHealthPlugin implements Plugin {

    @Override
    public String id() {
        return "istio-health";
    }
}
