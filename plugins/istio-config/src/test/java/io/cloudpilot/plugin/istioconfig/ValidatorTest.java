package io.cloudpilot.plugin.istioconfig;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.ResourceCache;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static io.cloudpilot.plugin.istioconfig.Details.assertFinding;
import static io.cloudpilot.plugin.istioconfig.Details.assertQuiet;
import static io.cloudpilot.plugin.istioconfig.Details.codes;
import static io.cloudpilot.plugin.istioconfig.Details.validations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cross-object validations, over HTTP against the sandbox: every deliberate problem of the fixture is found with
 * its code, severity, path and refs; the correct objects stay quiet; the other codes are triggered by test-local
 * objects in namespace {@code lab} (and two Secrets in istio-system), which the fixture's objects do not see.
 */
@CloudPilotTest
class ValidatorTest {

    private static CloudPilotTestServer server;

    @BeforeAll
    static void start() {
        KubernetesClient admin = server.sandbox().client();
        create(admin, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: lab}
                """);
        create(admin, """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: lab}
                spec:
                  selector: {app: web}
                  ports:
                    - {name: http, port: 80, targetPort: 8080}
                    - {name: http-admin, port: 9000}
                """);
        create(admin, """
                apiVersion: v1
                kind: Pod
                metadata: {name: web-1, namespace: lab, labels: {app: web, version: v1}}
                spec:
                  containers: [{name: web, image: nginx}]
                status: {phase: Running}
                """);
        create(admin, """
                apiVersion: v1
                kind: Secret
                metadata: {name: garbage-tls, namespace: istio-system}
                type: kubernetes.io/tls
                data: {tls.crt: bm90IGEgY2VydGlmaWNhdGU=, tls.key: bm90IGEga2V5}
                """);
        istio(admin, IstioKinds.Kind.GATEWAY, """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: odd-gateway, namespace: lab}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                    - port: {number: 443, name: https-missing, protocol: HTTPS}
                      hosts: [missing.example.com]
                      tls: {mode: SIMPLE, credentialName: missing-tls}
                    - port: {number: 443, name: https-garbage, protocol: HTTPS}
                      hosts: [garbage.example.com]
                      tls: {mode: SIMPLE, credentialName: garbage-tls}
                    - port: {number: 9080, name: http-odd, protocol: HTTP}
                      hosts: [odd.example.com]
                    - port: {number: 443, name: https-notls, protocol: HTTPS}
                      hosts: [notls.example.com]
                    - port: {number: 443, name: https-nocred, protocol: HTTPS}
                      hosts: [nocred.example.com]
                      tls: {mode: SIMPLE}
                """);
        istio(admin, IstioKinds.Kind.GATEWAY, """
                apiVersion: networking.istio.io/v1
                kind: Gateway
                metadata: {name: cert-gateway, namespace: lab}
                spec:
                  selector: {istio: ingressgateway}
                  servers:
                    - port: {number: 443, name: https-other, protocol: HTTPS}
                      hosts: [other.example.com]
                      tls: {mode: SIMPLE, credentialName: shop-tls}
                    - port: {number: 443, name: https-future, protocol: HTTPS}
                      hosts: [future.example.com]
                      tls: {mode: SIMPLE, credentialName: future-tls}
                """);
        create(admin, """
                apiVersion: v1
                kind: Secret
                metadata: {name: future-tls, namespace: istio-system}
                type: kubernetes.io/tls
                data: {tls.crt: %s, tls.key: bm90IGEga2V5}
                """.formatted(futureCertificate()));
        istio(admin, IstioKinds.Kind.DESTINATION_RULE, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: web, namespace: lab}
                spec:
                  host: web
                  trafficPolicy:
                    tls: {mode: SIMPLE}
                  subsets:
                    - name: v1
                      labels: {version: v1}
                    - name: v2
                      labels: {version: v2}
                    - name: all
                """);
        istio(admin, IstioKinds.Kind.DESTINATION_RULE, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: catalog-override, namespace: lab}
                spec:
                  host: catalog.shop.svc.cluster.local
                  trafficPolicy:
                    tls: {mode: ISTIO_MUTUAL}
                  subsets:
                    - name: v1
                      labels: {version: v1}
                """);
        istio(admin, IstioKinds.Kind.DESTINATION_RULE, """
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: nowhere, namespace: lab}
                spec:
                  host: nowhere
                  exportTo: [no-such-namespace]
                """);
        istio(admin, IstioKinds.Kind.VIRTUAL_SERVICE, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web, namespace: lab}
                spec:
                  hosts: [web]
                  http:
                    - match: [{uri: {prefix: /api}}]
                      route:
                        - destination: {host: web, subset: v1, port: {number: 80}}
                          weight: 50
                        - destination: {host: web, subset: v1, port: {number: 80}}
                          weight: 30
                    - match: [{uri: {prefix: /api}}]
                      route:
                        - destination: {host: web, subset: v2}
                          weight: 40
                      mirror: {host: no-mirror}
                    - route:
                        - destination: {host: web, port: {number: 7777}}
                """);
        istio(admin, IstioKinds.Kind.VIRTUAL_SERVICE, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: web-copy, namespace: lab}
                spec:
                  hosts: [web]
                  exportTo: [".", no-such-namespace]
                  http:
                    - route:
                        - destination: {host: web, port: {number: 80}}
                """);
        istio(admin, IstioKinds.Kind.VIRTUAL_SERVICE, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: ingress-web, namespace: lab}
                spec:
                  hosts: [odd.example.com]
                  gateways: [odd-gateway]
                  http:
                    - fault:
                        delay: {percent: 10, fixedDelay: 1s}
                      route:
                        - destination: {host: web, port: {number: 80}}
                """);
        istio(admin, IstioKinds.Kind.VIRTUAL_SERVICE, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: legacy, namespace: lab}
                spec:
                  hosts: [shop.example.com, other.example.com]
                  gateways: [shop-gateway.istio-system.svc.cluster.local]
                  http:
                    - route:
                        - destination: {host: frontend.shop, port: {number: 80}}
                """);
        istio(admin, IstioKinds.Kind.VIRTUAL_SERVICE, """
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata:
                  name: quiet
                  namespace: lab
                  annotations: {cloudpilot.io/ignore-validations: "VirtualServiceSubsetNotFound, ExportToNamespaceNotFound"}
                spec:
                  hosts: [quiet.lab.svc.cluster.local]
                  exportTo: [no-such-namespace]
                  http:
                    - route:
                        - destination: {host: web, subset: v9, port: {number: 80}}
                """);
    }

    /** A self-signed certificate for future.example.com that becomes valid in 10 days, base64 PEM, made by keytool. */
    private static String futureCertificate() {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("cert");
            String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            String store = dir.resolve("k.p12").toString();
            run(keytool, "-genkeypair", "-keystore", store, "-storepass", "changeit", "-alias", "a", "-keyalg", "EC",
                    "-dname", "CN=future.example.com", "-ext", "SAN=dns:future.example.com", "-startdate", "+10d",
                    "-validity", "30");
            String pem = run(keytool, "-exportcert", "-rfc", "-keystore", store, "-storepass", "changeit", "-alias", "a");
            return java.util.Base64.getEncoder().encodeToString(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String run(String... command) throws java.io.IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor(), out);
        return out.substring(out.indexOf("-----BEGIN") < 0 ? 0 : out.indexOf("-----BEGIN"));
    }

    private static void create(KubernetesClient admin, String yaml) {
        HasMetadata o = admin.getKubernetesSerialization().unmarshal(yaml);
        admin.resource(o).create();
    }

    private static void istio(KubernetesClient admin, IstioKinds.Kind kind, String yaml) {
        GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        admin.genericKubernetesResources(IstioKinds.context("v1", kind)).inNamespace(r.getMetadata().getNamespace())
                .resource(r).create();
    }

    // ------------------------------------------------------------ the sandbox fixture

    @Test
    void correctFixtureObjectsStayQuiet() {
        assertQuiet(validations(server, "virtualservice", "shop", "frontend"));
        assertEquals(List.of(), validations(server, "virtualservice", "payments", "payments"));
        assertEquals(List.of(), validations(server, "destinationrule", "shop", "frontend"));
        assertQuiet(validations(server, "destinationrule", "shop", "cart"));
        assertQuiet(validations(server, "destinationrule", "payments", "payments-api"));
    }

    @Test
    void virtualServiceGatewayAndHostNotFound() {
        List<JsonNode> v = validations(server, "virtualservice", "shop", "ghost");
        assertFinding(v, "VirtualServiceGatewayNotFound", "error", "spec.gateways[0]", "Gateway", "shop", "no-such-gateway");
        // bound to a gateway only: no ALLOW_ANY passthrough, so it stays an error
        assertFinding(v, "VirtualServiceDestinationHostNotFound", "error", "spec.http[0].route[0].destination.host",
                "Service", "shop", "ghost");
        assertEquals(2, v.size(), v.toString());
        JsonNode gw = Details.find(v, "VirtualServiceGatewayNotFound", "spec.gateways[0]");
        assertEquals("[\"KIA1102\",\"IST0101\"]", gw.path("equivalents").toString());
    }

    @Test
    void virtualServiceSubsetNotDefined() {
        List<JsonNode> v = validations(server, "virtualservice", "shop", "cart");
        assertFinding(v, "VirtualServiceSubsetNotFound", "error", "spec.http[0].route[0].destination.subset",
                "DestinationRule", "shop", "cart");
        assertEquals(1, v.size(), v.toString());
    }

    @Test
    void destinationRuleSubsetsWithoutPodsAreInfoWhenNothingRoutesThere() {
        List<JsonNode> cart = validations(server, "destinationrule", "shop", "cart");
        assertFinding(cart, "DestinationRuleSubsetNoPods", "info", "spec.subsets[1].labels", "Service", "shop", "cart");
        assertEquals(1, cart.size(), cart.toString());
        List<JsonNode> payments = validations(server, "destinationrule", "payments", "payments-api");
        assertFinding(payments, "DestinationRuleSubsetNoPods", "info", "spec.subsets[1].labels", "Service", "payments",
                "payments-api");
        assertEquals(1, payments.size(), payments.toString());
    }

    @Test
    void twoDestinationRulesForOneHostAreFlaggedOnBothSides() {
        // catalog and catalog-dup: v1 defined alike in both (redundant), and two top-level policies (the newer ignored)
        List<JsonNode> dup = validations(server, "destinationrule", "shop", "catalog-dup");
        assertFinding(dup, "DestinationRuleDuplicateSubset", "warning", "spec.subsets[0].name", "DestinationRule", "shop",
                "catalog");
        assertFinding(dup, "DestinationRuleTrafficPolicyIgnored", "error", "spec.trafficPolicy", "DestinationRule", "shop",
                "catalog");
        assertTrue(Details.find(dup, "DestinationRuleTrafficPolicyIgnored", "spec.trafficPolicy").path("message")
                .asString().startsWith("Istio ignores this trafficPolicy"), dup.toString());
        assertEquals(2, dup.size(), dup.toString());
        List<JsonNode> older = validations(server, "destinationrule", "shop", "catalog");
        assertFinding(older, "DestinationRuleDuplicateSubset", "warning", "spec.subsets[0].name", "DestinationRule",
                "shop", "catalog-dup");
        assertFinding(older, "DestinationRuleTrafficPolicyIgnored", "error", "spec.trafficPolicy", "DestinationRule",
                "shop", "catalog-dup");
        assertEquals(2, older.size(), older.toString());
        // a rule in another namespace overrides, it does not collide
        assertEquals(List.of(), validations(server, "destinationrule", "lab", "catalog-override"));
    }

    @Test
    void gatewaySelectorMatchingNoWorkload() {
        List<JsonNode> v = validations(server, "gateway", "shop", "broken-gateway");
        assertFinding(v, "GatewaySelectorNoWorkload", "error", "spec.selector", null, null, null);
        assertEquals(1, v.size(), v.toString());
    }

    @Test
    void gatewayCredentials() {
        List<JsonNode> expired = validations(server, "gateway", "istio-system", "expired-cert-gateway");
        assertFinding(expired, "GatewayCertificateExpired", "error", "spec.servers[0].tls.credentialName", "Secret",
                "istio-system", "expired-tls");
        assertTrue(expired.getFirst().path("message").asString().matches(".*expired on \\d{4}-\\d\\d-\\d\\d.*"),
                expired.toString());
        assertEquals(1, expired.size(), expired.toString());
        List<JsonNode> payments = validations(server, "gateway", "istio-system", "payments-gateway");
        assertFinding(payments, "GatewaySecretIncomplete", "error", "spec.servers[0].tls.credentialName", "Secret",
                "istio-system", "broken-tls");
        assertThat(payments.getFirst().path("message").asString()).as(payments.toString()).contains("tls.key");
        assertEquals(1, payments.size(), payments.toString());
        // never secret data in a message
        assertThat(payments.toString()).as(payments.toString()).doesNotContain("BEGIN CERTIFICATE");
    }

    @Test
    void duplicateHostPortAcrossGatewaysIsFlaggedOnBothSides() {
        List<JsonNode> v = validations(server, "gateway", "istio-system", "duplicate-gateway");
        assertFinding(v, "GatewayHostConflict", "error", "spec.servers[0].hosts[0]", "Gateway", "istio-system",
                "shop-gateway");
        assertTrue(Details.find(v, "GatewayHostConflict", "spec.servers[0].hosts[0]").path("message").asString()
                .startsWith("Istio ignores this server"), v.toString());
        assertFinding(v, "GatewayDuplicateCertificate", "warning", "spec.servers[0].tls.credentialName", "Gateway",
                "istio-system", "shop-gateway");
        assertFinding(v, "GatewayDuplicateCertificate", "warning", "spec.servers[0].tls.credentialName", "Gateway",
                "lab", "cert-gateway");
        assertEquals(3, v.size(), v.toString());
        // the older Gateway, whose server Istio keeps, points at the newer one
        List<JsonNode> older = validations(server, "gateway", "istio-system", "shop-gateway");
        assertFinding(older, "GatewayHostConflict", "error", "spec.servers[0].hosts[0]", "Gateway", "istio-system",
                "duplicate-gateway");
        assertTrue(Details.find(older, "GatewayHostConflict", "spec.servers[0].hosts[0]").path("message").asString()
                .contains("Istio keeps this server"), older.toString());
        assertFinding(older, "GatewayDuplicateCertificate", "warning", "spec.servers[0].tls.credentialName", "Gateway",
                "istio-system", "duplicate-gateway");
        assertEquals(3, older.size(), older.toString());
    }

    // ------------------------------------------------------------ test-local objects

    @Test
    void gatewayServerChecks() {
        List<JsonNode> v = validations(server, "gateway", "lab", "odd-gateway");
        assertFinding(v, "GatewaySecretNotFound", "error", "spec.servers[0].tls.credentialName", "Secret",
                "istio-system", "missing-tls");
        assertFinding(v, "GatewaySecretInvalid", "error", "spec.servers[1].tls.credentialName", "Secret",
                "istio-system", "garbage-tls");
        assertFinding(v, "GatewayPortNotOnService", "warning", "spec.servers[2].port.number", "Service",
                "istio-system", "istio-ingressgateway");
        assertFinding(v, "GatewayHttpsWithoutTls", "error", "spec.servers[3]", null, null, null);
        assertFinding(v, "GatewayTlsWithoutCredential", "error", "spec.servers[4].tls", null, null, null);
        assertEquals(5, v.size(), v.toString());
    }

    @Test
    void certificateNamesAndValidity() {
        List<JsonNode> v = validations(server, "gateway", "lab", "cert-gateway");
        assertFinding(v, "GatewayCertificateHostMismatch", "error", "spec.servers[0].tls.credentialName", "Secret",
                "istio-system", "shop-tls");
        assertTrue(Details.find(v, "GatewayCertificateHostMismatch", "spec.servers[0].tls.credentialName")
                .path("message").asString().contains("other.example.com"), v.toString());
        assertFinding(v, "GatewayDuplicateCertificate", "warning", "spec.servers[0].tls.credentialName", "Gateway",
                "istio-system", "shop-gateway");
        assertFinding(v, "GatewayDuplicateCertificate", "warning", "spec.servers[0].tls.credentialName", "Gateway",
                "istio-system", "duplicate-gateway");
        assertFinding(v, "GatewayCertificateNotYetValid", "error", "spec.servers[1].tls.credentialName", "Secret",
                "istio-system", "future-tls");
        assertEquals(4, v.size(), v.toString());
    }

    @Test
    void routeChecks() {
        List<JsonNode> v = validations(server, "virtualservice", "lab", "web");
        assertFinding(v, "VirtualServiceWeightSum", "warning", "spec.http[0].route", null, null, null);
        assertFinding(v, "VirtualServiceDuplicateDestination", "warning", "spec.http[0].route[1].destination", null,
                null, null);
        assertFinding(v, "VirtualServiceSingleWeight", "warning", "spec.http[1].route[0].weight", null, null, null);
        // web to itself without a port: traffic keeps the port it arrived on, which web has (80 or 9000)
        assertThat(codes(v)).as(v.toString()).doesNotContain("VirtualServicePortRequired");
        // a route to a host outside the registry fails whatever the outbound policy: no cluster exists for it
        assertFinding(v, "VirtualServiceDestinationHostNotFound", "error", "spec.http[1].mirror.host", "Service",
                "lab", "no-mirror");
        assertFinding(v, "VirtualServiceDestinationPortNotFound", "error", "spec.http[2].route[0].destination.port.number",
                "Service", "lab", "web");
        assertFinding(v, "VirtualServiceUnreachableRule", "warning", "spec.http[1].match", null, null, null);
        // the older of two mesh VirtualServices for web carries the conflict too, pointing at the newer one
        assertFinding(v, "VirtualServiceHostConflict", "error", "spec.hosts[0]", "VirtualService", "lab", "web-copy");
        assertEquals(7, v.size(), v.toString());
    }

    @Test
    void ingressWithoutSubsetAndDeprecatedFields() {
        List<JsonNode> v = validations(server, "virtualservice", "lab", "ingress-web");
        assertFinding(v, "VirtualServiceIngressIgnoresSubsets", "warning", "spec.http[0].route[0].destination.host",
                "VirtualService", "lab", "web");
        assertFinding(v, "VirtualServiceDeprecatedField", "info", "spec.http[0].fault.delay.percent", null, null, null);
        assertEquals(2, v.size(), v.toString());
    }

    @Test
    void hostConflictAndExportTo() {
        List<JsonNode> v = validations(server, "virtualservice", "lab", "web-copy");
        assertFinding(v, "VirtualServiceHostConflict", "error", "spec.hosts[0]", "VirtualService", "lab", "web");
        assertFinding(v, "ExportToNamespaceNotFound", "warning", "spec.exportTo[1]", "Namespace", null,
                "no-such-namespace");
        assertEquals(2, v.size(), v.toString());
        List<JsonNode> dr = validations(server, "destinationrule", "lab", "nowhere");
        assertFinding(dr, "ExportToNamespaceNotFound", "warning", "spec.exportTo[0]", "Namespace", null, "no-such-namespace");
        assertFinding(dr, "DestinationRuleHostNotFound", "warning", "spec.host", "Service", "lab", "nowhere");
    }

    @Test
    void legacyGatewayNameHostsServedByTheGatewayAndNameNamespaceDestinations() {
        List<JsonNode> v = validations(server, "virtualservice", "lab", "legacy");
        assertFinding(v, "VirtualServiceGatewayLegacyName", "info", "spec.gateways[0]", "Gateway", "istio-system",
                "shop-gateway");
        // shop-gateway serves shop.example.com, one of the hosts: it applies the routes (istioctl's IST0132 rule)
        assertThat(codes(v)).as(v.toString()).doesNotContain("VirtualServiceHostNotInGateway");
        assertThat(codes(v)).as(v.toString()).doesNotContain("VirtualServiceGatewayNotFound");
        // Istio expands only names without a dot: frontend.shop is no Service
        assertFinding(v, "VirtualServiceDestinationHostNotFound", "error", "spec.http[0].route[0].destination.host",
                "Host", null, "frontend.shop");
        assertTrue(Details.find(v, "VirtualServiceDestinationHostNotFound", "spec.http[0].route[0].destination.host")
                .path("message").asString().contains("frontend.shop.svc.cluster.local"), v.toString());
        // a gateway merges the routes of two VirtualServices for one host: worth knowing, on both
        assertFinding(v, "VirtualServiceHostConflict", "info", "spec.hosts[0]", "VirtualService", "shop", "frontend");
        assertEquals(3, v.size(), v.toString());
        assertFinding(validations(server, "virtualservice", "shop", "frontend"), "VirtualServiceHostConflict", "info",
                "spec.hosts[0]", "VirtualService", "lab", "legacy");
    }

    @Test
    void destinationRuleSubsetChecks() {
        List<JsonNode> v = validations(server, "destinationrule", "lab", "web");
        // lab/web routes to v2: no pod carries version=v2
        assertFinding(v, "DestinationRuleSubsetNoPods", "error", "spec.subsets[1].labels", "VirtualService", "lab", "web");
        assertFinding(v, "DestinationRuleSubsetNoLabels", "info", "spec.subsets[2]", null, null, null);
        assertFinding(v, "DestinationRuleTlsWithoutCa", "info", "spec.trafficPolicy.tls", null, null, null);
        assertThat(v.toString()).as("v1 selects pod web-1: " + v).doesNotContain("spec.subsets[0]");
        assertEquals(3, v.size(), v.toString());
    }

    @Test
    void ignoreAnnotationSuppressesCodes() {
        List<JsonNode> v = validations(server, "virtualservice", "lab", "quiet");
        assertEquals(List.of(), v);
    }

    @Test
    void registryOnlyMakesUnknownDestinationRuleHostsErrors() {
        KubernetesClient admin = server.sandbox().client();
        ConfigMap mesh = admin.configMaps().inNamespace("istio-system").withName("istio").get();
        String original = mesh.getData().get("mesh");
        try {
            admin.configMaps().inNamespace("istio-system").withName("istio").edit(cm -> {
                cm.getData().put("mesh", original + "outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\n");
                return cm;
            });
            assertFinding(validations(server, "virtualservice", "lab", "web"), "VirtualServiceDestinationHostNotFound",
                    "error", "spec.http[1].mirror.host", "Service", "lab", "no-mirror");
            assertFinding(validations(server, "destinationrule", "lab", "nowhere"), "DestinationRuleHostNotFound",
                    "error", "spec.host", "Service", "lab", "nowhere");
        } finally {
            admin.configMaps().inNamespace("istio-system").withName("istio").edit(cm -> {
                cm.getData().put("mesh", original);
                return cm;
            });
            server.client().get("/api/istio/gateway/list?force_refresh=true");
        }
    }

    @Test
    void listCountsAndHasErrors() {
        JsonNode all = server.client().get("/api/istio/virtualservice/list?force_refresh=true&namespace=shop").data();
        for (JsonNode item : all.path("virtualservices")) {
            int errors = (int) validations(server, "virtualservice", "shop", item.path("name").asString()).stream()
                    .filter(x -> x.path("severity").asString().equals("error")).count();
            assertEquals(errors, item.path("error_count").asInt(), item.toString());
        }
        JsonNode withErrors = server.client().get("/api/istio/gateway/list?has_errors=true").data();
        assertEquals(List.of("duplicate-gateway", "expired-cert-gateway", "payments-gateway", "shop-gateway",
                "cert-gateway", "odd-gateway", "broken-gateway"), names(withErrors.path("gateways")));
    }

    /** The sandbox as a plugin sees it, read with the admin client. */
    private static ClusterContext sandbox() {
        KubernetesClient admin = server.sandbox().client();
        return new ClusterContext() {
            @Override
            public String name() {
                return "sandbox";
            }

            @Override
            public KubernetesClient client() {
                return admin;
            }

            @Override
            public List<String> servedVersions(String group) {
                return List.of("v1", "v1beta1", "v1alpha3");
            }
        };
    }

    /** A cache that keeps nothing and hands each answer to {@code seen}. */
    private static ResourceCache passThrough(java.util.function.BiConsumer<CacheKey, Object> seen) {
        return new ResourceCache() {
            @Override
            public <T> T get(CacheKey key, boolean forceRefresh, Supplier<T> loader) {
                T answer = loader.get();
                seen.accept(key, answer);
                return answer;
            }

            @Override
            public void invalidate(String cluster, io.cloudpilot.spi.CacheKind kind) {
            }
        };
    }

    @Test
    void anAnalysisDoesNotKeepThePodsItWasValidatedAgainst() throws InterruptedException {
        // a forced read used to leave a second copy of a 10,000-pod list alive in the analysis (docs/performance.md)
        List<java.lang.ref.WeakReference<Object>> pods = new java.util.ArrayList<>();
        IstioConfigService service = new IstioConfigService(passThrough((key, answer) -> {
            if (key.kind().name().endsWith("pods")) {
                pods.add(new java.lang.ref.WeakReference<>(answer));
            }
        }), IstioConfigSettings.from(Map.of()));
        IstioConfigService.Analysis analysis = service.analyze(sandbox(), true);

        assertFalse(pods.isEmpty(), "the validation read the pods");
        assertFalse(analysis.snapshot().virtualServices().isEmpty(), "lists and details are served from it");
        for (int i = 0; i < 50 && pods.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(pods.stream().allMatch(r -> r.get() == null), "the analysis keeps the pod list alive");
        assertFalse(analysis.validations().isEmpty()); // still in use: the analysis itself was not collected
    }

    @Test
    void healthContributorCountsByCode() {
        ClusterContext cluster = sandbox();
        IstioConfigService service = new IstioConfigService(passThrough((key, answer) -> { }), IstioConfigSettings.from(Map.of()));
        HealthContributor.Contribution c = new ConfigHealthContributor(() -> service).contribute(cluster, false);
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) c.details().get("configuration");
        assertEquals(7, d.get("gateways"));
        assertEquals(9, d.get("virtualservices"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> byCode = (Map<String, Map<String, Object>>) d.get("by_code");
        assertEquals(Map.of("severity", "error", "count", 1), byCode.get("GatewaySelectorNoWorkload"));
        assertEquals(io.cloudpilot.spi.Severity.CRITICAL, c.findings().getFirst().severity());
        assertTrue(c.findings().stream().anyMatch(f -> f.code().equals("VirtualServiceSubsetNotFound")
                && f.endpoint().startsWith("/api/istio/virtualservice/detail?cluster_name=sandbox&namespace=shop")),
                c.findings().toString());
        assertTrue((Integer) d.get("errors") > 0 && (Integer) d.get("warnings") > 0, d.toString());
        // one finding per code stands for every validation of that code in the summary's score
        @SuppressWarnings("unchecked")
        Map<String, Object> counts = (Map<String, Object>) c.details().get("problem_counts");
        byCode.forEach((code, entry) -> assertEquals(entry.get("count"), counts.get(code), code));
        assertEquals(byCode.keySet(), counts.keySet());
        assertEquals(List.of(), d.get("absent_kinds"));
        assertEquals(Map.of("dns_domain", "cluster.local", "outbound_traffic_policy", "ALLOW_ANY",
                "outbound_traffic_policy_source", "setting"), d.get("mesh_settings"));
    }

    static List<String> names(JsonNode items) {
        List<String> out = new java.util.ArrayList<>();
        items.forEach(i -> out.add(i.path("name").asString()));
        return out;
    }
}
