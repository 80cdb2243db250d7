package io.cloudpilot.plugin.istioconfig;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What a validation needs besides the cluster's objects: the settings of that cluster and the clock.
 *
 * @param dnsDomain             the cluster's DNS domain, e.g. {@code cluster.local}: Services are
 *                              {@code name.namespace.svc.<dnsDomain>}
 * @param outboundTrafficPolicy the policy to assume when the cluster's mesh config does not set one (the mesh config,
 *                              when it says, wins: it is what Istio does)
 * @param ignored               codes suppressed on every object
 * @param now                   the time certificates are checked against
 */
record ValidationOptions(String dnsDomain, OutboundTrafficPolicy outboundTrafficPolicy, Set<Code> ignored,
                         Instant now) {

    static final String DEFAULT_DNS_DOMAIN = "cluster.local";

    ValidationOptions {
        Objects.requireNonNull(dnsDomain, "dnsDomain is null");
        Objects.requireNonNull(outboundTrafficPolicy, "outboundTrafficPolicy is null");
        ignored = Set.copyOf(ignored);
        Objects.requireNonNull(now, "now is null");
    }

    /** Istio's defaults: {@code cluster.local}, ALLOW_ANY, nothing suppressed. */
    static ValidationOptions defaults(Instant now) {
        return new ValidationOptions(DEFAULT_DNS_DOMAIN, OutboundTrafficPolicy.ALLOW_ANY, Set.of(), now);
    }

    /** The mesh's {@code outboundTrafficPolicy.mode}. */
    enum OutboundTrafficPolicy {
        /** Sidecars pass traffic to hosts outside the registry through (Istio's default). */
        ALLOW_ANY,
        /** Sidecars block traffic to hosts outside the registry. */
        REGISTRY_ONLY
    }
}
