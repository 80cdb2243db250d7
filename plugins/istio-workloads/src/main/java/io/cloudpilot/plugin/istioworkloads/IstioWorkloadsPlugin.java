package io.cloudpilot.plugin.istioworkloads;

import io.cloudpilot.spi.Plugin;

/**
 * Istio control plane workloads: istiod and ingress gateway detail, logs and events.
 */
public final class IstioWorkloadsPlugin implements Plugin {

    @Override
    public String id() {
        return "istio-workloads";
    }
}
