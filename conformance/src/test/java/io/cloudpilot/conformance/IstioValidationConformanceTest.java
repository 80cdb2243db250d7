package io.cloudpilot.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.cloudpilot.testkit.IstioCorpus;
import io.cloudpilot.testkit.IstioCorpus.Case;
import io.cloudpilot.testkit.IstioCorpus.Expected;
import io.cloudpilot.testkit.Wait;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sample of the Istio validation corpus ({@code plugins/istio-config/src/test/resources/istio-corpus}) through a real
 * API server: each case's objects are created through the API (Istio kinds as CRDs served at v1, v1beta1 and
 * v1alpha3; pods with their status written through {@code pods/status}; a kind the case says is not served has its
 * CRD deleted), CloudPilot reads them back in instant mode, and the detail of every Gateway, VirtualService and
 * DestinationRule must carry exactly the findings the unit corpus expects. The cluster is emptied between cases.
 * <p>
 * It runs first, on a control plane of its own (the suite's seeded topology has its own Gateways on the same
 * ingress workload, which would conflict with the cases'), closed before the suite's control plane starts.
 */
@Order(0)
@ExtendWith(ConformanceBinaries.class)
class IstioValidationConformanceTest {

    /**
     * The cases applied: sound configurations, and ones that raise or must not raise findings; in an order that keeps
     * namespaces from one case to the next (deleting one takes the namespace controller seconds).
     */
    static final List<String> SAMPLE = List.of(
            "sound/bookinfo",
            "sound/tls-ingress-sni", "sound/wildcard-plus-specific-hosts", "sound/egress-gateway",
            "sound/egress-through-serviceentry", "raise/gateway-host-conflict-tls", "raise/gateway-certificate-expired",
            "near-miss/gateway-hosts-that-istio-merges", "sound/delegated-virtualservices",
            "sound/multi-namespace-gateways",
            "raise/virtualservice-host-conflict", "raise/virtualservice-subset-not-found",
            "raise/destinationrule-traffic-policy-ignored", "raise/destinationrule-duplicate-subset",
            "raise/serviceentries-not-served", "near-miss/virtualservice-hosts-served-by-some-binding",
            "raise/virtualservice-destination-host-not-found");
    static final List<String> KINDS = List.of("gateways", "virtualservices", "destinationrules", "serviceentries");
    static final Set<String> SYSTEM_NAMESPACES = Set.of("default", "kube-system", "kube-public", "kube-node-lease");
    static final String CONTEXT = "corpus";

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static ControlPlane plane;
    private static CloudPilotTestServer server;

    @BeforeAll
    static void start() throws Exception {
        plane = ControlPlane.start(ConformanceBinaries.required());
        Topology.installIstioCrds(plane.admin(), KINDS, List.of("v1", "v1beta1", "v1alpha3"), "v1");
        server = InstantModeConformanceTest.instantServer(plane, CONTEXT);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (plane != null) {
            plane.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> sampledCasesHaveTheirExpectedFindingsThroughTheApiServer() {
        String root = System.getProperty("cloudpilot.istio.corpus.dir");
        List<Case> all = IstioCorpus.load(Path.of(root));
        List<Case> sample = SAMPLE.stream().flatMap(name -> all.stream().filter(c -> c.toString().equals(name)))
                .toList();
        assertEquals(SAMPLE.size(), sample.size(), "every sampled case exists in " + root);
        return sample.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            empty(namespaces(c));
            apply(c);
            check(c);
        }));
    }

    // ---------------------------------------------------------------- the cluster

    private static void apply(Case c) {
        KubernetesClient admin = plane.admin();
        for (String kind : c.absent()) {
            admin.apiextensions().v1().customResourceDefinitions().withName(kind + ".networking.istio.io").delete();
            Wait.until("CRD " + kind + " is gone", Duration.ofSeconds(30), () -> admin.apiextensions().v1()
                    .customResourceDefinitions().withName(kind + ".networking.istio.io").get() == null, () -> kind);
        }
        Set<String> namespaces = namespaces(c);
        for (Map<String, Object> o : c.objects()) {
            if ("Namespace".equals(o.get("kind"))) {
                admin.resource(SERIALIZATION.unmarshal(SERIALIZATION.asJson(o), Namespace.class)).createOr(x -> x.update());
            }
        }
        for (String ns : namespaces) {
            if (admin.namespaces().withName(ns).get() == null) {
                admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
                        .withName(ns).endMetadata().build()).create();
            }
        }
        Topology.waitForServiceAccounts(plane, namespaces.toArray(String[]::new));
        for (Map<String, Object> o : c.objects()) {
            String kind = String.valueOf(o.get("kind"));
            switch (kind) {
                case "Namespace" -> { }
                case "Gateway", "VirtualService", "DestinationRule", "ServiceEntry" -> {
                    GenericKubernetesResource r = SERIALIZATION.unmarshal(SERIALIZATION.asJson(o),
                            GenericKubernetesResource.class);
                    r.getMetadata().setCreationTimestamp(null);
                    admin.genericKubernetesResources(Topology.istioContext(plural(kind), "v1"))
                            .inNamespace(r.getMetadata().getNamespace()).resource(r).create();
                }
                case "Pod" -> {
                    Pod p = SERIALIZATION.unmarshal(SERIALIZATION.asJson(o), Pod.class);
                    var status = p.getStatus();
                    p.setStatus(null);
                    admin.pods().inNamespace(p.getMetadata().getNamespace()).resource(p).create();
                    if (status != null) {
                        writeStatus(admin, p, status);
                    }
                }
                default -> {
                    HasMetadata r = SERIALIZATION.unmarshal(SERIALIZATION.asJson(o), HasMetadata.class);
                    admin.resource(r).create();
                }
            }
        }
    }

    /** As a kubelet would: the scheduler updates the pod's conditions meanwhile, so a conflict is retried. */
    private static void writeStatus(KubernetesClient admin, Pod p, io.fabric8.kubernetes.api.model.PodStatus status) {
        var pod = admin.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName());
        Wait.retryingConflicts("status of pod " + p.getMetadata().getName(), () -> pod.editStatus(x -> {
            x.setStatus(status);
            return x;
        }));
    }

    private static Set<String> namespaces(Case c) {
        Set<String> namespaces = new LinkedHashSet<>();
        for (Map<String, Object> o : c.objects()) {
            String ns = namespaceOf(o);
            if (ns != null) {
                namespaces.add(ns);
            }
        }
        return namespaces;
    }

    /**
     * Deletes what the last case created, so that the cluster holds nothing but the next case's namespaces: every
     * Istio object; every namespace but Kubernetes' own and the next case's (waiting until it is gone); in default and
     * the ones kept, pods, Services, Secrets and ConfigMaps (not Kubernetes' own). Puts back a CRD a case deleted.
     */
    private static void empty(Set<String> next) {
        KubernetesClient admin = plane.admin();
        List<String> missing = KINDS.stream().filter(k -> admin.apiextensions().v1().customResourceDefinitions()
                .withName(k + ".networking.istio.io").get() == null).toList();
        if (!missing.isEmpty()) {
            Topology.installIstioCrds(admin, missing, List.of("v1", "v1beta1", "v1alpha3"), "v1");
        }
        for (String kind : KINDS) {
            var op = admin.genericKubernetesResources(Topology.istioContext(kind, "v1"));
            op.inAnyNamespace().list().getItems().forEach(r -> op.inNamespace(r.getMetadata().getNamespace())
                    .withName(r.getMetadata().getName()).delete());
        }
        List<String> gone = new ArrayList<>();
        for (Namespace ns : admin.namespaces().list().getItems()) {
            String name = ns.getMetadata().getName();
            if (SYSTEM_NAMESPACES.contains(name) && !name.equals("default")) {
                continue;
            }
            admin.pods().inNamespace(name).withGracePeriod(0).delete();
            if (name.equals("default") || next.contains(name)) {
                admin.secrets().inNamespace(name).list().getItems().stream()
                        .filter(s -> !"kubernetes.io/service-account-token".equals(s.getType()))
                        .forEach(s -> admin.secrets().inNamespace(name).withName(s.getMetadata().getName()).delete());
                admin.services().inNamespace(name).list().getItems().stream()
                        .filter(s -> !s.getMetadata().getName().equals("kubernetes"))
                        .forEach(s -> admin.services().inNamespace(name).withName(s.getMetadata().getName()).delete());
                admin.configMaps().inNamespace(name).list().getItems().stream()
                        .filter(m -> !m.getMetadata().getName().equals("kube-root-ca.crt"))
                        .forEach(m -> admin.configMaps().inNamespace(name).withName(m.getMetadata().getName()).delete());
            } else {
                admin.namespaces().withName(name).delete();
                gone.add(name);
            }
        }
        Wait.until("namespaces " + gone + " are deleted", Duration.ofMinutes(2),
                () -> gone.stream().allMatch(n -> admin.namespaces().withName(n).get() == null), () -> gone);
    }

    // ---------------------------------------------------------------- the findings

    private static void check(Case c) {
        Set<String> actual = new HashSet<>();
        List<JsonNode> validations = new ArrayList<>();
        boolean first = true;
        for (Map<String, Object> o : c.objects()) {
            String kind = String.valueOf(o.get("kind"));
            if (!List.of("Gateway", "VirtualService", "DestinationRule").contains(kind)) {
                continue;
            }
            String ns = namespaceOf(o);
            String name = String.valueOf(((Map<?, ?>) o.get("metadata")).get("name"));
            String path = kind.toLowerCase(java.util.Locale.ROOT);
            // the first read refreshes the cached snapshot; the others are answered from it
            ApiResponse r = server.client().get("/api/istio/" + path + "/detail?namespace=" + ns + "&" + path + "_name="
                    + name + (first ? "&force_refresh=true" : ""));
            first = false;
            assertEquals(200, r.status(), c + ": " + r);
            assertEquals(c.absent(), strings(r.data().path("absent_kinds")), c + ": absent kinds");
            for (JsonNode v : r.data().path("validations")) {
                actual.add(v.path("code").asString() + " " + v.path("severity").asString() + " " + kind + "/" + ns + "/"
                        + name + " " + v.path("path").asString());
                validations.add(v);
            }
        }
        Set<String> expected = new HashSet<>();
        c.expect().forEach(e -> expected.add(e.identity()));
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(actual), c + ": " + validations);
        for (Expected e : c.expect()) {
            for (String ref : e.refs()) {
                assertTrue(validations.stream().anyMatch(v -> v.path("code").asString().equals(e.code())
                                && v.path("path").asString().equals(e.path()) && refers(v, ref)),
                        c + ": " + e.identity() + " must refer to " + ref + " in " + validations);
            }
        }
    }

    private static boolean refers(JsonNode v, String ref) {
        for (JsonNode r : v.path("refs")) {
            String id = r.path("kind").asString() + "/" + (r.path("namespace").isNull() ? "null"
                    : r.path("namespace").asString()) + "/" + r.path("name").asString();
            if (id.equals(ref)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    private static String namespaceOf(Map<String, Object> o) {
        Object ns = o.get("metadata") instanceof Map<?, ?> m ? m.get("namespace") : null;
        return ns == null ? null : String.valueOf(ns);
    }

    private static String plural(String kind) {
        return switch (kind) {
            case "Gateway" -> "gateways";
            case "VirtualService" -> "virtualservices";
            case "DestinationRule" -> "destinationrules";
            default -> "serviceentries";
        };
    }
}
