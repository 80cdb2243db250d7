package io.cloudpilot.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.cloudpilot.testkit.Wait;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code deploy/kubernetes/base} as {@code kubectl kustomize} renders it: the objects pass the API server's validation
 * and admission (server-side dry run, then created for real), the Deployment's pod is created with the hardening
 * asked for, and CloudPilot in instant mode with the token of the manifests' ServiceAccount reads every endpoint
 * fully (the ClusterRole is not too narrow) while a write outside it is denied (not too wide). Scaling needs what
 * {@code overlays/scaling} adds.
 */
@Order(4)
@ExtendWith(ConformanceCluster.class)
class DeploymentManifestsTest {

    private static ControlPlane plane;
    private static KubernetesClient admin;
    private static final List<HasMetadata> applied = new ArrayList<>();
    private static String token;
    private static CloudPilotTestServer server;

    @BeforeAll
    static void apply() throws Exception {
        Kustomize.requireKubectl();
        plane = ConformanceCluster.plane();
        admin = plane.admin();
        for (HasMetadata item : base()) {
            // server-side dry run first: validation and admission, nothing stored
            Kustomize.apply(admin, item, true);
            applied.add(Kustomize.apply(admin, item, false));
        }
        // a bound token of the ServiceAccount, as the kubelet projects it into the pod (TokenRequest API)
        token = admin.serviceAccounts().inNamespace("cloudpilot").withName("cloudpilot").tokenRequest(
                new io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder().withNewSpec()
                        .withExpirationSeconds(3600L).endSpec().build()).getStatus().getToken();
        io.cloudpilot.testkit.SecretLedger.record("the cloudpilot ServiceAccount's bound token", token);

        Path dir = Files.createTempDirectory("cloudpilot-sa-");
        Path kubeconfig = plane.writeKubeconfig(dir.resolve("kubeconfig.yaml"), "in-cluster-sa", token);
        server = CloudPilotTestServer.builder().mode("instant").sandbox(false).pluginDirs(Plugins.dirs())
                .config("instant.kubeconfig", kubeconfig.toString()).start();
    }

    @AfterAll
    static void remove() throws Exception {
        if (server != null) {
            server.close();
        }
        if (admin == null) {
            return;
        }
        for (HasMetadata item : scalingOverlayAdds()) {
            admin.resource(item).delete();
        }
        for (int i = applied.size() - 1; i >= 0; i--) {
            admin.resource(applied.get(i)).delete();
        }
        Kustomize.forceDeletePods(admin, "cloudpilot");
    }

    static List<HasMetadata> base() {
        return Kustomize.items(admin, Kustomize.render("base"));
    }

    /** @return what {@code overlays/scaling} renders beyond the base: the scaler role and its binding */
    static List<HasMetadata> scalingOverlayAdds() {
        List<String> inBase = base().stream().map(DeploymentManifestsTest::id).toList();
        return Kustomize.items(admin, Kustomize.render("overlays/scaling")).stream()
                .filter(item -> !inBase.contains(id(item))).toList();
    }

    private static String id(HasMetadata item) {
        return item.getKind() + "/" + item.getMetadata().getNamespace() + "/" + item.getMetadata().getName();
    }

    @Test
    void theDeploymentsPodIsAdmittedWithTheHardeningAskedFor() {
        Wait.until("the controllers create and schedule the cloudpilot pod", Duration.ofSeconds(60),
                () -> admin.pods().inNamespace("cloudpilot").list().getItems().stream()
                        .anyMatch(p -> p.getSpec().getNodeName() != null),
                () -> admin.pods().inNamespace("cloudpilot").list().getItems());
        Pod pod = admin.pods().inNamespace("cloudpilot").list().getItems().getFirst();
        assertEquals("cloudpilot", pod.getSpec().getServiceAccountName());
        assertTrue(pod.getSpec().getSecurityContext().getRunAsNonRoot());
        var container = pod.getSpec().getContainers().getFirst();
        assertTrue(container.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(container.getSecurityContext().getAllowPrivilegeEscalation());
        assertEquals("/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals("/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        // the kubelet waits for preStop, then SIGTERM lets requests in flight finish for shutdown.grace-period (PT30S)
        long preStop = Long.parseLong(container.getLifecycle().getPreStop().getExec().getCommand().get(1));
        assertTrue(pod.getSpec().getTerminationGracePeriodSeconds() >= preStop + 30 + 5,
                "terminationGracePeriodSeconds " + pod.getSpec().getTerminationGracePeriodSeconds()
                        + " covers the preStop's " + preStop + " s and the 30 s drain");
        assertTrue(container.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/var/lib/cloudpilot")),
                "a writable data volume");
        assertTrue(pod.getSpec().getVolumes().stream().anyMatch(v -> v.getName().startsWith("cloudpilot-token")
                        || v.getName().startsWith("kube-api-access") || v.getSecret() != null),
                "the ServiceAccount admission mounted the token: " + pod.getSpec().getVolumes());
        assertEquals("cloudpilot", admin.services().inNamespace("cloudpilot").withName("cloudpilot").get().getSpec()
                .getSelector().get("app.kubernetes.io/name"));
    }

    @Test
    void everyReadEndpointWorksWithTheServiceAccountAlone() {
        for (String path : InstantModeConformanceTest.everyRead()) {
            ApiResponse r = server.client().get(path + (path.contains("?") ? "&" : "?") + "force_refresh=true");
            assertEquals(200, r.status(), "the ClusterRole is too narrow for " + path + ": " + r);
            assertThat(r.raw()).as(path).doesNotContain(token);
            List<String> refused = new ArrayList<>();
            refusals(r.data(), "data", refused);
            assertTrue(refused.isEmpty(), "the ClusterRole is too narrow for " + path + ": " + refused);
        }
        // the fields are there and empty (a missing field would look empty too)
        ApiResponse overview = server.client().get("/k8s/overview/cluster?force_refresh=true");
        assertPresentAndEmpty(overview.data(), "unavailable", "nothing refused");
        assertPresentAndEmpty(gatewayDetail().data(), "not_validated", "secrets readable");
        ApiResponse health = server.client().get("/istio/health/summary?force_refresh=true");
        assertPresentAndEmpty(health.data(), "partial", "no contributor refused");
    }

    /**
     * The control of the empty refusal fields above, and what the reader role's comment promises: without its
     * secrets rule the overview names secrets as unavailable and the Gateway's TLS checks say what they could not
     * validate. The rule is put back afterwards.
     */
    @Test
    void withoutTheSecretsRuleTheAnswersSayWhatTheyCouldNotRead() {
        var reader = admin.rbac().clusterRoles().withName("cloudpilot-reader");
        var rules = reader.get().getRules();
        assertTrue(rules.stream().anyMatch(r -> r.getResources().contains("secrets")), rules.toString());
        reader.edit(r -> new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder(r).withRules(rules.stream()
                .filter(rule -> !rule.getResources().contains("secrets")).toList()).build());
        try {
            Wait.until("the ServiceAccount may no longer read secrets", Duration.ofSeconds(20),
                    () -> overviewUnavailable().contains("secrets"), DeploymentManifestsTest::overviewUnavailable);
            assertThat(overviewUnavailable()).containsExactly("secrets");
            ApiResponse overview = server.client().get("/k8s/overview/cluster?force_refresh=true");
            assertTrue(overview.data().path("configs").path("secrets").isNull(), "not zero: " + overview.data());
            ApiResponse gateway = gatewayDetail();
            assertEquals(200, gateway.status(), gateway.toString());
            assertFalse(gateway.data().path("not_validated").isEmpty(), "the TLS checks that need the secret are "
                    + "named: " + gateway.data());
        } finally {
            reader.edit(r -> new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder(r).withRules(rules).build());
            Wait.until("the ServiceAccount reads secrets again", Duration.ofSeconds(20),
                    () -> overviewUnavailable().isEmpty(), DeploymentManifestsTest::overviewUnavailable);
        }
    }

    /** @return the kinds the overview names as unreadable (fails, so a wait retries, when it has no such list) */
    private static List<String> overviewUnavailable() {
        ApiResponse overview = server.client().get("/k8s/overview/cluster?force_refresh=true");
        tools.jackson.databind.JsonNode unavailable = overview.data().path("unavailable");
        assertTrue(overview.status() == 200 && unavailable.isArray(), overview.toString());
        List<String> names = new ArrayList<>();
        unavailable.forEach(entry -> names.add(entry.path("kind").asString()));
        return names;
    }

    private static ApiResponse gatewayDetail() {
        return server.client().get("/api/istio/gateway/detail?namespace=istio-system&gateway_name=shop-gateway"
                + "&force_refresh=true");
    }

    private static void assertPresentAndEmpty(tools.jackson.databind.JsonNode data, String field, String why) {
        tools.jackson.databind.JsonNode value = data.path(field);
        assertTrue(value.isArray() || value.isObject(), field + " is in the answer: " + data);
        assertTrue(value.isEmpty(), why + ": " + data);
    }

    @Test
    void writesOutsideTheRoleAreDenied() {
        try (KubernetesClient sa = plane.client(token)) {
            assertDenied("create a ConfigMap", () -> sa.configMaps().inNamespace("default").resource(
                    new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build()).create());
            assertDenied("delete a pod", () -> sa.pods().inNamespace("shop").withName(
                    ConformanceCluster.topology().pods("shop", "frontend").getFirst().getMetadata().getName()).delete());
            assertDenied("edit a Deployment", () -> sa.apps().deployments().inNamespace("scaling").withName("scalable")
                    .edit(d -> { d.getMetadata().getLabels().put("touched", "yes"); return d; }));
            assertDenied("read ClusterRoles", () -> sa.rbac().clusterRoles().list());
            assertDenied("watch pods", () -> sa.pods().inNamespace("shop").watch(new io.fabric8.kubernetes.client.Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod resource) {
                }

                @Override
                public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                }
            }).close());
        }
    }

    @Test
    void scalingNeedsTheOptionalRole() throws Exception {
        String body = """
                {"namespace": "scaling", "deployment_name": "scalable", "replicas": 9, "dry_run": true}""";
        ApiResponse denied = server.client().post("/k8s/resources/deployments/scaling", body);
        assertEquals(403, denied.status(), denied.toString());
        assertEquals("Forbidden", denied.errorType());
        for (HasMetadata item : scalingOverlayAdds()) {
            admin.resource(item).dryRun().create();
            admin.resource(item).create();
        }
        Wait.until("the optional role lets the service account scale", Duration.ofSeconds(20),
                () -> server.client().post("/k8s/resources/deployments/scaling", body).status() == 200,
                () -> server.client().post("/k8s/resources/deployments/scaling", body));
        try (KubernetesClient sa = plane.client(token)) {
            assertDenied("edit a Deployment's spec with the scaler role", () -> sa.apps().deployments()
                    .inNamespace("scaling").withName("scalable")
                    .edit(d -> { d.getMetadata().getLabels().put("touched", "yes"); return d; }));
        }
    }

    /** Collects every non-empty {@code unavailable}, {@code not_validated} or {@code partial}: what was refused. */
    private static void refusals(tools.jackson.databind.JsonNode node, String at, List<String> out) {
        if (node.isObject()) {
            for (var entry : node.properties()) {
                String name = entry.getKey();
                var value = entry.getValue();
                boolean refusalField = name.equals("unavailable") || name.equals("not_validated")
                        || name.equals("partial");
                if (refusalField && ((value.isObject() || value.isArray()) ? !value.isEmpty() : value.isString())) {
                    out.add(at + "." + name + "=" + value);
                }
                refusals(value, at + "." + name, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refusals(node.get(i), at + "[" + i + "]", out);
            }
        }
    }

    private static void assertDenied(String what, Runnable action) {
        try {
            action.run();
            fail("the cloudpilot ServiceAccount could " + what + ": the ClusterRole is too wide");
        } catch (KubernetesClientException e) {
            assertEquals(403, e.getCode(), what + ": " + e.getMessage());
        }
    }
}
