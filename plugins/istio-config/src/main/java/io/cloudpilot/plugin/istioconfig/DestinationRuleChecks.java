package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import io.cloudpilot.k8s.syntax.Untyped;
import io.cloudpilot.plugin.istioconfig.ConfigIndex.RegistryHost;
import io.cloudpilot.plugin.istioconfig.ConfigIndex.RuleEntry;
import io.cloudpilot.plugin.istioconfig.ValidationOptions.OutboundTrafficPolicy;
import io.cloudpilot.plugin.istioconfig.Validation.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;

/**
 * The checks of DestinationRules: the host they apply to, the pods their subsets select, how Istio merges two rules
 * for one host in one namespace, and TLS origination without a pinned CA.
 */
final class DestinationRuleChecks {

    private final ConfigIndex index;
    private final Findings findings;
    private final VirtualServiceChecks.Routing routing;

    DestinationRuleChecks(ConfigIndex index, Findings findings, VirtualServiceChecks.Routing routing) {
        this.index = index;
        this.findings = findings;
        this.routing = routing;
    }

    void check() {
        for (GenericKubernetesResource dr : index.snapshot.destinationRules()) {
            ObjectKey key = ObjectKey.of("DestinationRule", dr);
            Map<String, Object> spec = IstioKinds.spec(dr);
            VirtualServiceChecks.exportToNamespaces(index, findings, key, spec);
            tlsWithoutCa(key, Untyped.map(spec, "trafficPolicy"), "spec.trafficPolicy");
            List<Object> subsets = Untyped.list(spec, "subsets");
            for (int k = 0; k < subsets.size(); k++) {
                tlsWithoutCa(key, Untyped.map(subsets.get(k), "trafficPolicy"), "spec.subsets[" + k + "].trafficPolicy");
            }
        }
        for (RuleEntry rule : index.rules()) {
            host(rule);
            subsets(rule);
        }
        merges();
    }

    private void host(RuleEntry rule) {
        if (!index.registryKnown()) {
            return;
        }
        String ns = rule.namespace();
        List<RegistryHost> entries = index.registry(rule.host());
        if (entries.stream().anyMatch(e -> e.visibility().visibleTo(ns))) {
            return;
        }
        boolean blocked = index.mesh.outboundTrafficPolicy() == OutboundTrafficPolicy.REGISTRY_ONLY;
        String written = Untyped.string(IstioKinds.spec(rule.rule()), "host");
        findings.add(rule.key(), Code.DESTINATION_RULE_HOST_NOT_FOUND, blocked ? Severity.ERROR : Severity.WARNING,
                "Host '" + written + "'" + (rule.host().equals(written) ? "" : " (" + rule.host() + ")")
                        + (entries.isEmpty() ? " matches no Service and no ServiceEntry"
                        : " is not exported to namespace " + ns)
                        + ", so this rule applies to nothing" + (blocked
                        ? "; under the mesh's REGISTRY_ONLY policy sidecars block traffic to it altogether"
                        : "; traffic to it passes through without this policy") + ". Correct the host, or create the "
                        + "Service or a ServiceEntry.",
                "spec.host", List.of(index.hostRef(rule.host())));
    }

    private void subsets(RuleEntry rule) {
        List<Object> subsets = Untyped.list(IstioKinds.spec(rule.rule()), "subsets");
        boolean anyLabelled = subsets.stream().anyMatch(s -> !Untyped.labels(s, "labels").isEmpty());
        Service svc = index.service(rule.host());
        Map<String, String> selector = svc == null || svc.getSpec() == null ? null : svc.getSpec().getSelector();
        for (int k = 0; k < subsets.size(); k++) {
            Object subset = subsets.get(k);
            String name = Untyped.string(subset, "name");
            Map<String, String> labels = Untyped.labels(subset, "labels");
            if (labels.isEmpty()) {
                // Istio's own egress gateway task routes to a subset without labels on purpose
                findings.add(rule.key(), Code.DESTINATION_RULE_SUBSET_NO_LABELS, Severity.INFO,
                        "Subset '" + name + "' has no labels, so it is every endpoint of the host rather than a "
                                + "version" + (anyLabelled ? ", beside labelled subsets" : "")
                                + ": add the labels that pick its pods if it is meant to be a version.",
                        "spec.subsets[" + k + "]", List.of());
                continue;
            }
            if (selector == null || selector.isEmpty() || !index.podsKnown()
                    || labels.keySet().stream().anyMatch(ConfigIndex.TOPOLOGY_LABELS::contains)) {
                continue;
            }
            boolean any = index.podLabels(svc).stream().anyMatch(l -> ConfigIndex.matches(labels, l));
            if (any) {
                continue;
            }
            Set<ObjectKey> users = routing.users(rule.key(), name);
            List<ObjectRef> refs = new ArrayList<>();
            refs.add(new ObjectRef("Service", svc.getMetadata().getNamespace(), svc.getMetadata().getName()));
            users.forEach(u -> refs.add(u.ref()));
            String svcName = svc.getMetadata().getNamespace() + "/" + svc.getMetadata().getName();
            findings.add(rule.key(), Code.DESTINATION_RULE_SUBSET_NO_PODS, users.isEmpty() ? Severity.INFO : Severity.ERROR,
                    "Subset '" + name + "' (" + GatewayChecks.labelText(labels) + ") selects no running pod of Service "
                            + svcName + (users.isEmpty() ? "; no VirtualService routes to it yet."
                            : ", yet VirtualService " + users.stream().map(u -> u.namespace() + "/" + u.name())
                            .collect(Collectors.joining(", ")) + " routes to it: requests fail with 503 UH. Deploy "
                            + "pods with these labels or correct the labels."),
                    "spec.subsets[" + k + "].labels", refs);
        }
    }

    /**
     * Istio merges the rules of one namespace for one host (and the same workload selector), oldest first: it adds the
     * subsets of a later rule whose names are new, and takes a later rule's top-level traffic policy only when no
     * earlier rule has one. What a later rule says beyond that is ignored. Both rules carry the finding.
     */
    private void merges() {
        Map<String, List<RuleEntry>> groups = new LinkedHashMap<>();
        for (RuleEntry r : index.rules()) {
            if (r.host().startsWith("*")) {
                continue;
            }
            groups.computeIfAbsent(r.namespace() + "|" + r.host() + "|" + r.selector(), x -> new ArrayList<>()).add(r);
        }
        for (List<RuleEntry> group : groups.values()) {
            for (int a = 0; a < group.size(); a++) {
                for (int b = a + 1; b < group.size(); b++) {
                    duplicateSubsets(group.get(a), group.get(b));
                    trafficPolicies(group.get(a), group.get(b));
                }
            }
        }
    }

    private void duplicateSubsets(RuleEntry older, RuleEntry newer) {
        List<Object> olderSubsets = Untyped.list(IstioKinds.spec(older.rule()), "subsets");
        List<Object> newerSubsets = Untyped.list(IstioKinds.spec(newer.rule()), "subsets");
        String host = Untyped.string(IstioKinds.spec(newer.rule()), "host");
        for (int n = 0; n < newerSubsets.size(); n++) {
            String name = Untyped.string(newerSubsets.get(n), "name");
            for (int o = 0; o < olderSubsets.size(); o++) {
                if (name == null || !name.equals(Untyped.string(olderSubsets.get(o), "name"))) {
                    continue;
                }
                boolean same = Objects.equals(olderSubsets.get(o), newerSubsets.get(n));
                Severity severity = same ? Severity.WARNING : Severity.ERROR;
                String what = same ? "defines it the same way, so one definition is redundant"
                        : "defines it differently, and Istio keeps the older rule's definition";
                findings.add(newer.key(), Code.DESTINATION_RULE_DUPLICATE_SUBSET, severity,
                        "Subset '" + name + "' of host '" + host + "' is also defined by the older DestinationRule "
                                + ref(older) + ", which " + what + (same ? "" : ": this one is ignored")
                                + ". Merge the two rules into one.",
                        "spec.subsets[" + n + "].name", List.of(older.key().ref()));
                findings.add(older.key(), Code.DESTINATION_RULE_DUPLICATE_SUBSET, severity,
                        "Subset '" + name + "' of host '" + host + "' is also defined by the newer DestinationRule "
                                + ref(newer) + ", which " + (same ? "defines it the same way, so one definition is "
                                + "redundant" : "defines it differently: Istio keeps this definition and ignores that "
                                + "one") + ". Merge the two rules into one.",
                        "spec.subsets[" + o + "].name", List.of(newer.key().ref()));
            }
        }
    }

    private void trafficPolicies(RuleEntry older, RuleEntry newer) {
        Map<String, Object> olderPolicy = Untyped.map(IstioKinds.spec(older.rule()), "trafficPolicy");
        Map<String, Object> newerPolicy = Untyped.map(IstioKinds.spec(newer.rule()), "trafficPolicy");
        if (olderPolicy.isEmpty() || newerPolicy.isEmpty() || olderPolicy.equals(newerPolicy)) {
            return;
        }
        String host = Untyped.string(IstioKinds.spec(newer.rule()), "host");
        findings.add(newer.key(), Code.DESTINATION_RULE_TRAFFIC_POLICY_IGNORED, Severity.ERROR,
                "Istio ignores this trafficPolicy: the older DestinationRule " + ref(older) + " for host '" + host
                        + "' in this namespace has its own, and Istio merges only the subsets of later rules. Move the "
                        + "settings into one rule.",
                "spec.trafficPolicy", List.of(older.key().ref()));
        findings.add(older.key(), Code.DESTINATION_RULE_TRAFFIC_POLICY_IGNORED, Severity.ERROR,
                "The newer DestinationRule " + ref(newer) + " for host '" + host + "' sets another trafficPolicy, "
                        + "which Istio ignores: this rule's applies. Move the settings into one rule.",
                "spec.trafficPolicy", List.of(newer.key().ref()));
    }

    private void tlsWithoutCa(ObjectKey key, Map<String, Object> policy, String path) {
        tlsCa(key, Untyped.map(policy, "tls"), path + ".tls");
        List<Object> ports = Untyped.list(policy, "portLevelSettings");
        for (int p = 0; p < ports.size(); p++) {
            tlsCa(key, Untyped.map(ports.get(p), "tls"), path + ".portLevelSettings[" + p + "].tls");
        }
    }

    /**
     * Since Istio 1.20 a proxy verifies a server without {@code caCertificates} against the operating system's CA
     * bundle, so this is not pinned rather than unverified.
     */
    private void tlsCa(ObjectKey key, Map<String, Object> tls, String path) {
        String mode = Untyped.upperCase(tls, "mode");
        if (("SIMPLE".equals(mode) || "MUTUAL".equals(mode)) && Untyped.string(tls, "caCertificates") == null
                && Untyped.string(tls, "credentialName") == null
                && !"true".equalsIgnoreCase(Untyped.string(tls, "insecureSkipVerify"))) {
            findings.add(key, Code.DESTINATION_RULE_TLS_WITHOUT_CA, Severity.INFO,
                    "TLS mode " + mode + " without caCertificates (or credentialName): the server's certificate is "
                            + "checked against the proxy's system CA bundle (Istio 1.20 and later), not a CA of your "
                            + "choice, and not at all before 1.20. Set caCertificates to pin the CA.",
                    path, List.of());
        }
    }

    private static String ref(RuleEntry r) {
        return r.namespace() + "/" + r.rule().getMetadata().getName();
    }
}
