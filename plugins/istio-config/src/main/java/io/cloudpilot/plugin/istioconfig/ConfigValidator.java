package io.cloudpilot.plugin.istioconfig;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.cloudpilot.plugin.istioconfig.Validation.ObjectRef;
import io.cloudpilot.plugin.toolkit.Ages;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * The cross-object checks of Gateways, VirtualServices and DestinationRules, run on one {@link ConfigSnapshot}. Every
 * code is documented in {@code docs/validations.md}. Where Istio resolves a conflict by age (the older object wins),
 * only the newer object is flagged, with a reference to the older one, so the object that works stays quiet.
 */
final class ConfigValidator {

    /** The per-object annotation that suppresses codes, comma-separated. */
    static final String IGNORE_ANNOTATION = "cloudpilot.io/ignore-validations";
    static final String DOMAIN = "svc.cluster.local";

    private static final Pattern OUTBOUND = Pattern.compile(
            "outboundTrafficPolicy:\\s*\\{?\\s*mode:\\s*[\"']?([A-Z_]+)");

    /** Identifies a validated object. */
    record Key(String kind, String namespace, String name) {
        static Key of(String kind, GenericKubernetesResource r) {
            return new Key(kind, r.getMetadata().getNamespace(), r.getMetadata().getName());
        }
    }

    private final ConfigSnapshot snap;
    private final Set<String> globalIgnore;
    private final Instant now;
    private final boolean allowAny;
    private final Set<String> namespaces;
    private final Map<String, Service> servicesByHost = new HashMap<>();
    private final Map<String, GenericKubernetesResource> gatewaysByName = new HashMap<>();
    private final Map<String, List<GenericKubernetesResource>> rulesByHost = new HashMap<>();
    private final List<GenericKubernetesResource> wildcardRules = new ArrayList<>();
    private final Map<String, List<Pod>> podsByNamespace = new HashMap<>();
    private final Map<String, Secret> secretsByName = new HashMap<>();
    private final Map<Key, List<Validation>> results = new LinkedHashMap<>();
    /** VS destinations that use a subset: fqdn + "|" + subset → the VirtualServices. */
    private final Map<String, Set<Key>> subsetUse = new HashMap<>();
    /** Hosts (fqdn) that a mesh-bound VirtualService routes by subset → that VirtualService. */
    private final Map<String, Key> meshSubsetRouting = new HashMap<>();
    /** Destinations without subset of gateway-only VirtualServices, checked once all are seen. */
    private final List<IngressDestination> ingressWithoutSubset = new ArrayList<>();

    /** The hosts (fqdn) of the VirtualService being checked. */
    private Set<String> currentHosts = Set.of();

    private record IngressDestination(Key vs, String host, String fqdn, String path) {
    }

    private ConfigValidator(ConfigSnapshot snap, Set<String> globalIgnore, Instant now) {
        this.snap = snap;
        this.globalIgnore = globalIgnore;
        this.now = now;
        this.allowAny = outboundPolicy(snap.meshConfig()).equals("ALLOW_ANY");
        this.namespaces = snap.namespaces() == null ? null
                : snap.namespaces().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        if (snap.services() != null) {
            for (Service s : snap.services()) {
                servicesByHost.put(s.getMetadata().getName() + "." + s.getMetadata().getNamespace() + "." + DOMAIN, s);
            }
        }
        for (GenericKubernetesResource g : snap.gateways()) {
            gatewaysByName.put(g.getMetadata().getNamespace() + "/" + g.getMetadata().getName(), g);
        }
        for (GenericKubernetesResource dr : snap.destinationRules()) {
            String h = Fields.str(spec(dr), "host");
            if (h == null || h.isBlank()) {
                continue;
            }
            String fq = fqdn(h, dr.getMetadata().getNamespace());
            if (fq.startsWith("*")) {
                wildcardRules.add(dr);
            } else {
                rulesByHost.computeIfAbsent(fq, x -> new ArrayList<>()).add(dr);
            }
        }
        if (snap.pods() != null) {
            snap.pods().stream().filter(ConfigValidator::live)
                    .forEach(p -> podsByNamespace.computeIfAbsent(p.getMetadata().getNamespace(), x -> new ArrayList<>()).add(p));
        }
        if (snap.secrets() != null) {
            snap.secrets().forEach(x -> secretsByName.put(x.getMetadata().getNamespace() + "/" + x.getMetadata().getName(), x));
        }
    }

    /**
     * @param snap         the cluster's configuration
     * @param globalIgnore codes suppressed everywhere
     * @param now          the time certificates are checked against
     * @return the findings of every Gateway, VirtualService and DestinationRule (an empty list when none), most
     *         severe first
     */
    static Map<Key, List<Validation>> validate(ConfigSnapshot snap, Set<String> globalIgnore, Instant now) {
        ConfigValidator v = new ConfigValidator(snap, globalIgnore, now);
        snap.gateways().forEach(g -> v.results.put(Key.of("Gateway", g), new ArrayList<>()));
        snap.virtualServices().forEach(g -> v.results.put(Key.of("VirtualService", g), new ArrayList<>()));
        snap.destinationRules().forEach(g -> v.results.put(Key.of("DestinationRule", g), new ArrayList<>()));
        v.virtualServices();
        v.destinationRules();
        v.gateways();
        return v.finish();
    }

    /**
     * The mesh's outbound traffic policy: the mesh config's value, Istio's default ALLOW_ANY when the config is read
     * and does not set it, and UNKNOWN when the config could not be read (checks then stay strict).
     */
    static String outboundPolicy(String meshConfig) {
        if (meshConfig == null) {
            return "UNKNOWN";
        }
        Matcher m = OUTBOUND.matcher(meshConfig);
        return m.find() ? m.group(1) : "ALLOW_ANY";
    }

    // ---------------------------------------------------------------- VirtualService

    private void virtualServices() {
        Map<String, List<HostClaim>> claims = new TreeMap<>();
        for (GenericKubernetesResource vs : snap.virtualServices()) {
            Key key = Key.of("VirtualService", vs);
            String ns = key.namespace();
            Map<String, Object> spec = spec(vs);
            List<String> gateways = Fields.strings(spec, "gateways");
            boolean gatewayOnly = !gateways.isEmpty() && !gateways.contains("mesh");
            List<GenericKubernetesResource> bound = new ArrayList<>();
            for (int k = 0; k < gateways.size(); k++) {
                GenericKubernetesResource g = gatewayRef(key, gateways.get(k), "spec.gateways[" + k + "]");
                if (g != null) {
                    bound.add(g);
                }
            }
            List<String> hosts = Fields.strings(spec, "hosts");
            currentHosts = hosts.stream().map(h -> fqdn(h, ns)).collect(Collectors.toSet());
            for (GenericKubernetesResource g : bound) {
                hostsInGateway(key, hosts, g);
            }
            List<String> claimGateways = gateways.isEmpty() ? List.of("mesh") : gateways;
            for (String gw : claimGateways) {
                String gwKey = gw.equals("mesh") ? "mesh" : gatewayKey(gw, ns);
                for (int i = 0; i < hosts.size(); i++) {
                    String h = gw.equals("mesh") ? fqdn(hosts.get(i), ns) : hosts.get(i).toLowerCase(Locale.ROOT);
                    claims.computeIfAbsent(gwKey + "|" + h, x -> new ArrayList<>()).add(new HostClaim(vs, i));
                }
            }
            for (String section : List.of("http", "tcp", "tls")) {
                List<Object> rules = Fields.list(spec, section);
                for (int i = 0; i < rules.size(); i++) {
                    Object rule = rules.get(i);
                    String rulePath = "spec." + section + "[" + i + "]";
                    List<Object> route = Fields.list(rule, "route");
                    for (int j = 0; j < route.size(); j++) {
                        destination(key, Fields.map(route.get(j), "destination"),
                                rulePath + ".route[" + j + "].destination", gatewayOnly);
                    }
                    weights(key, route, rulePath);
                    List<Object> matches = Fields.list(rule, "match");
                    for (int j = 0; j < matches.size(); j++) {
                        List<String> mg = Fields.strings(matches.get(j), "gateways");
                        for (int k = 0; k < mg.size(); k++) {
                            gatewayRef(key, mg.get(k), rulePath + ".match[" + j + "].gateways[" + k + "]");
                        }
                    }
                    if (section.equals("http")) {
                        deprecated(key, rule, rulePath);
                        if (Fields.has(rule, "mirror")) {
                            destination(key, Fields.map(rule, "mirror"), rulePath + ".mirror", gatewayOnly);
                        }
                        List<Object> mirrors = Fields.list(rule, "mirrors");
                        for (int k = 0; k < mirrors.size(); k++) {
                            destination(key, Fields.map(mirrors.get(k), "destination"),
                                    rulePath + ".mirrors[" + k + "].destination", gatewayOnly);
                        }
                    }
                }
                if (section.equals("http")) {
                    unreachableRules(key, rules);
                }
            }
            exportTo(key, spec);
        }
        for (IngressDestination d : ingressWithoutSubset) {
            Key splitter = meshSubsetRouting.get(d.fqdn());
            if (splitter != null && !splitter.equals(d.vs())) {
                add(d.vs(), "VirtualServiceIngressIgnoresSubsets", Validation.WARNING,
                        "Traffic from the gateway goes to '" + d.host() + "' without a subset, so the subset routing of "
                                + "VirtualService " + splitter.namespace() + "/" + splitter.name() + " does not apply "
                                + "to it: route to the subsets here too, or bind that VirtualService to the gateway.",
                        d.path() + ".host", List.of(new ObjectRef("VirtualService", splitter.namespace(), splitter.name())),
                        List.of("IST0140"));
            }
        }
        for (Map.Entry<String, List<HostClaim>> e : claims.entrySet()) {
            List<HostClaim> list = e.getValue();
            if (list.stream().map(c -> ref(c.vs())).distinct().count() < 2) {
                continue;
            }
            list.sort(Comparator.comparing(HostClaim::vs, OLDEST_FIRST));
            GenericKubernetesResource first = list.getFirst().vs();
            for (HostClaim c : list.subList(1, list.size())) {
                if (ref(c.vs()).equals(ref(first))) {
                    continue;
                }
                String host = Fields.strings(spec(c.vs()), "hosts").get(c.hostIndex());
                String where = e.getKey().startsWith("mesh|") ? "the mesh (sidecars)" : "Gateway " + e.getKey().split("\\|")[0];
                add(Key.of("VirtualService", c.vs()), "VirtualServiceHostConflict", Validation.WARNING,
                        "Host '" + host + "' on " + where + " is also claimed by the older VirtualService "
                                + ref(first) + ": which routes apply is not defined for sidecars and not ordered on "
                                + "gateways; merge the routes into one VirtualService.",
                        "spec.hosts[" + c.hostIndex() + "]", List.of(objRef("VirtualService", first)),
                        List.of("KIA1106", "IST0109"));
            }
        }
    }

    private record HostClaim(GenericKubernetesResource vs, int hostIndex) {
    }

    private GenericKubernetesResource gatewayRef(Key vs, String ref, String path) {
        if (ref == null || ref.equals("mesh")) {
            return null;
        }
        String ns;
        String name;
        if (ref.contains("/")) {
            ns = ref.substring(0, ref.indexOf('/'));
            name = ref.substring(ref.indexOf('/') + 1);
        } else if (ref.contains(".")) {
            String[] parts = ref.split("\\.");
            name = parts[0];
            ns = parts.length > 1 ? parts[1] : vs.namespace();
            add(vs, "VirtualServiceGatewayLegacyName", Validation.INFO,
                    "Gateway '" + ref + "' is named in the old dotted form; write it as '" + ns + "/" + name + "'.",
                    path, List.of(new ObjectRef("Gateway", ns, name)), List.of("KIA1108"));
        } else {
            ns = vs.namespace();
            name = ref;
        }
        GenericKubernetesResource g = gatewaysByName.get(ns + "/" + name);
        if (g == null) {
            add(vs, "VirtualServiceGatewayNotFound", Validation.ERROR,
                    "Gateway " + ns + "/" + name + " does not exist, so these routes are not served by any gateway: "
                            + "create the Gateway or correct the reference (namespace/name, or a bare name for the "
                            + "VirtualService's namespace).",
                    path, List.of(new ObjectRef("Gateway", ns, name)), List.of("KIA1102", "IST0101"));
        }
        return g;
    }

    private static String gatewayKey(String ref, String vsNamespace) {
        if (ref.contains("/")) {
            return ref;
        }
        if (ref.contains(".")) {
            String[] parts = ref.split("\\.");
            return (parts.length > 1 ? parts[1] : vsNamespace) + "/" + parts[0];
        }
        return vsNamespace + "/" + ref;
    }

    private void hostsInGateway(Key vs, List<String> hosts, GenericKubernetesResource gateway) {
        List<String> served = new ArrayList<>();
        for (Object server : Fields.list(spec(gateway), "servers")) {
            for (String h : Fields.strings(server, "hosts")) {
                int slash = h.indexOf('/');
                if (slash >= 0) {
                    String hostNs = h.substring(0, slash);
                    if (!hostNs.equals("*") && !hostNs.equals(vs.namespace())
                            && !(hostNs.equals(".") && vs.namespace().equals(gateway.getMetadata().getNamespace()))) {
                        continue;
                    }
                    h = h.substring(slash + 1);
                }
                served.add(h.toLowerCase(Locale.ROOT));
            }
        }
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i).toLowerCase(Locale.ROOT);
            if (served.stream().noneMatch(s -> overlaps(s, h))) {
                add(vs, "VirtualServiceHostNotInGateway", Validation.WARNING,
                        "Host '" + hosts.get(i) + "' is not served by Gateway " + ref(gateway) + " (it serves "
                                + served + "), so the gateway ignores these routes for it: add the host to a server "
                                + "of the Gateway or remove it here.",
                        "spec.hosts[" + i + "]", List.of(objRef("Gateway", gateway)), List.of("IST0132"));
            }
        }
    }

    private void destination(Key vs, Map<String, Object> dest, String path, boolean gatewayOnly) {
        String host = Fields.str(dest, "host");
        if (host == null || host.isBlank()) {
            return;
        }
        String fq = fqdn(host, vs.namespace());
        Boolean known = known(fq);
        if (Boolean.FALSE.equals(known)) {
            // ALLOW_ANY lets sidecars pass unknown hosts through; a gateway has no such fallback
            boolean lowered = allowAny && !gatewayOnly;
            add(vs, "VirtualServiceDestinationHostNotFound", lowered ? Validation.WARNING : Validation.ERROR,
                    "Host '" + host + "'" + (fq.equals(host) ? "" : " (" + fq + ")") + " is neither a Service nor a ServiceEntry host, so requests "
                            + "routed here fail" + (lowered ? " unless the mesh's ALLOW_ANY passthrough reaches it" : "")
                            + ": create the Service or ServiceEntry, or correct the host.",
                    path + ".host", List.of(hostRef(fq)), List.of("KIA1101", "IST0101"));
        }
        String subset = Fields.str(dest, "subset");
        if ((subset == null || subset.isBlank()) && gatewayOnly && !path.contains("mirror")) {
            ingressWithoutSubset.add(new IngressDestination(vs, host, fq, path));
        }
        if (subset != null && !subset.isBlank() && !gatewayOnly && currentHosts.contains(fq)) {
            meshSubsetRouting.putIfAbsent(fq, vs);
        }
        if (subset != null && !subset.isBlank()) {
            subsetUse.computeIfAbsent(fq + "|" + subset, x -> new LinkedHashSet<>()).add(vs);
            List<GenericKubernetesResource> rules = destinationRulesFor(fq);
            boolean defined = rules.stream().anyMatch(dr -> subsetNames(dr).contains(subset));
            if (!defined) {
                String defines = rules.isEmpty() ? "no DestinationRule has host '" + fq + "'"
                        : rules.stream().map(dr -> "DestinationRule " + ref(dr) + " defines " + subsetNames(dr))
                        .collect(Collectors.joining("; "));
                add(vs, "VirtualServiceSubsetNotFound", Validation.ERROR,
                        "Subset '" + subset + "' of host '" + host + "' is not defined (" + defines + "), so requests "
                                + "routed to it fail with 503 NR: define the subset in the host's DestinationRule or "
                                + "route to a defined one.",
                        path + ".subset", rules.stream().map(dr -> objRef("DestinationRule", dr)).toList(),
                        List.of("KIA1107", "IST0101"));
            }
        }
        Service svc = servicesByHost.get(fq);
        if (svc != null && svc.getSpec() != null && svc.getSpec().getPorts() != null
                && !"ExternalName".equals(svc.getSpec().getType())) {
            List<Integer> ports = svc.getSpec().getPorts().stream().map(ServicePort::getPort).toList();
            Integer port = Fields.integer(Fields.map(dest, "port"), "number");
            ObjectRef sref = new ObjectRef("Service", svc.getMetadata().getNamespace(), svc.getMetadata().getName());
            if (port != null && !ports.contains(port)) {
                add(vs, "VirtualServiceDestinationPortNotFound", Validation.ERROR,
                        "Port " + port + " is not a port of Service " + sref.namespace() + "/" + sref.name()
                                + " (it has " + ports + "): use one of its ports.",
                        path + ".port.number", List.of(sref), List.of("IST0101"));
            } else if (port == null && ports.size() > 1) {
                add(vs, "VirtualServicePortRequired", Validation.ERROR,
                        "Service " + sref.namespace() + "/" + sref.name() + " has several ports " + ports
                                + ", so the destination must name one in port.number.",
                        path, List.of(sref), List.of("IST0112"));
            }
        }
    }

    private void deprecated(Key vs, Object rule, String rulePath) {
        Map<String, Object> fault = Fields.map(rule, "fault");
        for (String kind : List.of("delay", "abort")) {
            if (Fields.has(Fields.map(fault, kind), "percent")) {
                add(vs, "VirtualServiceDeprecatedField", Validation.WARNING,
                        "fault." + kind + ".percent is deprecated and may be dropped by newer Istio versions: use "
                                + "fault." + kind + ".percentage.value.",
                        rulePath + ".fault." + kind + ".percent", List.of(), List.of("IST0002"));
            }
        }
        if (Fields.has(rule, "mirrorPercent")) {
            add(vs, "VirtualServiceDeprecatedField", Validation.WARNING,
                    "mirrorPercent is deprecated: use mirrorPercentage.value.",
                    rulePath + ".mirrorPercent", List.of(), List.of("IST0002"));
        }
    }

    private void weights(Key vs, List<Object> route, String rulePath) {
        if (route.size() == 1) {
            Integer w = Fields.integer(route.getFirst(), "weight");
            if (w != null && w > 0 && w < 100) {
                add(vs, "VirtualServiceSingleWeight", Validation.WARNING,
                        "The only destination has weight " + w + ", which Istio treats as 100: add the other "
                                + "destinations of the split or remove the weight.",
                        rulePath + ".route[0].weight", List.of(), List.of("KIA1104"));
            }
        } else if (route.size() > 1) {
            int sum = 0;
            for (Object r : route) {
                Integer w = Fields.integer(r, "weight");
                sum += w == null ? 0 : w;
            }
            if (sum != 100) {
                add(vs, "VirtualServiceWeightSum", Validation.WARNING,
                        "The weights of the " + route.size() + " destinations sum to " + sum + ", not 100, so the "
                                + "split is not what it reads as: make them add up to 100.",
                        rulePath + ".route", List.of(), List.of());
            }
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < route.size(); j++) {
            Map<String, Object> d = Fields.map(route.get(j), "destination");
            String host = Fields.str(d, "host");
            if (host == null) {
                continue;
            }
            String id = fqdn(host, vs.namespace()) + "|" + Fields.str(d, "subset") + "|"
                    + Fields.integer(Fields.map(d, "port"), "number");
            if (!seen.add(id)) {
                add(vs, "VirtualServiceDuplicateDestination", Validation.WARNING,
                        "This route names host '" + host + "'" + (Fields.str(d, "subset") == null ? ""
                                : " subset '" + Fields.str(d, "subset") + "'") + " twice: merge the two destinations "
                                + "and their weights.",
                        rulePath + ".route[" + j + "].destination", List.of(), List.of("KIA1105"));
            }
        }
    }

    private void unreachableRules(Key vs, List<Object> rules) {
        for (int i = 1; i < rules.size(); i++) {
            List<Object> match = Fields.list(rules.get(i), "match");
            for (int j = 0; j < i; j++) {
                List<Object> earlier = Fields.list(rules.get(j), "match");
                boolean catchAll = earlier.isEmpty();
                if (catchAll || (!match.isEmpty() && Objects.equals(earlier, match))) {
                    add(vs, "VirtualServiceUnreachableRule", Validation.WARNING,
                            "Rule http[" + i + "] can never match because the earlier rule http[" + j + "] "
                                    + (catchAll ? "matches every request" : "has the same match")
                                    + ": reorder the rules or make the match more specific.",
                            "spec.http[" + i + "]" + (catchAll ? "" : ".match"), List.of(), List.of("IST0130"));
                    break;
                }
            }
        }
    }

    private void exportTo(Key key, Map<String, Object> spec) {
        if (namespaces == null) {
            return;
        }
        List<String> exportTo = Fields.strings(spec, "exportTo");
        for (int i = 0; i < exportTo.size(); i++) {
            String ns = exportTo.get(i);
            if (!ns.equals("*") && !ns.equals(".") && !ns.equals("~") && !namespaces.contains(ns)) {
                add(key, "ExportToNamespaceNotFound", Validation.ERROR,
                        "exportTo names namespace '" + ns + "', which does not exist: create it or correct the name.",
                        "spec.exportTo[" + i + "]", List.of(new ObjectRef("Namespace", null, ns)), List.of("KIA0005"));
            }
        }
    }

    // ---------------------------------------------------------------- DestinationRule

    private void destinationRules() {
        Map<String, List<GenericKubernetesResource>> byHost = new TreeMap<>();
        for (GenericKubernetesResource dr : snap.destinationRules()) {
            Key key = Key.of("DestinationRule", dr);
            Map<String, Object> spec = spec(dr);
            String host = Fields.str(spec, "host");
            exportTo(key, spec);
            tlsWithoutCa(key, Fields.map(spec, "trafficPolicy"), "spec.trafficPolicy");
            List<Object> subsets = Fields.list(spec, "subsets");
            for (int k = 0; k < subsets.size(); k++) {
                tlsWithoutCa(key, Fields.map(subsets.get(k), "trafficPolicy"), "spec.subsets[" + k + "].trafficPolicy");
            }
            if (host == null || host.isBlank()) {
                continue;
            }
            String fq = fqdn(host, key.namespace());
            if (!fq.startsWith("*")) {
                // across namespaces a DestinationRule overrides another (client namespace first), it does not collide
                byHost.computeIfAbsent(key.namespace() + "|" + fq, x -> new ArrayList<>()).add(dr);
            }
            Boolean known = known(fq);
            if (Boolean.FALSE.equals(known)) {
                add(key, "DestinationRuleHostNotFound", allowAny ? Validation.WARNING : Validation.ERROR,
                        "Host '" + host + "'" + (fq.equals(host) ? "" : " (" + fq + ")") + " matches no Service and no ServiceEntry, so this rule applies "
                                + "to nothing: correct the host or create the Service.",
                        "spec.host", List.of(hostRef(fq)), List.of("KIA0202", "IST0174"));
            }
            Service svc = servicesByHost.get(fq);
            for (int k = 0; k < subsets.size(); k++) {
                Object subset = subsets.get(k);
                String name = Fields.str(subset, "name");
                Map<String, String> labels = Fields.labels(subset, "labels");
                if (labels.isEmpty()) {
                    add(key, "DestinationRuleSubsetNoLabels", Validation.WARNING,
                            "Subset '" + name + "' has no labels, so it is the whole service rather than a version: "
                                    + "add the labels that pick its pods.",
                            "spec.subsets[" + k + "]", List.of(), List.of("KIA0209"));
                    continue;
                }
                if (svc == null || snap.pods() == null || svc.getSpec() == null || svc.getSpec().getSelector() == null
                        || svc.getSpec().getSelector().isEmpty()) {
                    continue;
                }
                Map<String, String> selector = svc.getSpec().getSelector();
                boolean any = podsByNamespace.getOrDefault(svc.getMetadata().getNamespace(), List.of()).stream()
                        .anyMatch(p -> matches(selector, p) && matches(labels, p));
                if (!any) {
                    Set<Key> users = subsetUse.getOrDefault(fq + "|" + name, Set.of());
                    List<ObjectRef> refs = new ArrayList<>();
                    refs.add(new ObjectRef("Service", svc.getMetadata().getNamespace(), svc.getMetadata().getName()));
                    users.forEach(u -> refs.add(new ObjectRef(u.kind(), u.namespace(), u.name())));
                    add(key, "DestinationRuleSubsetNoPods", users.isEmpty() ? Validation.INFO : Validation.ERROR,
                            "Subset '" + name + "' (" + labelText(labels) + ") selects no pod of Service "
                                    + svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName()
                                    + (users.isEmpty() ? "; no VirtualService routes to it yet."
                                    : ", yet VirtualService " + users.stream().map(u -> u.namespace() + "/" + u.name())
                                    .collect(Collectors.joining(", ")) + " routes to it: requests fail with 503 UH. "
                                    + "Deploy pods with these labels or correct the labels."),
                            "spec.subsets[" + k + "].labels", refs, List.of("KIA0203", "IST0173"));
                }
            }
        }
        for (List<GenericKubernetesResource> group : byHost.values()) {
            if (group.size() < 2) {
                continue;
            }
            group.sort(OLDEST_FIRST);
            for (int n = 1; n < group.size(); n++) {
                GenericKubernetesResource dr = group.get(n);
                Key key = Key.of("DestinationRule", dr);
                List<String> mine = subsetNames(dr);
                for (GenericKubernetesResource older : group.subList(0, n)) {
                    List<String> theirs = subsetNames(older);
                    if (mine.isEmpty() && theirs.isEmpty()) {
                        add(key, "DestinationRuleDuplicateSubset", Validation.WARNING,
                                "The older DestinationRule " + ref(older) + " already has host '"
                                        + Fields.str(spec(dr), "host") + "'; Istio applies only one of them: merge them.",
                                "spec.host", List.of(objRef("DestinationRule", older)), List.of("KIA0201"));
                    }
                    for (int k = 0; k < mine.size(); k++) {
                        if (theirs.contains(mine.get(k))) {
                            add(key, "DestinationRuleDuplicateSubset", Validation.WARNING,
                                    "Subset '" + mine.get(k) + "' of host '" + Fields.str(spec(dr), "host")
                                            + "' is also defined by the older DestinationRule " + ref(older)
                                            + "; Istio applies only one definition: merge the two rules.",
                                    "spec.subsets[" + k + "].name", List.of(objRef("DestinationRule", older)),
                                    List.of("KIA0201"));
                        }
                    }
                }
            }
        }
    }

    private void tlsWithoutCa(Key key, Map<String, Object> policy, String path) {
        tlsCa(key, Fields.map(policy, "tls"), path + ".tls", "IST0128");
        List<Object> ports = Fields.list(policy, "portLevelSettings");
        for (int p = 0; p < ports.size(); p++) {
            tlsCa(key, Fields.map(ports.get(p), "tls"), path + ".portLevelSettings[" + p + "].tls", "IST0129");
        }
    }

    private void tlsCa(Key key, Map<String, Object> tls, String path, String ist) {
        String mode = Fields.upper(tls, "mode");
        if (("SIMPLE".equals(mode) || "MUTUAL".equals(mode)) && Fields.str(tls, "caCertificates") == null
                && Fields.str(tls, "credentialName") == null && !"true".equalsIgnoreCase(Fields.str(tls, "insecureSkipVerify"))) {
            add(key, "DestinationRuleTlsWithoutCa", Validation.WARNING,
                    "TLS mode " + mode + " without caCertificates (or credentialName): the server's certificate is "
                            + "not verified. Set caCertificates, or insecureSkipVerify: true if that is intended.",
                    path, List.of(), List.of(ist));
        }
    }

    // ---------------------------------------------------------------- Gateway

    private void gateways() {
        Map<GenericKubernetesResource, Set<String>> workloads = new LinkedHashMap<>();
        for (GenericKubernetesResource gw : snap.gateways()) {
            Key key = Key.of("Gateway", gw);
            Map<String, Object> spec = spec(gw);
            Map<String, String> selector = Fields.labels(spec, "selector");
            List<Pod> pods = snap.pods() == null || selector.isEmpty() ? null
                    : snap.pods().stream().filter(ConfigValidator::live).filter(p -> matches(selector, p)).toList();
            if (pods != null && pods.isEmpty()) {
                add(key, "GatewaySelectorNoWorkload", Validation.ERROR,
                        "The selector " + labelText(selector) + " matches no gateway pod, so no proxy serves this "
                                + "Gateway: correct the selector (e.g. istio: ingressgateway) or deploy the gateway.",
                        "spec.selector", List.of(), List.of("KIA0302", "IST0101"));
            }
            if (pods != null && !pods.isEmpty()) {
                workloads.put(gw, pods.stream().map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
                        .collect(Collectors.toSet()));
            }
            Set<String> workloadNamespaces = pods == null ? Set.of()
                    : pods.stream().map(p -> p.getMetadata().getNamespace()).collect(Collectors.toCollection(java.util.TreeSet::new));
            List<Service> fronting = frontingServices(pods);
            List<Object> servers = Fields.list(spec, "servers");
            for (int i = 0; i < servers.size(); i++) {
                Object server = servers.get(i);
                String path = "spec.servers[" + i + "]";
                Map<String, Object> port = Fields.map(server, "port");
                Integer number = Fields.integer(port, "number");
                String protocol = Fields.upper(port, "protocol");
                Map<String, Object> tls = Fields.map(server, "tls");
                if (("HTTPS".equals(protocol) || "TLS".equals(protocol)) && !Fields.has(server, "tls")) {
                    add(key, "GatewayHttpsWithoutTls", Validation.ERROR,
                            "Server " + i + " uses protocol " + protocol + " but has no tls settings: add tls with a "
                                    + "mode and a credentialName.",
                            path, List.of(), List.of("IST0106"));
                }
                if (number != null && fronting != null && !fronting.isEmpty()) {
                    boolean exposed = fronting.stream().flatMap(s -> s.getSpec().getPorts().stream())
                            .anyMatch(sp -> number.equals(sp.getPort()) || (sp.getTargetPort() != null
                                    && number.equals(sp.getTargetPort().getIntVal())));
                    if (!exposed) {
                        add(key, "GatewayPortNotOnService", Validation.WARNING,
                                "Port " + number + " is not exposed by the gateway's Service "
                                        + fronting.stream().map(s -> s.getMetadata().getNamespace() + "/"
                                        + s.getMetadata().getName()).toList() + ", so clients cannot reach this "
                                        + "server: add the port to the Service or use one of its ports.",
                                path + ".port.number", fronting.stream().map(s -> new ObjectRef("Service",
                                        s.getMetadata().getNamespace(), s.getMetadata().getName())).toList(),
                                List.of("IST0162"));
                    }
                }
                String mode = Fields.upper(tls, "mode");
                String credential = Fields.str(tls, "credentialName");
                if (("SIMPLE".equals(mode) || "MUTUAL".equals(mode)) && credential == null
                        && Fields.str(tls, "serverCertificate") == null) {
                    add(key, "GatewayTlsWithoutCredential", Validation.ERROR,
                            "TLS mode " + mode + " needs a certificate, but neither credentialName nor "
                                    + "serverCertificate is set: set credentialName to a TLS Secret in the gateway's "
                                    + "namespace.",
                            path + ".tls", List.of(), List.of("IST0106"));
                }
                if (credential != null && snap.secrets() != null && ("SIMPLE".equals(mode) || "MUTUAL".equals(mode)
                        || mode == null)) {
                    for (String ns : workloadNamespaces) {
                        credential(key, ns, credential, path + ".tls.credentialName", Fields.strings(server, "hosts"));
                    }
                }
            }
        }
        gatewayConflicts(workloads);
    }

    private List<Service> frontingServices(List<Pod> pods) {
        if (pods == null || pods.isEmpty() || snap.services() == null) {
            return null;
        }
        return snap.services().stream()
                .filter(s -> s.getSpec() != null && s.getSpec().getSelector() != null && !s.getSpec().getSelector().isEmpty()
                        && s.getSpec().getPorts() != null)
                .filter(s -> pods.stream().anyMatch(p -> p.getMetadata().getNamespace().equals(s.getMetadata().getNamespace())
                        && matches(s.getSpec().getSelector(), p)))
                .toList();
    }

    private void credential(Key key, String ns, String name, String path, List<String> hosts) {
        ObjectRef sref = new ObjectRef("Secret", ns, name);
        Secret secret = secretsByName.get(ns + "/" + name);
        if (secret == null) {
            add(key, "GatewaySecretNotFound", Validation.ERROR,
                    "Secret " + ns + "/" + name + " does not exist in the gateway workload's namespace, so the "
                            + "TLS handshake fails: create the TLS Secret there.",
                    path, List.of(sref), List.of("IST0101"));
            return;
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String certKey = data.containsKey("tls.crt") ? "tls.crt" : data.containsKey("cert") ? "cert" : null;
        String keyKey = data.containsKey("tls.key") ? "tls.key" : data.containsKey("key") ? "key" : null;
        if (certKey == null || keyKey == null) {
            List<String> missing = new ArrayList<>();
            if (certKey == null) {
                missing.add("tls.crt");
            }
            if (keyKey == null) {
                missing.add("tls.key");
            }
            add(key, "GatewaySecretIncomplete", Validation.ERROR,
                    "Secret " + ns + "/" + name + " lacks " + String.join(" and ", missing) + ", so the gateway "
                            + "cannot serve this certificate: recreate it with kubectl create secret tls.",
                    path, List.of(sref), List.of("IST0161"));
            return;
        }
        X509Certificate cert;
        try {
            byte[] pem = Base64.getMimeDecoder().decode(data.get(certKey));
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            cert = certs.isEmpty() ? null : (X509Certificate) certs.iterator().next();
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            cert = null;
        }
        if (cert == null) {
            add(key, "GatewaySecretInvalid", Validation.ERROR,
                    "Secret " + ns + "/" + name + " holds no parseable X.509 certificate in " + certKey
                            + ": recreate it from a PEM certificate.",
                    path, List.of(sref), List.of("IST0161"));
            return;
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        Instant notBefore = cert.getNotBefore().toInstant();
        if (notAfter.isBefore(now)) {
            add(key, "GatewayCertificateExpired", Validation.WARNING,
                    "The certificate in Secret " + ns + "/" + name + " expired on " + notAfter
                            + ": clients reject it. Renew the certificate.",
                    path, List.of(sref), List.of("IST0161"));
        } else if (notBefore.isAfter(now)) {
            add(key, "GatewayCertificateNotYetValid", Validation.WARNING,
                    "The certificate in Secret " + ns + "/" + name + " is not valid before " + notBefore
                            + ": clients reject it until then. Check the issuing clock or use a valid certificate.",
                    path, List.of(sref), List.of());
        }
        List<String> names = certificateNames(cert);
        List<String> uncovered = hosts.stream().map(ConfigValidator::bareHost)
                .filter(h -> !h.equals("*") && names.stream().noneMatch(n -> certCovers(n, h))).toList();
        if (!names.isEmpty() && !uncovered.isEmpty()) {
            add(key, "GatewayCertificateHostMismatch", Validation.WARNING,
                    "The certificate in Secret " + ns + "/" + name + " is for " + names + " and does not cover "
                            + uncovered + ": clients reject it for those hosts. Use a certificate that names them.",
                    path, List.of(sref), List.of());
        }
    }

    /** The DNS names of a certificate: its DNS subject alternative names, else its common name. */
    private static List<String> certificateNames(X509Certificate cert) {
        List<String> names = new ArrayList<>();
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (san.size() > 1 && Integer.valueOf(2).equals(san.get(0))) {
                        names.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateException e) {
            // unparseable extension: fall back to the common name
        }
        if (names.isEmpty()) {
            Matcher m = Pattern.compile("(?:^|,)\\s*CN=([^,]+)").matcher(cert.getSubjectX500Principal().getName());
            if (m.find()) {
                names.add(m.group(1).trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** TLS name matching: a wildcard covers exactly one leftmost label. */
    private static boolean certCovers(String certName, String host) {
        if (certName.equals(host)) {
            return true;
        }
        if (certName.startsWith("*.")) {
            String suffix = certName.substring(1);
            if (host.startsWith("*.")) {
                return host.equals(certName);
            }
            return host.endsWith(suffix) && host.indexOf('.') == host.length() - suffix.length();
        }
        return false;
    }

    private void gatewayConflicts(Map<GenericKubernetesResource, Set<String>> workloads) {
        List<GenericKubernetesResource> ordered = new ArrayList<>(workloads.keySet());
        ordered.sort(OLDEST_FIRST);
        for (int b = 1; b < ordered.size(); b++) {
            GenericKubernetesResource newer = ordered.get(b);
            Key key = Key.of("Gateway", newer);
            List<Object> newServers = Fields.list(spec(newer), "servers");
            for (int i = 0; i < newServers.size(); i++) {
                Object server = newServers.get(i);
                Integer port = Fields.integer(Fields.map(server, "port"), "number");
                String cred = Fields.str(Fields.map(server, "tls"), "credentialName");
                List<String> hosts = Fields.strings(server, "hosts");
                Map<Integer, Set<GenericKubernetesResource>> hostConflicts = new TreeMap<>();
                Set<GenericKubernetesResource> sameCert = new LinkedHashSet<>();
                for (GenericKubernetesResource older : ordered.subList(0, b)) {
                    if (java.util.Collections.disjoint(workloads.get(older), workloads.get(newer))) {
                        continue;
                    }
                    for (Object os : Fields.list(spec(older), "servers")) {
                        if (cred != null && cred.equals(Fields.str(Fields.map(os, "tls"), "credentialName"))) {
                            sameCert.add(older);
                        }
                        if (port == null || !port.equals(Fields.integer(Fields.map(os, "port"), "number"))) {
                            continue;
                        }
                        List<String> oldHosts = Fields.strings(os, "hosts");
                        for (int h = 0; h < hosts.size(); h++) {
                            String host = bareHost(hosts.get(h));
                            if (oldHosts.stream().anyMatch(o -> overlaps(bareHost(o), host))) {
                                hostConflicts.computeIfAbsent(h, x -> new LinkedHashSet<>()).add(older);
                            }
                        }
                    }
                }
                for (Map.Entry<Integer, Set<GenericKubernetesResource>> e : hostConflicts.entrySet()) {
                    add(key, "GatewayHostConflict", Validation.ERROR,
                            "Host '" + hosts.get(e.getKey()) + "' on port " + port + " is already served by the older "
                                    + "Gateway " + refs(e.getValue()) + " on the same workload: Envoy keeps the older "
                                    + "server and rejects this one. Remove the duplicate or merge the Gateways.",
                            "spec.servers[" + i + "].hosts[" + e.getKey() + "]",
                            e.getValue().stream().map(g -> objRef("Gateway", g)).toList(), List.of("KIA0301", "IST0145"));
                }
                if (!sameCert.isEmpty()) {
                    add(key, "GatewayDuplicateCertificate", Validation.WARNING,
                            "Certificate '" + cred + "' is also used by the older Gateway " + refs(sameCert)
                                    + " on the same workload: HTTP/2 connection reuse across them can answer 404. "
                                    + "Use one Gateway per certificate.",
                            "spec.servers[" + i + "].tls.credentialName",
                            sameCert.stream().map(g -> objRef("Gateway", g)).toList(), List.of("IST0138"));
                }
            }
        }
    }

    private static String refs(Collection<GenericKubernetesResource> objects) {
        return objects.stream().map(ConfigValidator::ref).collect(Collectors.joining(", "));
    }

    // ---------------------------------------------------------------- helpers

    private static final Comparator<GenericKubernetesResource> OLDEST_FIRST = Comparator
            .comparing((GenericKubernetesResource r) -> Ages.parse(r.getMetadata().getCreationTimestamp()),
                    Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(r -> r.getMetadata().getNamespace() + "/" + r.getMetadata().getName());

    private Map<Key, List<Validation>> finish() {
        Map<Key, List<Validation>> out = new LinkedHashMap<>();
        Map<Key, GenericKubernetesResource> objects = new HashMap<>();
        snap.gateways().forEach(r -> objects.put(Key.of("Gateway", r), r));
        snap.virtualServices().forEach(r -> objects.put(Key.of("VirtualService", r), r));
        snap.destinationRules().forEach(r -> objects.put(Key.of("DestinationRule", r), r));
        for (Map.Entry<Key, List<Validation>> e : results.entrySet()) {
            Set<String> ignored = new HashSet<>(globalIgnore);
            GenericKubernetesResource r = objects.get(e.getKey());
            if (r != null && r.getMetadata().getAnnotations() != null) {
                String a = r.getMetadata().getAnnotations().get(IGNORE_ANNOTATION);
                if (a != null) {
                    Arrays.stream(a.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(ignored::add);
                }
            }
            List<Validation> kept = e.getValue().stream().filter(v -> !ignored.contains(v.code()))
                    .distinct()
                    .sorted(Comparator.comparingInt(Validation::rank).thenComparing(Validation::path))
                    .toList();
            out.put(e.getKey(), kept);
        }
        return out;
    }

    private void add(Key key, String code, String severity, String message, String path, List<ObjectRef> refs,
                     List<String> equivalents) {
        results.computeIfAbsent(key, k -> new ArrayList<>())
                .add(new Validation(code, severity, message, path, refs, equivalents));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        Object spec = r.getAdditionalProperties().get("spec");
        return spec instanceof Map<?, ?> ? (Map<String, Object>) spec : Map.of();
    }

    private static List<String> subsetNames(GenericKubernetesResource dr) {
        return Fields.list(spec(dr), "subsets").stream().map(s -> Fields.str(s, "name")).filter(Objects::nonNull).toList();
    }

    private List<GenericKubernetesResource> destinationRulesFor(String fq) {
        List<GenericKubernetesResource> out = new ArrayList<>(rulesByHost.getOrDefault(fq, List.of()));
        for (GenericKubernetesResource dr : wildcardRules) {
            if (overlaps(fqdn(Fields.str(spec(dr), "host"), dr.getMetadata().getNamespace()), fq)) {
                out.add(dr);
            }
        }
        return out;
    }

    /** @return true when the host is a Service or ServiceEntry host, false when not, null when unknowable */
    private Boolean known(String fq) {
        if (snap.services() == null) {
            return null;
        }
        if (fq.equals("*")) {
            return true;
        }
        if (fq.startsWith("*")) {
            if (servicesByHost.keySet().stream().anyMatch(h -> overlaps(fq, h))) {
                return true;
            }
        } else if (servicesByHost.containsKey(fq)) {
            return true;
        }
        if (snap.serviceEntries() == null) {
            return null;
        }
        for (GenericKubernetesResource se : snap.serviceEntries()) {
            for (String h : Fields.strings(spec(se), "hosts")) {
                if (overlaps(fqdn(h, se.getMetadata().getNamespace()), fq)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Istio's short-name rule: a name without dots is a Service in the given namespace. {@code name.namespace} of an
     * existing namespace is read as that Service too, as Kiali does, so it is never reported as unknown.
     */
    String fqdn(String host, String namespace) {
        String h = host.toLowerCase(Locale.ROOT).trim();
        if (h.equals("*") || h.startsWith("*.")) {
            return h;
        }
        if (!h.contains(".")) {
            return h + "." + namespace + "." + DOMAIN;
        }
        String[] parts = h.split("\\.");
        if (parts.length == 2 && namespaces != null && namespaces.contains(parts[1])) {
            return h + "." + DOMAIN;
        }
        if (parts.length == 3 && parts[2].equals("svc")) {
            return h + ".cluster.local";
        }
        return h;
    }

    private static String bareHost(String host) {
        int slash = host.indexOf('/');
        return (slash >= 0 ? host.substring(slash + 1) : host).toLowerCase(Locale.ROOT);
    }

    /** Whether two host patterns (each possibly {@code *} or {@code *.suffix}) can name the same host. */
    static boolean overlaps(String a, String b) {
        return covers(a, b) || covers(b, a);
    }

    private static boolean covers(String pattern, String host) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            String suffix = pattern.substring(1);
            return host.endsWith(suffix) || host.equals(pattern);
        }
        return pattern.equals(host);
    }

    private static boolean live(Pod p) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase) && p.getMetadata().getDeletionTimestamp() == null;
    }

    private static boolean matches(Map<String, String> selector, Pod p) {
        Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
        return selector.entrySet().stream().allMatch(e -> Objects.equals(labels.get(e.getKey()), e.getValue()));
    }

    private static String labelText(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    private static String ref(GenericKubernetesResource r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }

    private static ObjectRef objRef(String kind, GenericKubernetesResource r) {
        return new ObjectRef(kind, r.getMetadata().getNamespace(), r.getMetadata().getName());
    }

    private static ObjectRef hostRef(String fq) {
        if (fq.endsWith("." + DOMAIN)) {
            String[] parts = fq.split("\\.");
            if (parts.length == 5) {
                return new ObjectRef("Service", parts[1], parts[0]);
            }
        }
        return new ObjectRef("Host", null, fq);
    }
}
