package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.cloudpilot.k8s.syntax.Untyped;
import io.cloudpilot.plugin.toolkit.Ages;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * What every family of checks looks things up in, built once per validation from a {@link ConfigSnapshot}: the
 * service registry (Services and ServiceEntry hosts, with their visibility), the live pods and the labels Istio adds
 * to them, Secrets, Gateways and the workloads they select, VirtualServices by name and DestinationRules as Istio
 * finds them for a client namespace. Read-only once built.
 */
final class ConfigIndex {

    /** The Service annotation that limits its visibility, as {@code exportTo} does for Istio objects. */
    static final String SERVICE_EXPORT_TO = "networking.istio.io/exportTo";
    /**
     * Node labels Istio copies onto the endpoints of the pods on the node: a subset may select on them, which pod
     * labels alone cannot tell.
     */
    static final List<String> TOPOLOGY_LABELS = List.of("topology.kubernetes.io/region", "topology.kubernetes.io/zone",
            "topology.istio.io/subzone", "kubernetes.io/hostname");

    /** Istio's order of precedence between objects: older first, then by name, then by namespace. */
    static final Comparator<GenericKubernetesResource> OLDEST_FIRST = Comparator
            .comparing((GenericKubernetesResource r) -> Ages.parse(r.getMetadata().getCreationTimestamp()),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(r -> r.getMetadata().getName())
            .thenComparing(r -> r.getMetadata().getNamespace());

    /**
     * A name in the service registry.
     *
     * @param host       the name (a ServiceEntry host may be a wildcard)
     * @param kind       Service or ServiceEntry
     * @param namespace  the namespace of the Service or ServiceEntry
     * @param name       its name
     * @param visibility the namespaces it is visible to
     * @param ports      its port numbers (a Service's ports, not their target ports)
     * @param service    the Service, for a Service
     */
    record RegistryHost(String host, String kind, String namespace, String name, ExportTo visibility,
                        List<Integer> ports, Service service) {
        Validation.ObjectRef ref() {
            return new Validation.ObjectRef(kind, namespace, name);
        }
    }

    /**
     * A DestinationRule with its host resolved.
     *
     * @param rule       the object
     * @param host       its host, fully qualified (or a wildcard)
     * @param visibility its exportTo
     * @param selector   its {@code workloadSelector.matchLabels}, empty when none
     */
    record RuleEntry(GenericKubernetesResource rule, String host, ExportTo visibility, Map<String, String> selector) {
        ObjectKey key() {
            return ObjectKey.of("DestinationRule", rule);
        }

        String namespace() {
            return rule.getMetadata().getNamespace();
        }

        List<String> subsetNames() {
            return Untyped.list(IstioKinds.spec(rule), "subsets").stream().map(s -> Untyped.string(s, "name"))
                    .filter(Objects::nonNull).toList();
        }
    }

    /**
     * The proxies a Gateway configures.
     *
     * @param pods       the live pods its selector picks (in any namespace), or null when pods could not be read
     * @param namespaces where those proxies run: the namespaces Istio looks up secrets, VirtualServices and
     *                   DestinationRules from (the Gateway's own namespace when the pods are unknown)
     */
    record GatewayWorkload(List<Pod> pods, Set<String> namespaces) {
        boolean shares(GatewayWorkload other) {
            return pods != null && other.pods != null && pods.stream().anyMatch(other.pods::contains);
        }
    }

    final ConfigSnapshot snapshot;
    final MeshSettings mesh;
    /** Namespace names, or null when they could not be read. */
    final Set<String> namespaces;
    private final Map<String, List<RegistryHost>> exactHosts = new HashMap<>();
    private final List<RegistryHost> wildcardHosts = new ArrayList<>();
    private final Map<String, List<Pod>> livePodsByNamespace = new HashMap<>();
    private final Map<String, Secret> secrets = new HashMap<>();
    private final Map<String, GenericKubernetesResource> gateways = new HashMap<>();
    private final Map<GenericKubernetesResource, GatewayWorkload> workloads = new HashMap<>();
    private final Map<String, GenericKubernetesResource> virtualServices = new HashMap<>();
    private final Map<String, List<RuleEntry>> rulesByNamespace = new HashMap<>();
    private final List<RuleEntry> rules = new ArrayList<>();
    private final java.util.IdentityHashMap<Service, List<Map<String, String>>> servicePods =
            new java.util.IdentityHashMap<>();
    private final Map<String, Map<String, List<Map<String, String>>>> podsByLabel = new HashMap<>();

    ConfigIndex(ConfigSnapshot snapshot, MeshSettings mesh) {
        this.snapshot = snapshot;
        this.mesh = mesh;
        this.namespaces = snapshot.namespaces() == null ? null
                : snapshot.namespaces().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        if (snapshot.services() != null) {
            for (Service s : snapshot.services()) {
                String ns = s.getMetadata().getNamespace();
                String annotation = s.getMetadata().getAnnotations() == null ? null
                        : s.getMetadata().getAnnotations().get(SERVICE_EXPORT_TO);
                ExportTo visibility = ExportTo.of(annotation == null ? List.of() : Arrays.asList(annotation.split(",")),
                        ns, mesh.defaultExportTo().get("Service"));
                List<Integer> ports = s.getSpec() == null || s.getSpec().getPorts() == null ? List.of()
                        : s.getSpec().getPorts().stream().map(ServicePort::getPort).filter(Objects::nonNull).toList();
                register(new RegistryHost(s.getMetadata().getName() + "." + ns + ".svc." + mesh.dnsDomain(), "Service",
                        ns, s.getMetadata().getName(), visibility, ports, s));
            }
        }
        if (snapshot.serviceEntries() != null) {
            for (GenericKubernetesResource se : snapshot.serviceEntries()) {
                String ns = se.getMetadata().getNamespace();
                Map<String, Object> spec = IstioKinds.spec(se);
                ExportTo visibility = ExportTo.of(Untyped.strings(spec, "exportTo"), ns,
                        mesh.defaultExportTo().get("Service"));
                List<Integer> ports = Untyped.list(spec, "ports").stream().map(p -> Untyped.integer(p, "number"))
                        .filter(Objects::nonNull).toList();
                for (String h : Untyped.strings(spec, "hosts")) {
                    register(new RegistryHost(HostNames.fqdn(h, ns, mesh.dnsDomain()), "ServiceEntry", ns,
                            se.getMetadata().getName(), visibility, ports, null));
                }
            }
        }
        if (snapshot.pods() != null) {
            snapshot.pods().stream().filter(ConfigIndex::live).forEach(p -> livePodsByNamespace
                    .computeIfAbsent(p.getMetadata().getNamespace(), x -> new ArrayList<>()).add(p));
        }
        if (snapshot.secrets() != null) {
            snapshot.secrets().forEach(x -> secrets.put(x.getMetadata().getNamespace() + "/" + x.getMetadata().getName(), x));
        }
        for (GenericKubernetesResource g : snapshot.gateways()) {
            gateways.put(g.getMetadata().getNamespace() + "/" + g.getMetadata().getName(), g);
            workloads.put(g, workloadOf(g));
        }
        for (GenericKubernetesResource vs : snapshot.virtualServices()) {
            virtualServices.put(vs.getMetadata().getNamespace() + "/" + vs.getMetadata().getName(), vs);
        }
        List<GenericKubernetesResource> ordered = new ArrayList<>(snapshot.destinationRules());
        ordered.sort(OLDEST_FIRST);
        for (GenericKubernetesResource dr : ordered) {
            Map<String, Object> spec = IstioKinds.spec(dr);
            String host = Untyped.string(spec, "host");
            if (host == null || host.isBlank()) {
                continue;
            }
            String ns = dr.getMetadata().getNamespace();
            RuleEntry e = new RuleEntry(dr, HostNames.fqdn(host, ns, mesh.dnsDomain()),
                    ExportTo.of(Untyped.strings(spec, "exportTo"), ns, mesh.defaultExportTo().get("DestinationRule")),
                    Untyped.labels(Untyped.map(spec, "workloadSelector"), "matchLabels"));
            rules.add(e);
            rulesByNamespace.computeIfAbsent(ns, x -> new ArrayList<>()).add(e);
        }
    }

    private void register(RegistryHost h) {
        if (h.host().startsWith("*")) {
            wildcardHosts.add(h);
        } else {
            exactHosts.computeIfAbsent(h.host(), x -> new ArrayList<>()).add(h);
        }
    }

    // ---------------------------------------------------------------- hosts

    String fqdn(String host, String namespace) {
        return HostNames.fqdn(host, namespace, mesh.dnsDomain());
    }

    Validation.ObjectRef hostRef(String fqdn) {
        return HostNames.ref(fqdn, mesh.dnsDomain());
    }

    /** @return whether the registry is fully known (Services and ServiceEntries read, or not served) */
    boolean registryKnown() {
        return snapshot.services() != null && snapshot.serviceEntries() != null;
    }

    /**
     * @param host a name, possibly a wildcard
     * @return the registry entries it names: for a wildcard, those it covers and the wildcards that cover it
     */
    List<RegistryHost> registry(String host) {
        List<RegistryHost> out = new ArrayList<>();
        if (host.startsWith("*")) {
            exactHosts.forEach((h, list) -> {
                if (HostNames.covers(host, h)) {
                    out.addAll(list);
                }
            });
        } else {
            out.addAll(exactHosts.getOrDefault(host, List.of()));
        }
        wildcardHosts.stream().filter(w -> HostNames.overlaps(w.host(), host)).forEach(out::add);
        return out;
    }

    /** @return the Service behind a fully qualified name, or null */
    Service service(String fqdn) {
        return exactHosts.getOrDefault(fqdn, List.of()).stream().map(RegistryHost::service).filter(Objects::nonNull)
                .findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- pods

    /** @return whether pods were read */
    boolean podsKnown() {
        return snapshot.pods() != null;
    }

    /** @return the live pods of a namespace */
    List<Pod> livePods(String namespace) {
        return livePodsByNamespace.getOrDefault(namespace, List.of());
    }

    /** Pods that are not Succeeded/Failed and not being deleted: those that can serve. */
    static boolean live(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && p.getMetadata().getDeletionTimestamp() == null;
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!Objects.equals(labels.get(e.getKey()), e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the labels of the live pods a Service selects (computed once per Service: every subset of its rules
     *         is matched against them)
     */
    List<Map<String, String>> podLabels(Service svc) {
        return servicePods.computeIfAbsent(svc, s -> {
            Map<String, String> selector = s.getSpec() == null ? null : s.getSpec().getSelector();
            if (selector == null || selector.isEmpty()) {
                return List.of();
            }
            // only the pods carrying the selector's rarest label need matching
            Map<String, List<Map<String, String>>> byLabel = podsByLabel.computeIfAbsent(s.getMetadata().getNamespace(),
                    this::labelIndex);
            List<Map<String, String>> candidates = null;
            for (Map.Entry<String, String> e : selector.entrySet()) {
                List<Map<String, String>> l = byLabel.getOrDefault(e.getKey() + "=" + e.getValue(), List.of());
                if (candidates == null || l.size() < candidates.size()) {
                    candidates = l;
                }
            }
            return candidates.stream().filter(l -> matches(selector, l)).toList();
        });
    }

    private Map<String, List<Map<String, String>>> labelIndex(String namespace) {
        Map<String, List<Map<String, String>>> out = new HashMap<>();
        for (Pod p : livePods(namespace)) {
            Map<String, String> l = labels(p);
            l.forEach((k, v) -> out.computeIfAbsent(k + "=" + v, x -> new ArrayList<>()).add(l));
        }
        return out;
    }

    static Map<String, String> labels(Pod p) {
        return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
    }

    // ---------------------------------------------------------------- secrets

    boolean secretsKnown() {
        return snapshot.secrets() != null;
    }

    Secret secret(String namespace, String name) {
        return secrets.get(namespace + "/" + name);
    }

    // ---------------------------------------------------------------- gateways

    /**
     * @param namespace its namespace
     * @param name its name
     * @return the Gateway, or null
     */
    GenericKubernetesResource gateway(String namespace, String name) {
        return gateways.get(namespace + "/" + name);
    }

    GatewayWorkload workload(GenericKubernetesResource gateway) {
        return workloads.get(gateway);
    }

    private GatewayWorkload workloadOf(GenericKubernetesResource g) {
        Map<String, String> selector = Untyped.labels(IstioKinds.spec(g), "selector");
        if (snapshot.pods() == null || selector.isEmpty()) {
            // without a selector Istio applies the Gateway to every gateway proxy, which pods alone do not tell
            return new GatewayWorkload(null, Set.of(g.getMetadata().getNamespace()));
        }
        List<Pod> pods = livePodsByNamespace.values().stream().flatMap(List::stream)
                .filter(p -> matches(selector, labels(p))).toList();
        Set<String> where = pods.stream().map(p -> p.getMetadata().getNamespace())
                .collect(Collectors.toCollection(TreeSet::new));
        return new GatewayWorkload(pods, where.isEmpty() ? Set.of(g.getMetadata().getNamespace()) : where);
    }

    /** @return the Services in front of some of the pods, null when Services or pods are unknown */
    List<Service> frontingServices(List<Pod> pods) {
        if (pods == null || snapshot.services() == null) {
            return null;
        }
        return snapshot.services().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty()
                        && s.getSpec().getPorts() != null)
                .filter(s -> pods.stream().anyMatch(p -> p.getMetadata().getNamespace().equals(s.getMetadata().getNamespace())
                        && matches(s.getSpec().getSelector(), labels(p))))
                .toList();
    }

    // ---------------------------------------------------------------- virtual services

    GenericKubernetesResource virtualService(String namespace, String name) {
        return virtualServices.get(namespace + "/" + name);
    }

    // ---------------------------------------------------------------- destination rules

    /** @return every DestinationRule with a host, oldest first */
    List<RuleEntry> rules() {
        return rules;
    }

    /**
     * The DestinationRules a proxy in {@code client} applies to traffic for {@code host}, in Istio's order of
     * precedence: those of the client's own namespace; else those the host's namespace exports to the client; else
     * those the root namespace exports to it. Within a namespace the most specific host wins (an exact host over a
     * wildcard), and the rules for that host are merged (oldest first). Rules with a workload selector are left out:
     * they apply to some proxies only.
     *
     * @param host   a fully qualified name
     * @param client the namespace of the proxy
     * @return the rules, oldest first; empty when none applies
     */
    List<RuleEntry> rulesFor(String host, String client) {
        if (!client.equals(mesh.rootNamespace())) {
            List<RuleEntry> local = mostSpecific(host, rulesByNamespace.getOrDefault(client, List.of()).stream()
                    .filter(r -> r.visibility().visibleTo(client)).toList());
            if (!local.isEmpty()) {
                return local;
            }
        }
        Set<String> owners = new LinkedHashSet<>();
        for (RegistryHost h : registry(host)) {
            owners.add(h.namespace());
        }
        owners.add(mesh.rootNamespace());
        for (String ns : owners) {
            List<RuleEntry> exported = mostSpecific(host, rulesByNamespace.getOrDefault(ns, List.of()).stream()
                    .filter(r -> r.visibility().visibleTo(client)).toList());
            if (!exported.isEmpty()) {
                return exported;
            }
        }
        return List.of();
    }

    private static List<RuleEntry> mostSpecific(String host, List<RuleEntry> candidates) {
        String best = null;
        for (RuleEntry r : candidates) {
            if (!r.selector().isEmpty() || !HostNames.covers(r.host(), host)) {
                continue;
            }
            if (best == null || specificity(r.host()) > specificity(best)) {
                best = r.host();
            }
        }
        String chosen = best;
        return chosen == null ? List.of()
                : candidates.stream().filter(r -> r.selector().isEmpty() && r.host().equals(chosen)).toList();
    }

    /** An exact name beats any wildcard; a longer wildcard beats a shorter one. */
    private static int specificity(String host) {
        return host.startsWith("*") ? host.length() : Integer.MAX_VALUE;
    }
}
