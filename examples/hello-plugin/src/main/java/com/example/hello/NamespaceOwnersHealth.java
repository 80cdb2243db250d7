package com.example.hello;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.Severity;

/**
 * Adds section {@code hello} to {@code GET /istio/health/summary}: the namespaces without an owner label, each
 * also an {@code info} finding (informational: it does not lower the score).
 */
final class NamespaceOwnersHealth implements HealthContributor {

    private final Supplier<PluginContext> context;

    NamespaceOwnersHealth(Supplier<PluginContext> context) {
        this.context = context;
    }

    @Override
    public String id() {
        return "hello";
    }

    @Override
    public Contribution contribute(ClusterContext cluster, boolean forceRefresh) {
        PluginContext plugin = context.get();
        NamespaceOwners.Report report = NamespaceOwners.of(plugin).read(cluster, plugin.cache(), forceRefresh);
        List<Finding> findings = report.withoutOwner().stream()
                .map(ns -> new Finding("NamespaceWithoutOwner", Severity.INFO,
                        "Namespace '" + ns + "' has no '" + report.label() + "' label: nobody is named as its owner.",
                        "/hello/namespaces?cluster_name=" + cluster.name()))
                .toList();
        return new Contribution(findings, Map.of(
                "owner_label", report.label(),
                "namespaces_without_owner", report.withoutOwner(),
                "owned_namespaces", report.owned().size()));
    }
}
