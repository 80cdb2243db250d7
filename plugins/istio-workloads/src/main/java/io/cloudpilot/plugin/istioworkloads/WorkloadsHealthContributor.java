package io.cloudpilot.plugin.istioworkloads;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import io.cloudpilot.plugin.istioworkloads.WorkloadReader.Workload;
import io.cloudpilot.plugin.toolkit.Health;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.Severity;
import io.cloudpilot.spi.PluginContext;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Service;

/**
 * The control plane and ingress gateways in the mesh health summary: the findings of every istiod and gateway
 * Deployment of the Istio namespace ({@code plugins.istio-workloads.health.namespace}, default istio-system), each
 * linking to the detail endpoint that explains it, and a per-component score.
 */
final class WorkloadsHealthContributor implements HealthContributor {

    private final Supplier<PluginContext> context;

    /** @param context the plugin's context, available once the plugin started */
    WorkloadsHealthContributor(Supplier<PluginContext> context) {
        this.context = context;
    }

    @Override
    public String id() {
        return "istio-workloads";
    }

    @Override
    public Contribution contribute(ClusterContext cluster, boolean forceRefresh) {
        PluginContext ctx = context.get();
        if (ctx == null) {
            throw new IllegalStateException("the istio-workloads plugin has not started");
        }
        String namespace = ctx.config("health.namespace").filter(s -> !s.isBlank()).orElse(WorkloadQueries.DEFAULT_NAMESPACE);
        WorkloadReader reader = new WorkloadReader(ctx.cache());
        List<Object> parts = reader.all(List.<Callable<Object>>of(
                () -> reader.findOrEmpty(cluster, namespace, IstioComponent.ISTIOD, forceRefresh),
                () -> reader.findOrEmpty(cluster, namespace, IstioComponent.GATEWAY, forceRefresh),
                () -> reader.services(cluster, namespace, forceRefresh),
                () -> reader.events(cluster, namespace, forceRefresh)));
        @SuppressWarnings("unchecked") List<Workload> istiods = (List<Workload>) parts.get(0);
        @SuppressWarnings("unchecked") List<Workload> gateways = (List<Workload>) parts.get(1);
        @SuppressWarnings("unchecked") List<Service> services = (List<Service>) parts.get(2);
        @SuppressWarnings("unchecked") List<Event> events = (List<Event>) parts.get(3);

        List<Finding> findings = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("namespace", namespace);
        details.put("control_plane", section(cluster, namespace, IstioComponent.ISTIOD, istiods, services, events, findings));
        details.put("gateways", section(cluster, namespace, IstioComponent.GATEWAY, gateways, services, events, findings));
        if (istiods.isEmpty()) {
            findings.add(new Finding("ControlPlaneNotFound", Severity.CRITICAL, "No istiod Deployment (label "
                    + IstioComponent.ISTIOD.labels() + ") in namespace '" + namespace + "' of cluster '" + cluster.name()
                    + "': Istio is not installed there.", endpoint(cluster, namespace, IstioComponent.ISTIOD)));
        }
        if (gateways.isEmpty()) {
            findings.add(new Finding("NoIngressGateway", Severity.INFO, "No ingress gateway Deployment (label "
                    + IstioComponent.GATEWAY.labels() + ") in namespace '" + namespace + "' of cluster '"
                    + cluster.name() + "'.", endpoint(cluster, namespace, IstioComponent.GATEWAY)));
        }
        findings.sort(Comparator.comparing(Finding::severity));
        return new Contribution(findings, details);
    }

    private static Map<String, Object> section(ClusterContext cluster, String namespace, IstioComponent component,
                                               List<Workload> workloads, List<Service> services, List<Event> events,
                                               List<Finding> findings) {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Health.Finding> all = new ArrayList<>();
        for (Workload w : workloads) {
            List<Service> front = WorkloadDetails.servicesOf(w, services);
            Health h = WorkloadHealth.evaluate(component, w, front, WorkloadDetails.recentWarnings(w, events));
            all.addAll(h.findings());
            for (Health.Finding f : h.findings()) {
                findings.add(new Finding(f.code(), f.severity(), f.message(), endpoint(cluster, namespace, component)));
            }
            var d = w.deployment();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", w.name());
            row.put("revision", d.getMetadata().getLabels() == null ? null : d.getMetadata().getLabels().get("istio.io/rev"));
            row.put("version", version(component, w));
            row.put("desired", d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas());
            row.put("ready", d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0 : d.getStatus().getReadyReplicas());
            row.put("score", h.score());
            row.put("status", h.status());
            if (component == IstioComponent.GATEWAY) {
                row.put("external_addresses", front.stream().flatMap(s -> ServiceViews.externalAddresses(s).stream()).toList());
            }
            rows.add(row);
        }
        Map<String, Object> section = new LinkedHashMap<>();
        section.put("found", workloads.size());
        Health h = workloads.isEmpty() ? null : Health.of(all);
        section.put("score", h == null ? null : h.score());
        section.put("status", h == null ? "absent" : h.status());
        section.put("workloads", rows);
        return section;
    }

    private static String version(IstioComponent component, Workload w) {
        var spec = w.deployment().getSpec();
        if (spec == null || spec.getTemplate() == null || spec.getTemplate().getSpec() == null) {
            return null;
        }
        return spec.getTemplate().getSpec().getContainers().stream()
                .filter(c -> component.mainContainer().equals(c.getName())).findFirst()
                .map(c -> PodStates.tag(c.getImage())).orElse(null);
    }

    private static String endpoint(ClusterContext cluster, String namespace, IstioComponent component) {
        return component.path() + "/detail?cluster_name=" + cluster.name() + "&namespace=" + namespace;
    }

}
