package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import io.cloudpilot.k8s.syntax.Untyped;
import io.cloudpilot.plugin.istioconfig.ConfigIndex.GatewayWorkload;
import io.cloudpilot.plugin.istioconfig.ConfigIndex.RegistryHost;
import io.cloudpilot.plugin.istioconfig.ConfigIndex.RuleEntry;
import io.cloudpilot.plugin.istioconfig.Validation.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;

/**
 * The checks of VirtualServices: where they are bound (Gateways, the mesh, delegation), whether the proxies they are
 * bound to see them, where their routes send traffic (hosts, subsets and ports as the proxies that run the routes
 * find them), the shape of their routes, and VirtualServices that claim the same host.
 */
final class VirtualServiceChecks {

    /**
     * Which subsets VirtualServices route to, for the DestinationRule checks.
     *
     * @param subsetUse DestinationRule and subset name → the VirtualServices routing there
     */
    record Routing(Map<SubsetRef, Set<ObjectKey>> subsetUse) {
        Set<ObjectKey> users(ObjectKey rule, String subset) {
            return subsetUse.getOrDefault(new SubsetRef(rule, subset), Set.of());
        }
    }

    /** A subset of one DestinationRule. */
    record SubsetRef(ObjectKey rule, String subset) {
    }

    /** An entry of {@code spec.gateways}, resolved as Istio resolves it. */
    private record GatewayBinding(int index, String written, String namespace, String name,
                                  GenericKubernetesResource gateway) {
    }

    /**
     * Where one VirtualService applies.
     *
     * @param vs        the object
     * @param key       its key
     * @param mesh      bound to the sidecars ({@code mesh}, or no gateways)
     * @param gateways  the Gateways it is bound to (resolved or not)
     * @param clients   the namespaces of the proxies that run its routes: its own for the mesh, the gateway pods'
     * @param delegate  it has no hosts: a delegate, bound through the VirtualServices that delegate to it
     */
    private record Binding(GenericKubernetesResource vs, ObjectKey key, boolean mesh, List<GatewayBinding> gateways,
                           Set<String> clients, boolean delegate) {
        boolean gatewayOnly() {
            return !mesh && (!gateways.isEmpty() || delegate);
        }
    }

    private final ConfigIndex index;
    private final Findings findings;
    private final Map<SubsetRef, Set<ObjectKey>> subsetUse = new HashMap<>();
    private final Map<GenericKubernetesResource, Binding> bindings = new LinkedHashMap<>();

    VirtualServiceChecks(ConfigIndex index, Findings findings) {
        this.index = index;
        this.findings = findings;
    }

    Routing check() {
        for (GenericKubernetesResource vs : index.snapshot.virtualServices()) {
            bindings.put(vs, bind(vs));
        }
        delegates();
        for (Binding b : bindings.values()) {
            gatewaysOf(b);
            routes(b);
            exportToNamespaces(index, findings, b.key(), IstioKinds.spec(b.vs()));
        }
        meshHostConflicts();
        gatewayHostMerges();
        ingressIgnoringSubsets();
        return new Routing(Map.copyOf(subsetUse));
    }

    // ---------------------------------------------------------------- bindings

    private Binding bind(GenericKubernetesResource vs) {
        ObjectKey key = ObjectKey.of("VirtualService", vs);
        Map<String, Object> spec = IstioKinds.spec(vs);
        boolean delegate = Untyped.strings(spec, "hosts").isEmpty();
        List<String> written = Untyped.strings(spec, "gateways");
        boolean mesh = !delegate && (written.isEmpty() || written.contains("mesh"));
        List<GatewayBinding> gateways = new ArrayList<>();
        Set<String> clients = new TreeSet<>();
        if (mesh) {
            clients.add(key.namespace());
        }
        for (int k = 0; k < written.size(); k++) {
            String ref = written.get(k);
            if (ref.equals("mesh")) {
                continue;
            }
            String[] nsName = resolveGateway(ref, key.namespace());
            GenericKubernetesResource g = index.gateway(nsName[0], nsName[1]);
            gateways.add(new GatewayBinding(k, ref, nsName[0], nsName[1], g));
            if (g != null) {
                clients.addAll(index.workload(g).namespaces());
            }
        }
        if (clients.isEmpty()) {
            // bound to Gateways that do not exist (or a delegate nothing uses): its routes are still checked, from
            // its own namespace
            clients.add(key.namespace());
        }
        return new Binding(vs, key, mesh, gateways, clients, delegate);
    }

    /**
     * Istio's reading of a gateway reference: {@code ns/name}, {@code ./name} (own namespace), a bare name (own
     * namespace), or the legacy {@code name.ns[.svc.cluster.local]}.
     */
    static String[] resolveGateway(String ref, String vsNamespace) {
        int slash = ref.indexOf('/');
        if (slash >= 0) {
            String ns = ref.substring(0, slash);
            return new String[] {ns.equals(".") ? vsNamespace : ns, ref.substring(slash + 1)};
        }
        int dot = ref.indexOf('.');
        if (dot >= 0) {
            String rest = ref.substring(dot + 1);
            int next = rest.indexOf('.');
            return new String[] {next < 0 ? rest : rest.substring(0, next), ref.substring(0, dot)};
        }
        return new String[] {vsNamespace, ref};
    }

    /** A delegate runs where the VirtualServices that delegate to it run. */
    private void delegates() {
        Map<GenericKubernetesResource, List<Binding>> parents = new HashMap<>();
        for (Binding b : bindings.values()) {
            List<Object> http = Untyped.list(IstioKinds.spec(b.vs()), "http");
            for (int i = 0; i < http.size(); i++) {
                Map<String, Object> d = Untyped.map(http.get(i), "delegate");
                if (d.isEmpty()) {
                    continue;
                }
                String name = Untyped.string(d, "name");
                String ns = Objects.requireNonNullElse(Untyped.string(d, "namespace"), b.key().namespace());
                GenericKubernetesResource target = name == null ? null : index.virtualService(ns, name);
                if (target == null) {
                    findings.add(b.key(), Code.VIRTUAL_SERVICE_DELEGATE_NOT_FOUND, Severity.ERROR,
                            "Rule http[" + i + "] delegates to VirtualService " + ns + "/" + name + ", which does not "
                                    + "exist, so requests this rule matches find no route (404): create it or correct "
                                    + "the reference.",
                            "spec.http[" + i + "].delegate", List.of(new ObjectRef("VirtualService", ns, name)));
                } else {
                    parents.computeIfAbsent(target, x -> new ArrayList<>()).add(b);
                }
            }
        }
        parents.forEach((target, list) -> {
            Binding own = bindings.get(target);
            if (!own.delegate()) {
                return;
            }
            boolean mesh = list.stream().anyMatch(Binding::mesh);
            List<GatewayBinding> gateways = list.stream().flatMap(p -> p.gateways().stream()).toList();
            Set<String> clients = new TreeSet<>();
            list.forEach(p -> clients.addAll(p.clients()));
            bindings.put(target, new Binding(target, own.key(), mesh, gateways, clients, true));
        });
    }

    // ---------------------------------------------------------------- gateways

    private void gatewaysOf(Binding b) {
        Map<String, Object> spec = IstioKinds.spec(b.vs());
        if (b.delegate()) {
            return;
        }
        List<String> hosts = Untyped.strings(spec, "hosts").stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
        List<GatewayBinding> serving = new ArrayList<>();
        for (GatewayBinding g : b.gateways()) {
            String path = "spec.gateways[" + g.index() + "]";
            legacyName(b.key(), g.written(), g.namespace(), g.name(), path);
            if (g.gateway() == null) {
                gatewayNotFound(b.key(), g.namespace(), g.name(), path);
                continue;
            }
            if (servesAny(g.gateway(), hosts, b.key().namespace())) {
                serving.add(g);
            }
            exportedTo(b, g, spec);
        }
        for (GatewayBinding g : b.gateways()) {
            if (g.gateway() == null || serving.contains(g)) {
                continue;
            }
            boolean unused = !b.mesh() && serving.isEmpty();
            findings.add(b.key(), Code.VIRTUAL_SERVICE_HOST_NOT_IN_GATEWAY, unused ? Severity.ERROR : Severity.WARNING,
                    "Gateway " + g.namespace() + "/" + g.name() + " serves none of this VirtualService's hosts "
                            + hosts + " (it serves " + servedHosts(g.gateway(), b.key().namespace()) + "), so it "
                            + "ignores these routes" + (unused ? ", and no other binding uses them: the VirtualService "
                            + "has no effect" : "") + ". Add a host to a server of the Gateway or remove the binding.",
                    "spec.gateways[" + g.index() + "]", List.of(new ObjectRef("Gateway", g.namespace(), g.name())));
        }
        for (String section : List.of("http", "tcp", "tls")) {
            List<Object> rules = Untyped.list(spec, section);
            for (int i = 0; i < rules.size(); i++) {
                List<Object> matches = Untyped.list(rules.get(i), "match");
                for (int j = 0; j < matches.size(); j++) {
                    List<String> mg = Untyped.strings(matches.get(j), "gateways");
                    for (int k = 0; k < mg.size(); k++) {
                        if (mg.get(k).equals("mesh")) {
                            continue;
                        }
                        String path = "spec." + section + "[" + i + "].match[" + j + "].gateways[" + k + "]";
                        String[] nsName = resolveGateway(mg.get(k), b.key().namespace());
                        legacyName(b.key(), mg.get(k), nsName[0], nsName[1], path);
                        if (index.gateway(nsName[0], nsName[1]) == null) {
                            gatewayNotFound(b.key(), nsName[0], nsName[1], path);
                        }
                    }
                }
            }
        }
    }

    private void legacyName(ObjectKey key, String written, String ns, String name, String path) {
        if (!written.contains("/") && written.contains(".")) {
            findings.add(key, Code.VIRTUAL_SERVICE_GATEWAY_LEGACY_NAME, Severity.INFO,
                    "Gateway '" + written + "' is named in the old dotted form; write it as '" + ns + "/" + name + "'.",
                    path, List.of(new ObjectRef("Gateway", ns, name)));
        }
    }

    private void gatewayNotFound(ObjectKey key, String ns, String name, String path) {
        findings.add(key, Code.VIRTUAL_SERVICE_GATEWAY_NOT_FOUND, Severity.ERROR,
                "Gateway " + ns + "/" + name + " does not exist" + (index.snapshot.absentKinds().contains("gateways")
                        ? " (the cluster does not serve Gateways)" : "") + ", so no gateway serves these routes: create "
                        + "the Gateway or correct the reference (namespace/name, or a bare name for the "
                        + "VirtualService's namespace).",
                path, List.of(new ObjectRef("Gateway", ns, name)));
    }

    /**
     * The hosts of a Gateway a VirtualService of {@code vsNamespace} may bind to, as Istio reads them: {@code ./h}
     * means the Gateway's namespace, {@code ns/h} only VirtualServices of {@code ns}, {@code *}{@code /h} any.
     */
    static List<String> servedHosts(GenericKubernetesResource gateway, String vsNamespace) {
        List<String> out = new ArrayList<>();
        for (Object server : Untyped.list(IstioKinds.spec(gateway), "servers")) {
            out.addAll(serverHosts(gateway, server, vsNamespace));
        }
        return out;
    }

    /** The hosts of one server a VirtualService of {@code vsNamespace} may bind to. */
    private static List<String> serverHosts(GenericKubernetesResource gateway, Object server, String vsNamespace) {
        List<String> out = new ArrayList<>();
        for (String h : GatewayChecks.sanitized(Untyped.strings(server, "hosts"), gateway.getMetadata().getNamespace())) {
            int slash = h.indexOf('/');
            if (slash >= 0) {
                String ns = h.substring(0, slash);
                if (!ns.equals("*") && !ns.equals(vsNamespace)) {
                    continue;
                }
                h = h.substring(slash + 1);
            }
            out.add(h.toLowerCase(Locale.ROOT));
        }
        return out;
    }

    /** Istio (IST0132): a Gateway serves a VirtualService when one of its hosts matches one of the Gateway's. */
    private static boolean servesAny(GenericKubernetesResource gateway, List<String> vsHosts, String vsNamespace) {
        List<String> served = servedHosts(gateway, vsNamespace);
        return vsHosts.stream().anyMatch(h -> served.stream().anyMatch(s -> HostNames.overlaps(s, h)));
    }

    /** A gateway proxy only sees the VirtualServices exported to its namespace. */
    private void exportedTo(Binding b, GatewayBinding g, Map<String, Object> spec) {
        GatewayWorkload w = index.workload(g.gateway());
        if (w.pods() == null || w.pods().isEmpty()) {
            return;
        }
        ExportTo exportTo = ExportTo.of(Untyped.strings(spec, "exportTo"), b.key().namespace(),
                index.mesh.defaultExportTo().get("VirtualService"));
        List<String> blind = w.namespaces().stream().filter(ns -> !exportTo.visibleTo(ns)).toList();
        if (!blind.isEmpty()) {
            findings.add(b.key(), Code.VIRTUAL_SERVICE_NOT_EXPORTED_TO_GATEWAY, Severity.ERROR,
                    "The pods of Gateway " + g.namespace() + "/" + g.name() + " run in " + blind + ", to which this "
                            + "VirtualService is not exported, so the gateway does not see these routes: add the "
                            + "namespace to exportTo (or remove exportTo).",
                    Untyped.has(spec, "exportTo") ? "spec.exportTo" : "spec.gateways[" + g.index() + "]",
                    List.of(new ObjectRef("Gateway", g.namespace(), g.name())));
        }
    }

    // ---------------------------------------------------------------- routes

    private void routes(Binding b) {
        Map<String, Object> spec = IstioKinds.spec(b.vs());
        Set<Integer> listenerPorts = listenerPorts(b);
        for (String section : List.of("http", "tcp", "tls")) {
            List<Object> rules = Untyped.list(spec, section);
            for (int i = 0; i < rules.size(); i++) {
                Object rule = rules.get(i);
                String rulePath = "spec." + section + "[" + i + "]";
                Set<String> clients = clients(b, rule);
                List<Object> route = Untyped.list(rule, "route");
                for (int j = 0; j < route.size(); j++) {
                    destination(b, clients, Untyped.map(route.get(j), "destination"),
                            rulePath + ".route[" + j + "].destination", listenerPorts);
                }
                weights(b.key(), route, rulePath);
                if (section.equals("http")) {
                    deprecated(b.key(), rule, rulePath);
                    if (Untyped.has(rule, "mirror")) {
                        destination(b, clients, Untyped.map(rule, "mirror"), rulePath + ".mirror", listenerPorts);
                    }
                    List<Object> mirrors = Untyped.list(rule, "mirrors");
                    for (int k = 0; k < mirrors.size(); k++) {
                        destination(b, clients, Untyped.map(mirrors.get(k), "destination"),
                                rulePath + ".mirrors[" + k + "].destination", listenerPorts);
                    }
                }
            }
            if (section.equals("http")) {
                unreachableRules(b.key(), rules);
            }
        }
    }

    /**
     * The namespaces of the proxies that run one rule: a rule whose every match names gateways runs only on those
     * (and {@code mesh}: the sidecars); any other rule runs wherever the VirtualService is bound.
     */
    private Set<String> clients(Binding b, Object rule) {
        List<Object> matches = Untyped.list(rule, "match");
        if (matches.isEmpty() || matches.stream().anyMatch(m -> Untyped.strings(m, "gateways").isEmpty())) {
            return b.clients();
        }
        Set<String> out = new TreeSet<>();
        for (Object m : matches) {
            for (String ref : Untyped.strings(m, "gateways")) {
                if (ref.equals("mesh")) {
                    out.add(b.key().namespace());
                    continue;
                }
                String[] nsName = resolveGateway(ref, b.key().namespace());
                GenericKubernetesResource g = index.gateway(nsName[0], nsName[1]);
                if (g != null) {
                    out.addAll(index.workload(g).namespaces());
                }
            }
        }
        return out.isEmpty() ? b.clients() : out;
    }

    /**
     * The ports traffic reaches these routes on, which Istio uses as the destination port when a destination names
     * none and its Service has several: the ports of the VirtualService's hosts for the mesh, the ports of the
     * servers that serve its hosts for a Gateway. Empty when unknown.
     */
    private Set<Integer> listenerPorts(Binding b) {
        Set<Integer> ports = new TreeSet<>();
        List<String> hosts = Untyped.strings(IstioKinds.spec(b.vs()), "hosts").stream()
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        if (b.mesh()) {
            for (String h : hosts) {
                List<RegistryHost> entries = index.registry(index.fqdn(h, b.key().namespace()));
                if (entries.isEmpty()) {
                    return Set.of();
                }
                entries.forEach(e -> ports.addAll(e.ports()));
            }
        }
        for (GatewayBinding g : b.gateways()) {
            if (g.gateway() == null) {
                continue;
            }
            for (Object server : Untyped.list(IstioKinds.spec(g.gateway()), "servers")) {
                Integer number = Untyped.integer(Untyped.map(server, "port"), "number");
                List<String> served = serverHosts(g.gateway(), server, b.key().namespace());
                if (number != null && (b.delegate() || hosts.stream()
                        .anyMatch(h -> served.stream().anyMatch(s -> HostNames.overlaps(s, h))))) {
                    ports.add(number);
                }
            }
        }
        return ports;
    }

    private void destination(Binding b, Set<String> clients, Map<String, Object> dest, String path,
                             Set<Integer> listenerPorts) {
        String host = Untyped.string(dest, "host");
        if (host == null || host.isBlank() || !index.registryKnown()) {
            return;
        }
        ObjectKey key = b.key();
        String fq = index.fqdn(host, key.namespace());
        List<RegistryHost> entries = index.registry(fq);
        if (entries.isEmpty()) {
            findings.add(key, Code.VIRTUAL_SERVICE_DESTINATION_HOST_NOT_FOUND, Severity.ERROR,
                    "Host '" + host + "'" + (fq.equals(host) ? "" : " (" + fq + ")") + " is neither a Service nor a "
                            + "ServiceEntry host, so requests routed here fail (503, no cluster): " + suggestion(host)
                            + (index.snapshot.absentKinds().contains("serviceentries")
                            ? " (the cluster does not serve ServiceEntries.)" : ""),
                    path + ".host", List.of(index.hostRef(fq)));
            return;
        }
        List<String> blind = clients.stream()
                .filter(ns -> entries.stream().noneMatch(e -> e.visibility().visibleTo(ns))).toList();
        if (!blind.isEmpty()) {
            RegistryHost e = entries.getFirst();
            findings.add(key, Code.VIRTUAL_SERVICE_DESTINATION_HOST_NOT_FOUND, Severity.ERROR,
                    "Host '" + host + "' is " + e.kind() + " " + e.namespace() + "/" + e.name() + ", which is not "
                            + "exported to " + blind + " where these routes run, so requests routed here fail there: "
                            + "export it to those namespaces.",
                    path + ".host", List.of(e.ref()));
        }
        String subset = Untyped.string(dest, "subset");
        if (subset != null && !subset.isBlank()) {
            subset(b, clients, fq, host, subset, path);
        }
        ports(key, entries, dest, path, listenerPorts);
    }

    /** What to write instead of a name Istio does not find, when a Service has a name that starts with it. */
    private String suggestion(String host) {
        String prefix = host.toLowerCase(Locale.ROOT) + ".";
        if (host.contains(".") && index.snapshot.services() != null) {
            for (Service s : index.snapshot.services()) {
                String fq = s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + ".svc."
                        + index.mesh.dnsDomain();
                if (fq.startsWith(prefix)) {
                    return "Istio expands only names without a dot, so write '" + fq + "'.";
                }
            }
        }
        return "create the Service or a ServiceEntry, or correct the host.";
    }

    private void subset(Binding b, Set<String> clients, String fq, String host, String subset, String path) {
        List<String> missingIn = new ArrayList<>();
        Set<RuleEntry> consulted = new LinkedHashSet<>();
        for (String client : clients) {
            List<RuleEntry> rules = index.rulesFor(fq, client);
            consulted.addAll(rules);
            List<RuleEntry> defining = rules.stream().filter(r -> r.subsetNames().contains(subset)).toList();
            defining.forEach(r -> subsetUse.computeIfAbsent(new SubsetRef(r.key(), subset), x -> new LinkedHashSet<>())
                    .add(b.key()));
            if (defining.isEmpty()) {
                missingIn.add(client);
            }
        }
        if (missingIn.isEmpty()) {
            return;
        }
        List<RuleEntry> elsewhere = index.rules().stream()
                .filter(r -> HostNames.covers(r.host(), fq) && r.subsetNames().contains(subset) && !consulted.contains(r))
                .toList();
        String found = consulted.isEmpty() ? "no DestinationRule for '" + fq + "' applies there"
                : consulted.stream().map(r -> "DestinationRule " + r.namespace() + "/" + r.rule().getMetadata().getName()
                + " defines " + r.subsetNames()).collect(Collectors.joining("; "));
        String other = elsewhere.isEmpty() ? ""
                : " (" + elsewhere.stream().map(r -> r.namespace() + "/" + r.rule().getMetadata().getName())
                .collect(Collectors.joining(", ")) + " defines it but does not apply to proxies in " + missingIn
                + ": a rule of their own namespace takes precedence, or it is not exported there)";
        List<ObjectRef> refs = new ArrayList<>();
        consulted.forEach(r -> refs.add(r.key().ref()));
        elsewhere.forEach(r -> refs.add(r.key().ref()));
        findings.add(b.key(), Code.VIRTUAL_SERVICE_SUBSET_NOT_FOUND, Severity.ERROR,
                "Subset '" + subset + "' of host '" + host + "' is not defined for proxies in " + missingIn + " ("
                        + found + ")" + other + ", so requests routed to it fail with 503 NR: define the subset in the "
                        + "DestinationRule that applies, or route to a defined one.",
                path + ".subset", refs);
    }

    private void ports(ObjectKey key, List<RegistryHost> entries, Map<String, Object> dest, String path,
                       Set<Integer> listenerPorts) {
        RegistryHost e = entries.getFirst();
        if (e.ports().isEmpty() || (e.service() != null && e.service().getSpec() != null
                && "ExternalName".equals(e.service().getSpec().getType()))) {
            return;
        }
        Integer port = Untyped.integer(Untyped.map(dest, "port"), "number");
        if (port != null && entries.stream().noneMatch(x -> x.ports().contains(port))) {
            findings.add(key, Code.VIRTUAL_SERVICE_DESTINATION_PORT_NOT_FOUND, Severity.ERROR,
                    "Port " + port + " is not a port of " + e.kind() + " " + e.namespace() + "/" + e.name() + " (it has "
                            + e.ports() + "), so requests routed here find no cluster: use one of its ports.",
                    path + ".port.number", List.of(e.ref()));
        } else if (port == null && e.ports().size() > 1) {
            List<Integer> lacking = listenerPorts.stream().filter(p -> !e.ports().contains(p)).toList();
            if (!lacking.isEmpty()) {
                findings.add(key, Code.VIRTUAL_SERVICE_PORT_REQUIRED, Severity.ERROR,
                        e.kind() + " " + e.namespace() + "/" + e.name() + " has several ports " + e.ports() + " and the "
                                + "destination names none, so Istio sends traffic to the port it arrived on, and "
                                + e.name() + " lacks " + lacking + ": name the port in port.number.",
                        path, List.of(e.ref()));
            }
        }
    }

    private void deprecated(ObjectKey vs, Object rule, String rulePath) {
        Map<String, Object> fault = Untyped.map(rule, "fault");
        for (String kind : List.of("delay", "abort")) {
            if (Untyped.has(Untyped.map(fault, kind), "percent")) {
                findings.add(vs, Code.VIRTUAL_SERVICE_DEPRECATED_FIELD, Severity.INFO,
                        "fault." + kind + ".percent is deprecated (it still works): use fault." + kind
                                + ".percentage.value.",
                        rulePath + ".fault." + kind + ".percent", List.of());
            }
        }
        if (Untyped.has(rule, "mirrorPercent")) {
            findings.add(vs, Code.VIRTUAL_SERVICE_DEPRECATED_FIELD, Severity.INFO,
                    "mirrorPercent is deprecated (it still works): use mirrorPercentage.value.",
                    rulePath + ".mirrorPercent", List.of());
        }
    }

    private void weights(ObjectKey vs, List<Object> route, String rulePath) {
        if (route.size() == 1) {
            Integer w = Untyped.integer(route.getFirst(), "weight");
            if (w != null && w > 0 && w < 100) {
                findings.add(vs, Code.VIRTUAL_SERVICE_SINGLE_WEIGHT, Severity.WARNING,
                        "The only destination has weight " + w + ", which Istio treats as 100: add the other "
                                + "destinations of the split or remove the weight.",
                        rulePath + ".route[0].weight", List.of());
            }
        } else if (route.size() > 1) {
            int sum = 0;
            for (Object r : route) {
                Integer w = Untyped.integer(r, "weight");
                sum += w == null ? 0 : w;
            }
            if (sum != 100) {
                findings.add(vs, Code.VIRTUAL_SERVICE_WEIGHT_SUM, Severity.WARNING,
                        "The weights of the " + route.size() + " destinations sum to " + sum + ", not 100 (a missing "
                                + "weight counts 0), so the split is not what it reads as: make them add up to 100.",
                        rulePath + ".route", List.of());
            }
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < route.size(); j++) {
            Map<String, Object> d = Untyped.map(route.get(j), "destination");
            String host = Untyped.string(d, "host");
            if (host == null) {
                continue;
            }
            String id = index.fqdn(host, vs.namespace()) + "|" + Untyped.string(d, "subset") + "|"
                    + Untyped.integer(Untyped.map(d, "port"), "number");
            if (!seen.add(id)) {
                findings.add(vs, Code.VIRTUAL_SERVICE_DUPLICATE_DESTINATION, Severity.WARNING,
                        "This route names host '" + host + "'" + (Untyped.string(d, "subset") == null ? ""
                                : " subset '" + Untyped.string(d, "subset") + "'") + " twice: merge the two destinations "
                                + "and their weights.",
                        rulePath + ".route[" + j + "].destination", List.of());
            }
        }
    }

    private void unreachableRules(ObjectKey vs, List<Object> rules) {
        for (int i = 1; i < rules.size(); i++) {
            List<Object> match = Untyped.list(rules.get(i), "match");
            for (int j = 0; j < i; j++) {
                boolean catchAll = catchAll(rules.get(j));
                if (catchAll || (!match.isEmpty() && withoutNames(Untyped.list(rules.get(j), "match"))
                        .equals(withoutNames(match)))) {
                    findings.add(vs, Code.VIRTUAL_SERVICE_UNREACHABLE_RULE, Severity.WARNING,
                            "Rule http[" + i + "] can never match because the earlier rule http[" + j + "] "
                                    + (catchAll ? "matches every request" : "has the same match")
                                    + ": reorder the rules or make the match more specific.",
                            "spec.http[" + i + "]" + (catchAll ? "" : ".match"), List.of());
                    break;
                }
            }
        }
    }

    /** A rule without a match, or with a match that has no condition, matches every request. */
    private static boolean catchAll(Object rule) {
        List<Object> match = Untyped.list(rule, "match");
        return match.isEmpty() || withoutNames(match).stream().anyMatch(Map::isEmpty);
    }

    private static List<Map<?, ?>> withoutNames(List<Object> match) {
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object m : match) {
            Map<Object, Object> copy = new LinkedHashMap<>(m instanceof Map<?, ?> map ? map : Map.of());
            copy.remove("name");
            out.add(copy);
        }
        return out;
    }

    static void exportToNamespaces(ConfigIndex index, Findings findings, ObjectKey key, Map<String, Object> spec) {
        if (index.namespaces == null) {
            return;
        }
        List<String> exportTo = Untyped.strings(spec, "exportTo");
        for (int i = 0; i < exportTo.size(); i++) {
            String ns = exportTo.get(i).trim();
            if (!ns.equals("*") && !ns.equals(".") && !ns.equals("~") && !index.namespaces.contains(ns)) {
                findings.add(key, Code.EXPORT_TO_NAMESPACE_NOT_FOUND, Severity.WARNING,
                        "exportTo names namespace '" + ns + "', which does not exist, so the object is visible to no "
                                + "proxy there: correct the name (or create the namespace).",
                        "spec.exportTo[" + i + "]", List.of(new ObjectRef("Namespace", null, ns)));
            }
        }
    }

    // ---------------------------------------------------------------- across VirtualServices

    /** A host claimed by a VirtualService: which one, at which index of {@code spec.hosts}. */
    private record Claim(Binding binding, int hostIndex, String host) {
    }

    /**
     * Sidecars use one VirtualService per host (IST0109): of two mesh-bound VirtualServices with the same host that a
     * namespace sees both of, the newer one is ignored there.
     */
    @SuppressWarnings("ReferenceEquality") // the same object of one snapshot, not an equal one, is the question
    private void meshHostConflicts() {
        Map<String, List<Claim>> claims = new LinkedHashMap<>();
        for (Binding b : bindings.values()) {
            if (!b.mesh()) {
                continue;
            }
            List<String> hosts = Untyped.strings(IstioKinds.spec(b.vs()), "hosts");
            for (int i = 0; i < hosts.size(); i++) {
                String fq = index.fqdn(hosts.get(i), b.key().namespace());
                claims.computeIfAbsent(fq, x -> new ArrayList<>()).add(new Claim(b, i, hosts.get(i)));
            }
        }
        for (List<Claim> list : claims.values()) {
            list.sort((x, y) -> ConfigIndex.OLDEST_FIRST.compare(x.binding().vs(), y.binding().vs()));
            for (int a = 0; a < list.size(); a++) {
                for (int c = a + 1; c < list.size(); c++) {
                    Claim older = list.get(a);
                    Claim newer = list.get(c);
                    if (older.binding() == newer.binding() || !exportTo(older).intersects(exportTo(newer))) {
                        continue;
                    }
                    findings.add(newer.binding().key(), Code.VIRTUAL_SERVICE_HOST_CONFLICT, Severity.ERROR,
                            "Host '" + newer.host() + "' is also claimed for the mesh by the older VirtualService "
                                    + older.binding().key().namespace() + "/" + older.binding().key().name()
                                    + ": sidecars use one VirtualService per host, the older one, and ignore these "
                                    + "routes. Merge the routes into one VirtualService, or delegate.",
                            "spec.hosts[" + newer.hostIndex() + "]", List.of(older.binding().key().ref()));
                    findings.add(older.binding().key(), Code.VIRTUAL_SERVICE_HOST_CONFLICT, Severity.ERROR,
                            "Host '" + older.host() + "' is also claimed for the mesh by the newer VirtualService "
                                    + newer.binding().key().namespace() + "/" + newer.binding().key().name()
                                    + ": sidecars use this one and ignore that one's routes. Merge the routes into one "
                                    + "VirtualService, or delegate.",
                            "spec.hosts[" + older.hostIndex() + "]", List.of(newer.binding().key().ref()));
                }
            }
        }
    }

    private ExportTo exportTo(Claim c) {
        return ExportTo.of(Untyped.strings(IstioKinds.spec(c.binding().vs()), "exportTo"), c.binding().key().namespace(),
                index.mesh.defaultExportTo().get("VirtualService"));
    }

    /** A Gateway merges the routes of the VirtualServices bound to it for one host: worth knowing, not a fault. */
    @SuppressWarnings("ReferenceEquality") // the same object of one snapshot, not an equal one, is the question
    private void gatewayHostMerges() {
        Map<String, List<Claim>> claims = new LinkedHashMap<>();
        for (Binding b : bindings.values()) {
            List<String> hosts = Untyped.strings(IstioKinds.spec(b.vs()), "hosts");
            for (GatewayBinding g : b.gateways()) {
                if (g.gateway() == null || b.delegate()) {
                    continue;
                }
                for (int i = 0; i < hosts.size(); i++) {
                    claims.computeIfAbsent(g.namespace() + "/" + g.name() + "|" + hosts.get(i).toLowerCase(Locale.ROOT),
                            x -> new ArrayList<>()).add(new Claim(b, i, hosts.get(i)));
                }
            }
        }
        claims.forEach((k, list) -> {
            String gateway = k.substring(0, k.indexOf('|'));
            for (Claim c : list) {
                List<ObjectRef> others = list.stream().filter(o -> o.binding() != c.binding())
                        .map(o -> o.binding().key().ref()).distinct().toList();
                if (others.isEmpty()) {
                    continue;
                }
                findings.add(c.binding().key(), Code.VIRTUAL_SERVICE_HOST_CONFLICT, Severity.INFO,
                        "Gateway " + gateway + " merges the routes of this VirtualService for host '" + c.host()
                                + "' with those of " + others.stream().map(r -> r.namespace() + "/" + r.name()).toList()
                                + ": the older VirtualService's rules come first, catch-all rules last.",
                        "spec.hosts[" + c.hostIndex() + "]", others);
            }
        });
    }

    /**
     * IST0140: gateway traffic does not pass the mesh VirtualService of a host, so when that one restricts the host to
     * some of its pods by subset (a split, or one subset that leaves pods out) and a gateway-only VirtualService
     * routes to the host without a subset, the restriction does not apply to gateway traffic. One subset that holds
     * every pod of the host (Bookinfo's "all v1") restricts nothing.
     */
    private void ingressIgnoringSubsets() {
        Map<String, ObjectKey> splitters = new HashMap<>();
        for (Binding b : bindings.values()) {
            if (!b.mesh()) {
                continue;
            }
            Set<String> own = Untyped.strings(IstioKinds.spec(b.vs()), "hosts").stream()
                    .map(h -> index.fqdn(h, b.key().namespace())).collect(Collectors.toSet());
            Map<String, Set<String>> subsetsByHost = new HashMap<>();
            for (Object rule : Untyped.list(IstioKinds.spec(b.vs()), "http")) {
                for (Object r : Untyped.list(rule, "route")) {
                    Map<String, Object> d = Untyped.map(r, "destination");
                    String host = Untyped.string(d, "host");
                    String subset = Untyped.string(d, "subset");
                    if (host != null && subset != null && !subset.isBlank()) {
                        String fq = index.fqdn(host, b.key().namespace());
                        if (own.contains(fq)) {
                            subsetsByHost.computeIfAbsent(fq, x -> new TreeSet<>()).add(subset);
                        }
                    }
                }
            }
            subsetsByHost.forEach((fq, subsets) -> {
                if (restricts(fq, subsets, b.key().namespace())) {
                    splitters.putIfAbsent(fq, b.key());
                }
            });
        }
        for (Binding b : bindings.values()) {
            if (!b.gatewayOnly()) {
                continue;
            }
            List<Object> http = Untyped.list(IstioKinds.spec(b.vs()), "http");
            for (int i = 0; i < http.size(); i++) {
                List<Object> route = Untyped.list(http.get(i), "route");
                for (int j = 0; j < route.size(); j++) {
                    Map<String, Object> d = Untyped.map(route.get(j), "destination");
                    String host = Untyped.string(d, "host");
                    String subset = Untyped.string(d, "subset");
                    if (host == null || (subset != null && !subset.isBlank())) {
                        continue;
                    }
                    ObjectKey splitter = splitters.get(index.fqdn(host, b.key().namespace()));
                    if (splitter != null && !splitter.equals(b.key())) {
                        findings.add(b.key(), Code.VIRTUAL_SERVICE_INGRESS_IGNORES_SUBSETS, Severity.WARNING,
                                "Traffic from the gateway goes to '" + host + "' without a subset, so the subset "
                                        + "routing of VirtualService " + splitter.namespace() + "/" + splitter.name()
                                        + " does not apply to it: route to the subsets here too, or bind that "
                                        + "VirtualService to the gateway as well.",
                                "spec.http[" + i + "].route[" + j + "].destination.host", List.of(splitter.ref()));
                    }
                }
            }
        }
    }

    /**
     * Whether routing to these subsets sends traffic elsewhere than plain routing to the host would: two or more
     * subsets split it; one subset restricts it unless every live pod of the host's Service is in it. Unknown pods
     * or labels count as restricting.
     */
    private boolean restricts(String fq, Set<String> subsets, String client) {
        if (subsets.size() > 1) {
            return true;
        }
        Service svc = index.service(fq);
        if (svc == null || svc.getSpec() == null || svc.getSpec().getSelector() == null || !index.podsKnown()) {
            return true;
        }
        String name = subsets.iterator().next();
        Map<String, String> labels = index.rulesFor(fq, client).stream()
                .flatMap(r -> Untyped.list(IstioKinds.spec(r.rule()), "subsets").stream())
                .filter(s -> name.equals(Untyped.string(s, "name"))).findFirst().map(s -> Untyped.labels(s, "labels"))
                .orElse(null);
        if (labels == null) {
            return true;
        }
        List<Map<String, String>> pods = index.podLabels(svc);
        return pods.isEmpty() || pods.stream().anyMatch(l -> !ConfigIndex.matches(labels, l));
    }
}
