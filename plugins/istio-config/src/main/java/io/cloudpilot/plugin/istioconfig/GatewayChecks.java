package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.cloudpilot.k8s.syntax.Untyped;
import io.cloudpilot.plugin.istioconfig.ConfigIndex.GatewayWorkload;
import io.cloudpilot.plugin.istioconfig.Validation.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;

/**
 * The checks of Gateways on their own and against each other: the workload a selector picks, the ports of the Service
 * in front of it, servers Istio's admission would refuse, and servers of Gateways on one workload that Istio cannot
 * merge. The certificates are {@link GatewayTlsChecks}'.
 */
final class GatewayChecks {

    private final ConfigIndex index;
    private final Findings findings;
    private final GatewayTlsChecks tls;

    GatewayChecks(ConfigIndex index, Findings findings, GatewayTlsChecks tls) {
        this.index = index;
        this.findings = findings;
        this.tls = tls;
    }

    void check() {
        for (GenericKubernetesResource gw : index.snapshot.gateways()) {
            ObjectKey key = ObjectKey.of("Gateway", gw);
            Map<String, Object> spec = IstioKinds.spec(gw);
            Map<String, String> selector = Untyped.labels(spec, "selector");
            GatewayWorkload workload = index.workload(gw);
            if (workload.pods() != null && workload.pods().isEmpty()) {
                findings.add(key, Code.GATEWAY_SELECTOR_NO_WORKLOAD, Severity.ERROR,
                        "The selector " + labelText(selector) + " matches no gateway pod in any namespace, so no proxy "
                                + "serves this Gateway: correct the selector (e.g. istio: ingressgateway) or deploy "
                                + "the gateway.",
                        "spec.selector", List.of());
            }
            List<Service> fronting = index.frontingServices(workload.pods());
            List<Object> servers = Untyped.list(spec, "servers");
            for (int i = 0; i < servers.size(); i++) {
                server(key, servers.get(i), "spec.servers[" + i + "]", i, fronting);
                tls.server(key, workload, servers.get(i), "spec.servers[" + i + "]");
            }
        }
        conflicts();
    }

    private void server(ObjectKey key, Object server, String path, int i, List<Service> fronting) {
        Map<String, Object> port = Untyped.map(server, "port");
        Integer number = Untyped.integer(port, "number");
        String protocol = Untyped.upperCase(port, "protocol");
        if (("HTTPS".equals(protocol) || "TLS".equals(protocol)) && !Untyped.has(server, "tls")) {
            findings.add(key, Code.GATEWAY_HTTPS_WITHOUT_TLS, Severity.ERROR,
                    "Server " + i + " uses protocol " + protocol + " but has no tls settings: Istio's admission refuses "
                            + "it, and a server created without admission has no certificate. Add tls with a mode and a "
                            + "credentialName.",
                    path, List.of());
        }
        if (number != null && fronting != null && !fronting.isEmpty()) {
            boolean exposed = fronting.stream().flatMap(s -> s.getSpec().getPorts().stream())
                    .anyMatch(sp -> number.equals(sp.getPort()) || (sp.getTargetPort() != null
                            && number.equals(sp.getTargetPort().getIntVal())));
            if (!exposed) {
                findings.add(key, Code.GATEWAY_PORT_NOT_ON_SERVICE, Severity.WARNING,
                        "Port " + number + " is neither a port nor a target port of the gateway's Service "
                                + fronting.stream().map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName())
                                .toList() + ", so clients cannot reach this server: add the port to the Service or "
                                + "use one of its ports.",
                        path + ".port.number", fronting.stream().map(s -> new ObjectRef("Service",
                                s.getMetadata().getNamespace(), s.getMetadata().getName())).toList());
            }
        }
        Map<String, Object> tlsSettings = Untyped.map(server, "tls");
        String mode = Untyped.upperCase(tlsSettings, "mode");
        if (mode != null && GatewayTlsChecks.TERMINATING.contains(mode) && Untyped.string(tlsSettings, "credentialName") == null
                && Untyped.strings(tlsSettings, "credentialNames").isEmpty()
                && Untyped.string(tlsSettings, "serverCertificate") == null) {
            findings.add(key, Code.GATEWAY_TLS_WITHOUT_CREDENTIAL, Severity.ERROR,
                    "TLS mode " + mode + " needs a certificate, but neither credentialName nor serverCertificate is "
                            + "set: set credentialName to a TLS Secret in the gateway workload's namespace.",
                    path + ".tls", List.of());
        }
    }

    /** One server of one Gateway, with the hosts Istio keys it by. */
    private record ServerRef(GenericKubernetesResource gateway, int index, Integer port, String bind,
                             List<String> hosts, boolean tls, String credential) {
        ObjectKey key() {
            return ObjectKey.of("Gateway", gateway);
        }
    }

    /**
     * Istio merges the Gateways of one workload into one listener per port. Servers with TLS settings become filter
     * chains matched by SNI, and Envoy rejects two chains with the same match: so Istio skips a later server (older
     * Gateways first) with a host, written exactly alike, that an earlier server with TLS settings on the same port
     * and bind already has; written for different namespaces, both reach Envoy and break the listener. A wildcard and
     * a more specific host are different chains (the most specific wins), and plain HTTP servers are merged, host by
     * host. Both sides carry the finding, each pointing at the other.
     */
    @SuppressWarnings("ReferenceEquality") // the same object of one snapshot, not an equal one, is the question
    private void conflicts() {
        List<GenericKubernetesResource> ordered = new ArrayList<>(index.snapshot.gateways());
        ordered.sort(ConfigIndex.OLDEST_FIRST);
        List<ServerRef> servers = new ArrayList<>();
        for (GenericKubernetesResource gw : ordered) {
            List<Object> list = Untyped.list(IstioKinds.spec(gw), "servers");
            for (int i = 0; i < list.size(); i++) {
                Object s = list.get(i);
                servers.add(new ServerRef(gw, i, Untyped.integer(Untyped.map(s, "port"), "number"),
                        Objects.requireNonNullElse(Untyped.string(s, "bind"), ""),
                        sanitized(Untyped.strings(s, "hosts"), gw.getMetadata().getNamespace()), Untyped.has(s, "tls"),
                        Untyped.string(Untyped.map(s, "tls"), "credentialName")));
            }
        }
        for (int a = 0; a < servers.size(); a++) {
            for (int b = a + 1; b < servers.size(); b++) {
                ServerRef older = servers.get(a);
                ServerRef newer = servers.get(b);
                if (!sameWorkload(older.gateway(), newer.gateway())) {
                    continue;
                }
                hostConflict(older, newer);
                if (older.gateway() != newer.gateway() && older.credential() != null
                        && older.credential().equals(newer.credential())) {
                    duplicateCertificate(older, newer);
                    duplicateCertificate(newer, older);
                }
            }
        }
    }

    @SuppressWarnings("ReferenceEquality") // the same object of one snapshot, not an equal one, is the question
    private void hostConflict(ServerRef older, ServerRef newer) {
        if (!older.tls() || !newer.tls() || older.port() == null || !older.port().equals(newer.port())
                || !older.bind().equals(newer.bind())) {
            return;
        }
        for (int h = 0; h < newer.hosts().size(); h++) {
            String host = newer.hosts().get(h);
            for (int o = 0; o < older.hosts().size(); o++) {
                String other = older.hosts().get(o);
                if (!HostNames.bare(other).equals(HostNames.bare(host))) {
                    continue;
                }
                // the same text: Istio skips the later server; the same name for other namespaces: both reach Envoy
                // as filter chains with one SNI, and Envoy rejects the whole listener (istio#16573, istio#17079)
                boolean skipped = other.equals(host);
                String olderName = older.gateway() == newer.gateway() ? "server " + older.index() + " of this Gateway"
                        : "the older Gateway " + ref(older.gateway());
                String newerName = older.gateway() == newer.gateway() ? "server " + newer.index() + " of this Gateway"
                        : "the newer Gateway " + ref(newer.gateway());
                String port = " on port " + newer.port();
                findings.add(newer.key(), Code.GATEWAY_HOST_CONFLICT, Severity.ERROR, skipped
                                ? "Istio ignores this server: host '" + host + "'" + port + " is already served with TLS "
                                + "settings by " + olderName + " on the same workload, and two TLS servers cannot share "
                                + "a host on one port. Merge the servers or use different hosts."
                                : sharedSni(host, other, olderName, newer.port()),
                        "spec.servers[" + newer.index() + "].hosts[" + h + "]", List.of(older.key().ref()));
                findings.add(older.key(), Code.GATEWAY_HOST_CONFLICT, Severity.ERROR, skipped
                                ? "Host '" + other + "'" + port + " is also served with TLS settings by " + newerName
                                + " on the same workload; Istio keeps this server and ignores that one. Merge the "
                                + "servers or use different hosts."
                                : sharedSni(other, host, newerName, newer.port()),
                        "spec.servers[" + older.index() + "].hosts[" + o + "]", List.of(newer.key().ref()));
            }
        }
    }

    private static String sharedSni(String host, String other, String otherName, Integer port) {
        return "Host '" + host + "' and '" + other + "' of " + otherName + " are one TLS server name (SNI) on port "
                + port + " of the same workload: the namespace part does not reach Envoy, which rejects a listener "
                + "with two filter chains for one name, so no server on that port works. Serve the name from one "
                + "server.";
    }

    private void duplicateCertificate(ServerRef on, ServerRef other) {
        findings.add(on.key(), Code.GATEWAY_DUPLICATE_CERTIFICATE, Severity.WARNING,
                "Certificate '" + on.credential() + "' is also used by Gateway " + ref(other.gateway())
                        + " on the same workload: with HTTP/2 connection reuse a client may send requests for one "
                        + "Gateway's hosts over the other's connection and get 404. Serve all hosts of one certificate "
                        + "from one Gateway.",
                "spec.servers[" + on.index() + "].tls.credentialName", List.of(other.key().ref()));
    }

    /** Two Gateways configure the same proxies: their selectors pick a common pod (equal selectors when pods are unknown). */
    @SuppressWarnings("ReferenceEquality") // the same object of one snapshot, not an equal one, is the question
    private boolean sameWorkload(GenericKubernetesResource a, GenericKubernetesResource b) {
        if (a == b) {
            return true;
        }
        GatewayWorkload wa = index.workload(a);
        GatewayWorkload wb = index.workload(b);
        if (wa.pods() != null && wb.pods() != null) {
            return wa.shares(wb);
        }
        Map<String, String> sa = Untyped.labels(IstioKinds.spec(a), "selector");
        return !sa.isEmpty() && sa.equals(Untyped.labels(IstioKinds.spec(b), "selector"));
    }

    /** Istio's reading of server hosts: {@code ./h} is {@code <gateway namespace>/h}, {@code *}{@code /h} is {@code h}. */
    static List<String> sanitized(List<String> hosts, String gatewayNamespace) {
        List<String> out = new ArrayList<>();
        for (String raw : hosts) {
            String h = raw.trim();
            int slash = h.indexOf('/');
            if (slash >= 0) {
                String ns = h.substring(0, slash);
                String name = h.substring(slash + 1);
                if (ns.equals(".")) {
                    h = gatewayNamespace + "/" + name;
                } else if (ns.equals("*")) {
                    h = name;
                }
            }
            out.add(h);
        }
        return out;
    }

    static String labelText(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    static String ref(GenericKubernetesResource r) {
        return r.getMetadata().getNamespace() + "/" + r.getMetadata().getName();
    }
}
