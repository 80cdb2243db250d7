package io.cloudpilot.plugin.istioconfig;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.cloudpilot.k8s.syntax.Names;
import io.cloudpilot.plugin.istioconfig.ValidationOptions.OutboundTrafficPolicy;

/**
 * This plugin's configuration ({@code plugins.istio-config.*}, {@code docs/configuration.md}): the codes suppressed
 * everywhere, and per cluster its DNS domain and the outbound traffic policy to assume when its mesh config does not
 * say.
 *
 * @param ignored          {@code validations.ignore}
 * @param dnsDomain        {@code dns-domain}, default {@code cluster.local}
 * @param policy           {@code outbound-traffic-policy}, default ALLOW_ANY
 * @param clusterDomains   {@code clusters.<name>.dns-domain}
 * @param clusterPolicies  {@code clusters.<name>.outbound-traffic-policy}
 */
record IstioConfigSettings(Set<Code> ignored, String dnsDomain, OutboundTrafficPolicy policy,
                           Map<String, String> clusterDomains, Map<String, OutboundTrafficPolicy> clusterPolicies) {

    private static final String PREFIX = "plugins.istio-config.";

    IstioConfigSettings {
        ignored = Set.copyOf(ignored);
        clusterDomains = Map.copyOf(clusterDomains);
        clusterPolicies = Map.copyOf(clusterPolicies);
    }

    /**
     * @param config the plugin's configuration, keys relative to {@code plugins.istio-config.}
     * @return the settings
     * @throws IllegalArgumentException naming the key, for a value that is not one of the allowed
     */
    static IstioConfigSettings from(Map<String, String> config) {
        Map<String, String> domains = new HashMap<>();
        Map<String, OutboundTrafficPolicy> policies = new HashMap<>();
        config.forEach((key, value) -> {
            if (key.startsWith("clusters.") && key.endsWith(".dns-domain")) {
                domains.put(key.substring("clusters.".length(), key.length() - ".dns-domain".length()),
                        domain(key, value));
            } else if (key.startsWith("clusters.") && key.endsWith(".outbound-traffic-policy")) {
                policies.put(key.substring("clusters.".length(), key.length() - ".outbound-traffic-policy".length()),
                        policy(key, value));
            }
        });
        String domain = config.get("dns-domain");
        String policy = config.get("outbound-traffic-policy");
        return new IstioConfigSettings(codes(config.get("validations.ignore")),
                domain == null ? ValidationOptions.DEFAULT_DNS_DOMAIN : domain("dns-domain", domain),
                policy == null ? OutboundTrafficPolicy.ALLOW_ANY : policy("outbound-traffic-policy", policy),
                domains, policies);
    }

    /** @return the options of one cluster's validation at {@code now} */
    ValidationOptions forCluster(String cluster, Instant now) {
        return new ValidationOptions(clusterDomains.getOrDefault(cluster, dnsDomain),
                clusterPolicies.getOrDefault(cluster, policy), ignored, now);
    }

    /** @param csv comma-separated codes, or null @return the codes */
    static Set<Code> codes(String csv) {
        if (csv == null || csv.isBlank()) {
            return Set.of();
        }
        Set<Code> out = new LinkedHashSet<>();
        for (String id : csv.split(",")) {
            String trimmed = id.trim();
            if (!trimmed.isEmpty()) {
                out.add(Code.byId(trimmed).orElseThrow(() -> new IllegalArgumentException(PREFIX
                        + "validations.ignore names '" + trimmed + "', which is no validation code: use codes of "
                        + "docs/validations.md, e.g. " + Arrays.stream(Code.values()).limit(3).map(Code::id)
                        .collect(Collectors.joining(", ")) + ".")));
            }
        }
        return out;
    }

    private static String domain(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!Names.isDns1123Subdomain(v)) {
            throw new IllegalArgumentException(PREFIX + key + " is not a DNS domain ('" + value + "'): use e.g. "
                    + "cluster.local.");
        }
        return v;
    }

    private static OutboundTrafficPolicy policy(String key, String value) {
        try {
            return OutboundTrafficPolicy.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + key + " must be ALLOW_ANY or REGISTRY_ONLY, not '" + value
                    + "'.", e);
        }
    }
}
