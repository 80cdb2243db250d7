package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.HealthContributor;

/**
 * The istio-config section of the mesh health summary: how many Gateways, VirtualServices and DestinationRules the
 * cluster has, and its validation findings counted by code. One finding per code (errors are {@code critical}),
 * linking to the detail of the first affected object; {@code problem_counts} says how many findings each stands for,
 * so that the summary's score counts every one of them.
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
        // a code has one severity per finding; the worst one found stands for the code
        Map<String, CodeCount> byCode = new TreeMap<>();
        int errors = 0;
        int warnings = 0;
        int infos = 0;
        for (Map.Entry<ObjectKey, List<Validation>> e : a.validations().entrySet()) {
            for (Validation v : e.getValue()) {
                switch (v.severity()) {
                    case ERROR -> errors++;
                    case WARNING -> warnings++;
                    case INFO -> infos++;
                }
                CodeCount c = byCode.computeIfAbsent(v.code().id(), k -> new CodeCount(v.severity(), e.getKey()));
                if (v.severity().compareTo(c.severity) < 0) {
                    c.severity = v.severity();
                    c.first = e.getKey();
                }
                c.count++;
            }
        }
        List<Finding> findings = new ArrayList<>();
        Map<String, Object> problemCounts = new LinkedHashMap<>();
        byCode.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, CodeCount> e) -> e.getValue().severity)
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> {
                    CodeCount c = e.getValue();
                    ObjectKey first = c.first;
                    String path = "/api/istio/" + first.kind().toLowerCase(java.util.Locale.ROOT) + "/detail?cluster_name="
                            + cluster.name() + "&namespace=" + first.namespace() + "&"
                            + first.kind().toLowerCase(java.util.Locale.ROOT) + "_name=" + first.name();
                    findings.add(new Finding(e.getKey(), summarySeverity(c.severity),
                            c.count + " finding(s) " + e.getKey() + ", first on " + first.kind() + " "
                                    + first.namespace() + "/" + first.name() + ".", path));
                    problemCounts.put(e.getKey(), c.count);
                });
        Map<String, Object> codes = new LinkedHashMap<>();
        byCode.forEach((k, v) -> codes.put(k, Map.of("severity", v.severity.id(), "count", v.count)));
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
        details.put("absent_kinds", s.absentKinds());
        details.put("mesh_settings", Map.of("dns_domain", a.mesh().dnsDomain(),
                "outbound_traffic_policy", a.mesh().outboundTrafficPolicy().name(),
                "outbound_traffic_policy_source", a.mesh().policySource()));
        // the health summary shows a contributor's "configuration" section at its top level, and counts each
        // finding as problem_counts says (one finding per code here stands for that many validations)
        return new Contribution(findings, Map.of("configuration", details, "problem_counts", problemCounts));
    }

    /** A validation's error is a critical finding of the summary. */
    private static io.cloudpilot.spi.Severity summarySeverity(Severity validation) {
        return switch (validation) {
            case ERROR -> io.cloudpilot.spi.Severity.CRITICAL;
            case WARNING -> io.cloudpilot.spi.Severity.WARNING;
            case INFO -> io.cloudpilot.spi.Severity.INFO;
        };
    }

    private static final class CodeCount {
        Severity severity;
        ObjectKey first;
        int count;

        CodeCount(Severity severity, ObjectKey first) {
            this.severity = severity;
            this.first = first;
        }
    }
}
