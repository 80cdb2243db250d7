package io.cloudpilot.plugin.istioconfig;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cloudpilot.k8s.syntax.Untyped;
import io.cloudpilot.plugin.istioconfig.ConfigIndex.GatewayWorkload;
import io.cloudpilot.plugin.istioconfig.Validation.ObjectRef;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * The certificates of Gateway servers that terminate TLS: the Secret a {@code credentialName} names must exist in the
 * namespace of the gateway's pods (where the proxy reads it, not the Gateway's namespace), hold a certificate and a
 * key (and a CA for MUTUAL), and the certificate must be valid now and name the server's hosts. A certificate is
 * parsed for its dates and names only; its content never reaches a message.
 */
final class GatewayTlsChecks {

    /** The TLS modes in which the gateway presents its own certificate. */
    static final Set<String> TERMINATING = Set.of("SIMPLE", "MUTUAL", "OPTIONAL_MUTUAL");
    private static final Pattern COMMON_NAME = Pattern.compile("(?:^|,)\\s*CN=([^,]+)");

    private final ConfigIndex index;
    private final Findings findings;
    private final Instant now;

    GatewayTlsChecks(ConfigIndex index, Findings findings, Instant now) {
        this.index = index;
        this.findings = findings;
        this.now = now;
    }

    void server(ObjectKey key, GatewayWorkload workload, Object server, String path) {
        Map<String, Object> tls = Untyped.map(server, "tls");
        String mode = Untyped.upperCase(tls, "mode");
        if (mode == null || !TERMINATING.contains(mode) || !index.secretsKnown() || workload.pods() == null) {
            return;
        }
        List<String> hosts = Untyped.strings(server, "hosts");
        String single = Untyped.string(tls, "credentialName");
        if (single != null) {
            for (String ns : namespaces(workload)) {
                credential(key, ns, single, mode, path + ".tls.credentialName", hosts);
            }
        }
        List<String> several = Untyped.strings(tls, "credentialNames");
        for (int k = 0; k < several.size(); k++) {
            for (String ns : namespaces(workload)) {
                credential(key, ns, several.get(k), mode, path + ".tls.credentialNames[" + k + "]", hosts);
            }
        }
    }

    private static Set<String> namespaces(GatewayWorkload workload) {
        return workload.pods().isEmpty() ? Set.of() : workload.namespaces();
    }

    private void credential(ObjectKey key, String ns, String name, String mode, String path, List<String> hosts) {
        ObjectRef sref = new ObjectRef("Secret", ns, name);
        Secret secret = index.secret(ns, name);
        if (secret == null) {
            findings.add(key, Code.GATEWAY_SECRET_NOT_FOUND, Severity.ERROR,
                    "Secret " + ns + "/" + name + " does not exist in the namespace of the gateway's pods, where the "
                            + "proxy reads it, so the TLS handshake fails: create the TLS Secret there.",
                    path, List.of(sref));
            return;
        }
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String certKey = data.containsKey("tls.crt") ? "tls.crt" : data.containsKey("cert") ? "cert" : null;
        String keyKey = data.containsKey("tls.key") ? "tls.key" : data.containsKey("key") ? "key" : null;
        List<String> missing = new ArrayList<>();
        if (certKey == null) {
            missing.add("tls.crt");
        }
        if (keyKey == null) {
            missing.add("tls.key");
        }
        if (mode.contains("MUTUAL") && !data.containsKey("ca.crt") && !data.containsKey("cacert")
                && index.secret(ns, name + "-cacert") == null) {
            missing.add("ca.crt (or a Secret " + name + "-cacert)");
        }
        if (!missing.isEmpty()) {
            findings.add(key, Code.GATEWAY_SECRET_INCOMPLETE, Severity.ERROR,
                    "Secret " + ns + "/" + name + " lacks " + String.join(" and ", missing) + ", so the gateway cannot "
                            + "serve TLS " + mode + " with it: recreate it (kubectl create secret tls, and the CA for "
                            + "MUTUAL).",
                    path, List.of(sref));
            if (certKey == null) {
                return;
            }
        }
        X509Certificate cert = parse(data.get(certKey));
        if (cert == null) {
            findings.add(key, Code.GATEWAY_SECRET_INVALID, Severity.ERROR,
                    "Secret " + ns + "/" + name + " holds no parseable X.509 certificate in " + certKey
                            + ", so the gateway cannot serve it: recreate it from a PEM certificate.",
                    path, List.of(sref));
            return;
        }
        Instant notAfter = cert.getNotAfter().toInstant();
        Instant notBefore = cert.getNotBefore().toInstant();
        if (notAfter.isBefore(now)) {
            findings.add(key, Code.GATEWAY_CERTIFICATE_EXPIRED, Severity.ERROR,
                    "The certificate in Secret " + ns + "/" + name + " expired on " + notAfter
                            + ", so every client that verifies it fails the handshake: renew the certificate.",
                    path, List.of(sref));
        } else if (notBefore.isAfter(now)) {
            findings.add(key, Code.GATEWAY_CERTIFICATE_NOT_YET_VALID, Severity.ERROR,
                    "The certificate in Secret " + ns + "/" + name + " is not valid before " + notBefore
                            + ", so clients reject it until then: check the issuer's clock or use a certificate that "
                            + "is valid now.",
                    path, List.of(sref));
        }
        List<String> names = names(cert);
        List<String> uncovered = hosts.stream().map(HostNames::bare)
                .filter(h -> !h.equals("*") && names.stream().noneMatch(n -> HostNames.certificateCovers(n, h)))
                .toList();
        if (!names.isEmpty() && !uncovered.isEmpty()) {
            findings.add(key, Code.GATEWAY_CERTIFICATE_HOST_MISMATCH, Severity.ERROR,
                    "The certificate in Secret " + ns + "/" + name + " is for " + names + " and does not cover "
                            + uncovered + ", so clients that verify the name reject it for those hosts: use a "
                            + "certificate that names them, or serve them from another server.",
                    path, List.of(sref));
        }
    }

    private static X509Certificate parse(String base64) {
        try {
            byte[] pem = Base64.getMimeDecoder().decode(base64);
            var certs = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
            return certs.isEmpty() ? null : (X509Certificate) certs.iterator().next();
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
    }

    /** The DNS names of a certificate: its DNS subject alternative names, else its common name. */
    private static List<String> names(X509Certificate cert) {
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
            // an unparseable extension: fall back to the common name
        }
        if (names.isEmpty()) {
            Matcher m = COMMON_NAME.matcher(cert.getSubjectX500Principal().getName());
            if (m.find()) {
                names.add(m.group(1).trim().toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }
}
