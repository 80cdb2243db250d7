package io.cloudpilot.conformance;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.cloudpilot.testkit.Wait;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kustomization of {@code deploy/kubernetes} (the base and each overlay) renders with {@code kubectl kustomize}
 * and is accepted by the real API server ({@code kubectl apply --dry-run=server}: validation, defaulting and
 * admission, nothing stored), and says what its name promises.
 */
@Order(5)
@ExtendWith(ConformanceCluster.class)
class KustomizeOverlaysTest {

    private static final String NAMESPACE = "cloudpilot";
    private static KubernetesClient admin;
    private static Path kubeconfig;
    private static boolean createdNamespace;
    private static CustomResourceDefinition serviceMonitors;

    @BeforeAll
    static void prepare() throws Exception {
        Kustomize.requireKubectl();
        ControlPlane plane = ConformanceCluster.plane();
        admin = plane.admin();
        kubeconfig = plane.writeKubeconfig(Files.createTempDirectory("cloudpilot-kustomize-").resolve("admin.yaml"),
                "conformance", plane.adminToken());
        // a server-side dry run stores nothing, so the namespace the objects go to must exist already
        Wait.until("an earlier test's namespace cloudpilot is deleted", Duration.ofSeconds(90),
                () -> admin.namespaces().withName(NAMESPACE).get() == null
                        || admin.namespaces().withName(NAMESPACE).get().getStatus().getPhase().equals("Active"),
                () -> admin.namespaces().withName(NAMESPACE).get());
        if (admin.namespaces().withName(NAMESPACE).get() == null) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                    .build()).create();
            createdNamespace = true;
        }
        // the Prometheus Operator's CRD, for components/service-monitor
        try (InputStream in = KustomizeOverlaysTest.class.getResourceAsStream("/servicemonitor-crd.yaml")) {
            serviceMonitors = admin.apiextensions().v1().customResourceDefinitions().load(in).item();
        }
        admin.resource(serviceMonitors).create();
        Wait.until("the ServiceMonitor CRD is established", Duration.ofSeconds(30),
                () -> admin.apiextensions().v1().customResourceDefinitions().withName(
                        serviceMonitors.getMetadata().getName()).get().getStatus().getConditions().stream()
                        .anyMatch(c -> c.getType().equals("Established") && c.getStatus().equals("True")),
                () -> admin.apiextensions().v1().customResourceDefinitions().withName(
                        serviceMonitors.getMetadata().getName()).get().getStatus());
    }

    @AfterAll
    static void cleanUp() {
        if (admin == null) {
            return;
        }
        if (serviceMonitors != null) {
            admin.resource(serviceMonitors).delete();
        }
        if (createdNamespace) {
            admin.namespaces().withName(NAMESPACE).delete();
        }
    }

    /** @return base and every directory under overlays/ */
    static List<String> kustomizations() throws IOException {
        List<String> dirs = new ArrayList<>(List.of("base"));
        try (Stream<Path> overlays = Files.list(Kustomize.deployDir().resolve("overlays"))) {
            overlays.filter(Files::isDirectory).sorted()
                    .forEach(d -> dirs.add("overlays/" + d.getFileName()));
        }
        return dirs;
    }

    @Test
    void everyKustomizationIsAcceptedByTheApiServer() throws IOException {
        List<String> dirs = kustomizations();
        assertTrue(dirs.containsAll(List.of("base", "overlays/scaling", "overlays/server", "overlays/network-policy",
                "overlays/service-monitor", "overlays/scrape-annotations")), dirs.toString());
        for (String dir : dirs) {
            String yaml = forThisApiServer(Kustomize.render(dir));
            int objects = Kustomize.items(admin, yaml).size();
            Command result = Kustomize.dryRunApply(kubeconfig, yaml);
            assertEquals(0, result.exitCode(),
                    dir + " was refused by the API server:\n" + result.stderr() + result.stdout());
            long accepted = result.stdout().lines().filter(l -> l.contains("(server dry run)")).count();
            assertEquals(objects, accepted, dir + ": every object accepted:\n" + result.stdout());
        }
        assertTrue(admin.apps().deployments().inNamespace(NAMESPACE).list().getItems().isEmpty(),
                "a dry run stores nothing");
    }

    @Test
    void theBaseIsInstantModeWithKubernetesSignInOnTheImageOfThisVersion() {
        Container c = container(items("base"));
        assertEquals(List.of("--mode", "instant", "--host", "0.0.0.0", "--port", "8000", "--data-dir",
                "/var/lib/cloudpilot"), c.getArgs());
        assertEquals("kubernetes", env(c, "CLOUDPILOT_AUTH_MODE").getValue());
        assertEquals("localhost/cloudpilot:" + System.getProperty("cloudpilot.version"), c.getImage(),
                "kustomization.yaml's newTag follows the project's version");
        Map<String, ClusterRole> roles = new java.util.TreeMap<>();
        items("base").stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast)
                .forEach(r -> roles.put(r.getMetadata().getName(), r));
        assertEquals(List.of("cloudpilot-reader", "cloudpilot-sign-in"), List.copyOf(roles.keySet()));
        assertTrue(roles.get("cloudpilot-reader").getRules().stream().allMatch(r -> r.getVerbs().equals(
                List.of("get", "list")) || r.getVerbs().equals(List.of("get"))), "reads only");
        assertEquals(List.of("authentication.k8s.io tokenreviews [create]",
                        "authorization.k8s.io subjectaccessreviews [create]"),
                roles.get("cloudpilot-sign-in").getRules().stream().map(r -> String.join(",", r.getApiGroups()) + " "
                        + String.join(",", r.getResources()) + " " + r.getVerbs()).toList(),
                "sign-in: create on the two reviews, nothing more");
    }

    @Test
    void scalingAddsPatchOnDeploymentsScaleOnly() {
        List<HasMetadata> base = items("base");
        List<ClusterRole> added = items("overlays/scaling").stream().filter(i -> i instanceof ClusterRole)
                .map(ClusterRole.class::cast)
                .filter(r -> base.stream().noneMatch(b -> b.getMetadata().getName().equals(r.getMetadata().getName())))
                .toList();
        assertEquals(1, added.size(), added.toString());
        var rule = added.getFirst().getRules();
        assertEquals(1, rule.size());
        assertEquals(List.of("deployments/scale"), rule.getFirst().getResources());
        assertEquals(List.of("patch"), rule.getFirst().getVerbs());
    }

    @Test
    void serverRunsTwoReplicasOnPostgresWithCredentialsFromSecretsAndABudget() {
        List<HasMetadata> server = items("overlays/server");
        Deployment deployment = one(server, Deployment.class);
        assertEquals(2, deployment.getSpec().getReplicas());
        assertEquals(0, deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal(),
                "a rolling restart never has fewer ready replicas");
        Container c = container(server);
        assertEquals(List.of("--mode", "server"), c.getArgs().subList(0, 2));
        for (String[] secret : new String[][] {{"DB_URL", "cloudpilot-db", "url"},
                {"DB_PASSWORD", "cloudpilot-db", "password"}, {"CLOUDPILOT_SECRET_KEY", "cloudpilot-secret-key", "key"},
                {"CLOUDPILOT_AUTH_TOKENS_0_HASH", "cloudpilot-api-tokens", "admin-sha256"}}) {
            var ref = env(c, secret[0]).getValueFrom().getSecretKeyRef();
            assertEquals(secret[1], ref.getName(), secret[0]);
            assertEquals(secret[2], ref.getKey(), secret[0]);
        }
        GenericKubernetesResource budget = server.stream().filter(i -> i.getKind().equals("PodDisruptionBudget"))
                .map(i -> admin.getKubernetesSerialization().convertValue(i, GenericKubernetesResource.class))
                .findFirst().orElseThrow(() -> new AssertionError("no PodDisruptionBudget: " + server));
        assertEquals(1, (Integer) budget.get("spec", "minAvailable"));
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), budget.get("spec", "selector", "matchLabels"));
        assertTrue(server.stream().noneMatch(i -> i instanceof ClusterRole || i.getKind().equals("ClusterRoleBinding")),
                "server mode reads registered clusters with their own credentials: no cluster role");
        assertFalse(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken());
    }

    @Test
    void networkPolicyAdmitsPort8000ToTheCloudPilotPodsOnly() {
        List<HasMetadata> rendered = items("overlays/network-policy");
        NetworkPolicy policy = one(rendered, NetworkPolicy.class);
        Deployment deployment = one(rendered, Deployment.class);
        assertEquals(deployment.getSpec().getTemplate().getMetadata().getLabels(),
                policy.getSpec().getPodSelector().getMatchLabels());
        assertEquals(List.of("Ingress", "Egress"), policy.getSpec().getPolicyTypes());
        assertTrue(policy.getSpec().getIngress().stream().flatMap(r -> r.getPorts().stream())
                .allMatch(p -> p.getPort().getIntVal() == 8000), policy.getSpec().getIngress().toString());
    }

    @Test
    void monitoringScrapesTheServicesHttpPortWithARoleForMetrics() {
        List<HasMetadata> rendered = items("overlays/service-monitor");
        Service service = one(rendered, Service.class);
        GenericKubernetesResource monitor = rendered.stream().filter(i -> i.getKind().equals("ServiceMonitor"))
                .map(i -> admin.getKubernetesSerialization().convertValue(i, GenericKubernetesResource.class))
                .findFirst().orElseThrow();
        assertEquals(service.getMetadata().getLabels(), monitor.get("spec", "selector", "matchLabels"));
        String port = monitor.get("spec", "endpoints", 0, "port");
        assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(port)), port);
        assertEquals("/metrics", monitor.get("spec", "endpoints", 0, "path"));
        for (String dir : List.of("overlays/service-monitor", "overlays/scrape-annotations")) {
            ClusterRole metrics = items(dir).stream().filter(i -> i instanceof ClusterRole
                    && i.getMetadata().getName().equals("cloudpilot-metrics-reader")).map(ClusterRole.class::cast)
                    .findFirst().orElseThrow(() -> new AssertionError(dir + " grants get /metrics"));
            assertEquals(List.of("/metrics"), metrics.getRules().getFirst().getNonResourceURLs());
        }
        Map<String, String> annotations = one(items("overlays/scrape-annotations"), Deployment.class).getSpec()
                .getTemplate().getMetadata().getAnnotations();
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals(String.valueOf(container(items("base")).getPorts().getFirst().getContainerPort()),
                annotations.get("prometheus.io/port"));
    }

    /**
     * The manifests ship {@code policy/v1} PodDisruptionBudgets (Kubernetes 1.21+, the only version from 1.25 on);
     * an older control plane (the suite's 1.20) serves the same fields as {@code policy/v1beta1}.
     */
    private static String forThisApiServer(String yaml) {
        if (ConformanceCluster.plane().minorVersion() >= 21) {
            return yaml;
        }
        return yaml.replace("apiVersion: policy/v1\nkind: PodDisruptionBudget",
                "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget");
    }

    private static List<HasMetadata> items(String dir) {
        return Kustomize.items(admin, Kustomize.render(dir));
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> items, Class<T> type) {
        List<T> found = items.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), "one " + type.getSimpleName() + " in " + items);
        return found.getFirst();
    }

    private static Container container(List<HasMetadata> items) {
        return one(items, Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static EnvVar env(Container c, String name) {
        Optional<EnvVar> found = c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst();
        assertNotNull(found.orElse(null), name + " in " + c.getEnv());
        return found.get();
    }
}
