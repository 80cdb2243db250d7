package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.cloudpilot.plugin.istioconfig.ConfigValidator.Key;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.Severity;

/**
 * The istio-config section of the mesh health summary: how many Gateways, VirtualServices and DestinationRules the
 * cluster has, and its validation findings counted by code. One finding per code (errors are {@code critical}),
 * linking to the list of the affected kind filtered with {@code has_errors=true} or to the first affected object.
 */
final class ConfigHealthContributor implements HealthContributor {

    private final Supplier<IstioConfigService> service;

    /** @param service the service, available once the plugin has started */
    ConfigHealthContributor(Supplier<IstioConfigService> service) {
        this.service = service;
    }

    @Override
    public String id() {
        return "istio-config";
    }

    @Override
    public Contribution contribute(ClusterContext cluster, boolean forceRefresh) {
        IstioConfigService.Analysis a;
        try {
            a = service.get().analyze(cluster, forceRefresh);
        } catch (ApiException.IstioNotInstalled e) {
            return new Contribution(List.of(), Map.of("configuration", Map.of("istio_installed", false)));
        }
        ConfigSnapshot s = a.snapshot();
        Map<String, CodeCount> byCode = new TreeMap<>();
        int errors = 0;
        int warnings = 0;
        int infos = 0;
        for (Map.Entry<Key, List<Validation>> e : a.validations().entrySet()) {
            for (Validation v : e.getValue()) {
                switch (v.severity()) {
                    case Validation.ERROR -> errors++;
                    case Validation.WARNING -> warnings++;
                    default -> infos++;
                }
                CodeCount c = byCode.computeIfAbsent(v.code(), k -> new CodeCount(v.severity(), e.getKey()));
                c.count++;
            }
        }
        List<Finding> findings = new ArrayList<>();
        byCode.entrySet().stream()
                .sorted(Comparator.comparingInt((Map.Entry<String, CodeCount> e) -> rank(e.getValue().severity))
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    CodeCount c = e.getValue();
                    Key first = c.first;
                    String path = "/api/istio/" + first.kind().toLowerCase(java.util.Locale.ROOT) + "/detail?cluster_name="
                            + cluster.name() + "&namespace=" + first.namespace() + "&"
                            + first.kind().toLowerCase(java.util.Locale.ROOT) + "_name=" + first.name();
                    findings.add(new Finding(e.getKey(), severity(c.severity),
                            c.count + " finding(s) " + e.getKey() + ", first on " + first.kind() + " "
                                    + first.namespace() + "/" + first.name() + ".", path));
                });
        Map<String, Object> codes = new LinkedHashMap<>();
        byCode.forEach((k, v) -> codes.put(k, Map.of("severity", v.severity, "count", v.count)));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("istio_installed", true);
        details.put("api_version", IstioKinds.GROUP + "/" + s.version());
        details.put("gateways", s.gateways().size());
        details.put("virtualservices", s.virtualServices().size());
        details.put("destinationrules", s.destinationRules().size());
        details.put("errors", errors);
        details.put("warnings", warnings);
        details.put("infos", infos);
        details.put("by_code", codes);
        details.put("not_validated", s.unavailable());
        // the health summary shows a contributor's "configuration" section at its top level
        return new Contribution(findings, Map.of("configuration", details));
    }

    /** A validation's error is a critical finding of the summary. */
    private static Severity severity(String validation) {
        return switch (validation) {
            case Validation.ERROR -> Severity.CRITICAL;
            case Validation.WARNING -> Severity.WARNING;
            default -> Severity.INFO;
        };
    }

    private static int rank(String severity) {
        return switch (severity) {
            case Validation.ERROR -> 0;
            case Validation.WARNING -> 1;
            default -> 2;
        };
    }

    private static final class CodeCount {
        final String severity;
        final Key first;
        int count;

        CodeCount(String severity, Key first) {
            this.severity = severity;
            this.first = first;
        }
    }
}
