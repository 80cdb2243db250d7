package io.cloudpilot.plugin.istioconfig;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.cloudpilot.testkit.IstioCorpus;
import io.cloudpilot.testkit.IstioCorpus.Case;
import io.cloudpilot.testkit.IstioCorpus.Expected;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validator as a pure function, case by case from the corpus ({@code src/test/resources/istio-corpus}): every
 * case must produce exactly the findings its {@code case.yaml} expects (code, severity, object, path, and the refs
 * given), the sound configurations no error and no warning, and every code must have a case that raises it and a
 * near miss that must not.
 */
class ValidationCorpusTest {

    static final Path ROOT = Path.of("src/test/resources/istio-corpus");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final List<Case> CASES = IstioCorpus.load(ROOT);

    @TestFactory
    Stream<DynamicTest> everyCaseProducesExactlyItsExpectedFindings() {
        return CASES.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check(c)));
    }

    private static void check(Case c) {
        ConfigValidator.Result result = ConfigValidator.validate(snapshot(c),
                IstioConfigSettings.from(c.settings()).forCluster("corpus", Instant.now()));
        List<String> actual = new ArrayList<>();
        result.validations().forEach((key, list) -> list.forEach(v -> actual.add(identity(key, v))));
        List<String> expected = c.expect().stream().map(Expected::identity).toList();
        assertEquals(new TreeSet<>(expected).stream().toList(), actual.stream().sorted().toList(),
                c + ": findings differ\n" + details(result));
        assertEquals(expected.size(), actual.size(), c + ": a finding is expected or raised twice\n" + details(result));
        for (Expected e : c.expect()) {
            Validation v = find(result, e);
            Set<String> refs = v.refs().stream().map(r -> r.kind() + "/" + r.namespace() + "/" + r.name())
                    .collect(Collectors.toSet());
            assertTrue(refs.containsAll(e.refs()), c + ": " + e.identity() + " must refer to " + e.refs() + ", has "
                    + refs);
            assertFalse(v.message().isBlank(), c + ": " + e.identity() + " has no message");
            assertEquals(v.code().equivalents(), v.equivalents());
        }
    }

    @Test
    void soundConfigurationsExpectNoErrorAndNoWarning() {
        List<Case> sound = CASES.stream().filter(c -> c.category().equals("sound")).toList();
        assertTrue(sound.size() >= 10, "the sound corpus has " + sound.size() + " cases");
        for (Case c : sound) {
            assertTrue(c.expect().stream().allMatch(e -> e.severity().equals("info")), c + " expects " + c.expect());
            assertTrue(c.source() != null && c.source().startsWith("https://istio.io/"), c + " names no source");
        }
    }

    @Test
    void everyCodeHasACaseThatRaisesItAndANearMiss() {
        Set<Code> raised = EnumSet.noneOf(Code.class);
        Set<Code> missed = EnumSet.noneOf(Code.class);
        for (Case c : CASES) {
            if (c.category().equals("raise")) {
                assertFalse(c.expect().isEmpty(), c + " must raise but expects nothing");
                c.expect().forEach(e -> raised.add(code(e.code())));
            }
            if (c.category().equals("near-miss")) {
                assertFalse(c.nearMissOf().isEmpty(), c + " names no code it is a near miss of");
                for (String id : c.nearMissOf()) {
                    missed.add(code(id));
                    assertTrue(c.expect().stream().noneMatch(e -> e.code().equals(id)), c + " expects " + id);
                }
            }
        }
        assertEquals(EnumSet.allOf(Code.class), raised, "codes without a case that raises them: "
                + EnumSet.complementOf(EnumSet.copyOf(raised)));
        assertEquals(EnumSet.allOf(Code.class), missed, "codes without a near miss: "
                + EnumSet.complementOf(EnumSet.copyOf(missed)));
    }

    private static Code code(String id) {
        return Code.byId(id).orElseThrow(() -> new AssertionError("no code " + id));
    }

    private static String identity(ObjectKey key, Validation v) {
        return v.code().id() + " " + v.severity().id() + " " + key.kind() + "/" + key.namespace() + "/" + key.name()
                + " " + v.path();
    }

    private static Validation find(ConfigValidator.Result result, Expected e) {
        String[] o = e.object().split("/");
        return result.of(new ObjectKey(o[0], o[1], o[2])).stream()
                .filter(v -> v.code().id().equals(e.code()) && v.path().equals(e.path())).findFirst().orElseThrow();
    }

    private static String details(ConfigValidator.Result result) {
        StringBuilder out = new StringBuilder();
        result.validations().forEach((key, list) -> list.forEach(v -> out.append("  - {code: ").append(v.code().id())
                .append(", severity: ").append(v.severity().id()).append(", object: ").append(key.kind()).append('/')
                .append(key.namespace()).append('/').append(key.name()).append(", path: '").append(v.path())
                .append("'}  # ").append(v.message()).append(" refs ").append(v.refs()).append('\n')));
        return out.toString();
    }

    /**
     * The cluster a case describes, as {@link ConfigSnapshot#load} would read it: every namespace an object is in
     * exists (as the API server would insist), and a kind the case says is not served has no objects.
     */
    static ConfigSnapshot snapshot(Case c) {
        List<GenericKubernetesResource> gateways = new ArrayList<>();
        List<GenericKubernetesResource> virtualServices = new ArrayList<>();
        List<GenericKubernetesResource> destinationRules = new ArrayList<>();
        List<GenericKubernetesResource> serviceEntries = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<Pod> pods = new ArrayList<>();
        List<Secret> secrets = new ArrayList<>();
        Map<String, Namespace> namespaces = new java.util.TreeMap<>();
        String mesh = null;
        for (String ns : List.of("default", "kube-system")) {
            namespaces.put(ns, new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
        }
        for (Map<String, Object> o : c.objects()) {
            String kind = String.valueOf(o.get("kind"));
            switch (kind) {
                case "Gateway" -> gateways.add(convert(o, GenericKubernetesResource.class));
                case "VirtualService" -> virtualServices.add(convert(o, GenericKubernetesResource.class));
                case "DestinationRule" -> destinationRules.add(convert(o, GenericKubernetesResource.class));
                case "ServiceEntry" -> serviceEntries.add(convert(o, GenericKubernetesResource.class));
                case "Service" -> services.add(convert(o, Service.class));
                case "Pod" -> pods.add(convert(o, Pod.class));
                case "Secret" -> secrets.add(convert(o, Secret.class));
                case "Namespace" -> {
                    Namespace n = convert(o, Namespace.class);
                    namespaces.put(n.getMetadata().getName(), n);
                }
                case "ConfigMap" -> {
                    ConfigMap cm = convert(o, ConfigMap.class);
                    if (cm.getMetadata().getName().equals(ConfigSnapshot.MESH_CONFIGMAP)
                            && cm.getMetadata().getNamespace().equals(ConfigSnapshot.MESH_NAMESPACE)) {
                        mesh = cm.getData().get("mesh");
                    }
                }
                default -> throw new AssertionError(c + ": the corpus does not know kind " + kind);
            }
            Object meta = o.get("metadata");
            Object ns = meta instanceof Map<?, ?> m ? m.get("namespace") : null;
            if (ns != null) {
                namespaces.putIfAbsent(String.valueOf(ns), new NamespaceBuilder().withNewMetadata()
                        .withName(String.valueOf(ns)).endMetadata().build());
            }
        }
        for (String kind : c.absent()) {
            switch (kind) {
                case "gateways" -> gateways.clear();
                case "virtualservices" -> virtualServices.clear();
                case "destinationrules" -> destinationRules.clear();
                case "serviceentries" -> serviceEntries.clear();
                default -> throw new AssertionError(c + ": unknown absent kind " + kind);
            }
        }
        return new ConfigSnapshot("corpus", "v1", gateways, virtualServices, destinationRules, serviceEntries, services,
                pods, secrets, List.copyOf(namespaces.values()), mesh, List.of(), c.absent());
    }

    private static <T> T convert(Map<String, Object> o, Class<T> type) {
        return SERIALIZATION.unmarshal(SERIALIZATION.asJson(o), type);
    }
}
