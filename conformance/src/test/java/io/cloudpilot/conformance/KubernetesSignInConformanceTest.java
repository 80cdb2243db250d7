package io.cloudpilot.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.cloudpilot.testkit.SecretLedger;
import io.cloudpilot.testkit.Wait;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cloudpilot.auth.mode=kubernetes} in instant mode against the real API server: callers present
 * ServiceAccount tokens from the TokenRequest API, CloudPilot reviews them (TokenReview) and asks the cluster's RBAC
 * what they may do (SubjectAccessReview), while it reads with its own ServiceAccount. Every expected decision comes
 * from RBAC objects this test creates; every expected value from the API server.
 */
@Order(4)
@ExtendWith(ConformanceCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubernetesSignInConformanceTest {

    static final String NS = "signin";
    static final String APP = "signin-app";

    private static ControlPlane plane;
    private static KubernetesClient admin;
    private static TcpRelay relay;
    private static CloudPilotTestServer server;
    private static Path dir;
    private static String viewer;
    private static String scaler;
    private static String auditor;
    private static String scraper;
    private static final String API_TOKEN = "cpt_" + random();

    @BeforeAll
    static void start() throws Exception {
        plane = ConformanceCluster.plane();
        admin = plane.admin();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
                .create();
        admin.apps().deployments().inNamespace(NS).resource(new DeploymentBuilder()
                .withNewMetadata().withName(APP).endMetadata()
                .withNewSpec().withReplicas(1)
                .withNewSelector().addToMatchLabels("app", APP).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", APP).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("registry.example/app:1").endContainer()
                .endSpec().endTemplate().endSpec().build()).create();

        // CloudPilot's own account: what it reads and scaling; the two reviews through the built-in
        // system:auth-delegator, as security.md says
        clusterRole("signin-cloudpilot", List.of(
                rule("", List.of("nodes", "pods", "services", "endpoints", "events", "namespaces", "configmaps",
                        "secrets"), "get", "list"),
                rule("", List.of("pods/log"), "get"),
                rule("apps", List.of("deployments", "replicasets"), "get", "list"),
                rule("apps", List.of("deployments/scale"), "patch"),
                rule("networking.istio.io", List.of("gateways", "virtualservices", "destinationrules",
                        "serviceentries"), "get", "list")));
        String cloudpilot = serviceAccountToken("cloudpilot", "signin-cloudpilot");
        authDelegator("cloudpilot");

        // callers: a viewer of namespace shop only, a scaler of namespace signin, an auditor, a metrics scraper
        serviceAccount("viewer");
        roleBinding("shop", "viewer", "ClusterRole", "view");
        viewer = token("viewer");
        serviceAccount("scaler");
        admin.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName("scaler")
                .endMetadata().withRules(rule("apps", List.of("deployments/scale"), "patch")).build()).create();
        roleBinding(NS, "scaler", "Role", "scaler");
        scaler = token("scaler");
        clusterRole("signin-auditor", List.of(rule("cloudpilot.io", List.of("auditentries"), "list")));
        auditor = serviceAccountToken("auditor", "signin-auditor");
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName("signin-scraper")
                .endMetadata().addNewRule().withNonResourceURLs("/metrics").withVerbs("get").endRule().build())
                .create();
        scraper = serviceAccountToken("scraper", "signin-scraper");

        relay = new TcpRelay(plane.port());
        dir = Files.createTempDirectory("cloudpilot-signin-");
        server = start(kubeconfig(relay.url(), cloudpilot));
    }

    private static CloudPilotTestServer start(Path kubeconfig) {
        return CloudPilotTestServer.builder().mode("instant").sandbox(false).pluginDirs(Plugins.dirs())
                .config("instant.kubeconfig", kubeconfig.toString())
                .config("cloudpilot.auth.mode", "kubernetes")
                // a configured API token next to Kubernetes sign-in; named like a ServiceAccount on purpose
                .token("scaler", "viewer", API_TOKEN)
                .start();
    }

    private static Path kubeconfig(String url, String token) throws Exception {
        Path file = plane.writeKubeconfig(dir.resolve("kubeconfig-" + random() + ".yaml"), "in-cluster", token);
        Files.writeString(file, Files.readString(file).replace(plane.url(), url));
        return file;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (admin != null) {
            admin.namespaces().withName(NS).delete();
            admin.rbac().roleBindings().inNamespace("shop").withName("signin-viewer").delete();
            for (String binding : List.of("signin-cloudpilot-server", "signin-auth-delegator-cloudpilot",
                    "signin-auth-delegator-cloudpilot-server")) {
                admin.rbac().clusterRoleBindings().withName(binding).delete();
            }
            for (String role : List.of("signin-cloudpilot", "signin-auditor", "signin-scraper", "signin-reviewless",
                    "signin-registrar")) {
                admin.rbac().clusterRoleBindings().withName(role).delete();
                admin.rbac().clusterRoles().withName(role).delete();
            }
        }
    }

    private ApiClient as(String token) {
        return server.client().withToken(token);
    }

    @Test
    @Order(1)
    void withoutATokenEveryEndpointIs401ButTheProbes() {
        ApiResponse pods = server.client().get("/k8s/resources/pods/list?namespace=shop");
        assertEquals(401, pods.status(), pods.toString());
        assertEquals("Unauthenticated", pods.errorType());
        assertEquals("Bearer realm=\"cloudpilot\"", pods.header("WWW-Authenticate").orElseThrow());
        assertEquals(200, server.client().get("/health/live").status(), "the probes stay open");
    }

    @Test
    @Order(2)
    void aViewerOfOneNamespaceReadsItsPodsAsTheApiServerHasThem() {
        ApiResponse r = as(viewer).get("/k8s/resources/pods/list?namespace=shop&page_size=1000");
        assertEquals(200, r.status(), r.toString());
        List<String> expected = admin.pods().inNamespace("shop").list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
        List<String> shown = r.data().path("pods").valueStream().map(p -> p.path("name").asString()).sorted().toList();
        assertEquals(expected, shown);
        assertFalse(expected.isEmpty());
        // view includes pods/log: the logs of those pods, not of others
        assertEquals(200, as(viewer).get("/k8s/resources/logs/pod?namespace=shop&pod_name=" + expected.getFirst())
                .status());
        String payments = admin.pods().inNamespace("payments").list().getItems().getFirst().getMetadata().getName();
        ApiResponse logs = as(viewer).get("/k8s/resources/logs/pod?namespace=payments&pod_name=" + payments);
        assertEquals(403, logs.status(), logs.toString());
        assertTrue(logs.message().contains("may not get pods/log '" + payments + "' in namespace 'payments'"),
                logs.message());
    }

    @Test
    @Order(3)
    void theViewerIsRefusedWhatItsRbacDoesNotAllowWithThePermissionNamed() {
        ApiResponse other = as(viewer).get("/k8s/resources/pods/list?namespace=payments");
        assertEquals(403, other.status(), other.toString());
        assertEquals("Forbidden", other.errorType());
        assertTrue(other.message().contains("Kubernetes user 'system:serviceaccount:signin:viewer' may not list pods "
                + "in namespace 'payments'"), other.message());
        assertThat(other.message()).as(other.message()).contains("kubectl auth can-i list pods -n payments");

        ApiResponse everywhere = as(viewer).get("/k8s/resources/pods/list");
        assertEquals(403, everywhere.status(), everywhere.toString());
        assertThat(everywhere.message()).as(everywhere.message()).contains("list pods cluster-wide");

        ApiResponse scale = as(viewer).post("/k8s/resources/deployments/scaling", """
                {"namespace": "signin", "deployment_name": "signin-app", "replicas": 3}""");
        assertEquals(403, scale.status(), scale.toString());
        assertTrue(scale.message().contains("patch deployments.apps/scale 'signin-app' in namespace 'signin'"),
                scale.message());
        assertEquals(1, admin.apps().deployments().inNamespace(NS).withName(APP).get().getSpec().getReplicas());

        ApiResponse metrics = as(viewer).get("/metrics");
        assertEquals(403, metrics.status(), metrics.toString());
        assertThat(metrics.message()).as(metrics.message()).contains("get the non-resource URL /metrics");
        for (String spelled : List.of("//metrics", "/x/../metrics", "/metrics/", "/./metrics", "/%6Detrics")) {
            ApiResponse r = as(viewer).get(spelled);
            assertEquals(403, r.status(), spelled + " is /metrics too: " + r);
        }
        ApiResponse audit = as(viewer).get("/audit");
        assertEquals(403, audit.status(), audit.toString());
        assertThat(audit.message()).as(audit.message()).contains("list auditentries.cloudpilot.io cluster-wide");
    }

    @Test
    @Order(4)
    void aCallerAllowedToPatchTheScaleSubresourceScales() {
        ApiResponse r = as(scaler).post("/k8s/resources/deployments/scaling", """
                {"namespace": "signin", "deployment_name": "signin-app", "replicas": 2}""");
        assertEquals(200, r.status(), r.toString());
        assertEquals(1, r.data().path("previous_replicas").asInt());
        assertEquals(2, admin.apps().deployments().inNamespace(NS).withName(APP).get().getSpec().getReplicas());
        // the same caller may not name another namespace, in the body the endpoint reads
        ApiResponse elsewhere = as(scaler).post("/k8s/resources/deployments/scaling", """
                {"namespace": "scaling", "deployment_name": "scalable", "replicas": 5, "dry_run": true}""");
        assertEquals(403, elsewhere.status(), elsewhere.toString());
        // nor read what it was not granted
        assertEquals(403, as(scaler).get("/k8s/resources/pods/list?namespace=signin").status());
    }

    @Test
    @Order(5)
    void anInvalidTokenIs401() {
        for (String bad : List.of(random(), viewer.substring(0, viewer.length() - 4) + "AAAA", "x".repeat(9000))) {
            ApiResponse r = as(bad).get("/k8s/resources/pods/list?namespace=shop");
            assertEquals(401, r.status(), r.toString());
            assertEquals("Unauthenticated", r.errorType());
            assertThat(r.message()).as(r.message()).contains("the Kubernetes API server did not authenticate it");
        }
    }

    @Test
    @Order(6)
    void anExpiredTokenIs401AndTheSameTokenUnexpiredIsAccepted() throws Exception {
        ServiceAccount sa = admin.serviceAccounts().inNamespace(NS).withName("viewer").get();
        Instant now = Instant.now();
        String expired = plane.signServiceAccountToken(NS, "viewer", sa.getMetadata().getUid(),
                now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)));
        String current = plane.signServiceAccountToken(NS, "viewer", sa.getMetadata().getUid(),
                now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1)));
        SecretLedger.record("expired viewer token", expired);
        SecretLedger.record("self-signed viewer token", current);
        ApiResponse r = as(expired).get("/k8s/resources/pods/list?namespace=shop");
        assertEquals(401, r.status(), r.toString());
        assertEquals(200, as(current).get("/k8s/resources/pods/list?namespace=shop").status(),
                "the token differs only in its times");
    }

    @Test
    @Order(7)
    void theAuditLogNamesTheKubernetesUserAndTellsItFromAnApiToken() {
        ApiResponse denied = server.client().withToken(API_TOKEN).post("/k8s/resources/deployments/scaling", """
                {"namespace": "signin", "deployment_name": "signin-app", "replicas": 4}""");
        assertEquals(403, denied.status(), denied.toString());
        assertThat(denied.message()).as(denied.message()).contains("role 'viewer' of caller 'token:scaler'");
        assertEquals(200, server.client().withToken(API_TOKEN).get("/k8s/resources/pods/list?namespace=payments")
                .status(), "an API token keeps its role in kubernetes mode");

        ApiResponse sa = as(auditor).get("/audit?principal=kubernetes%3Asystem%3Aserviceaccount%3Asignin%3Ascaler");
        assertEquals(200, sa.status(), sa.toString());
        JsonNode scaled = sa.data().path("entries").valueStream()
                .filter(e -> e.path("action").asString().equals("deployments.scale")
                        && e.path("result").asString().equals("ok"))
                .findFirst().orElseThrow(() -> new AssertionError("no scaling entry: " + sa));
        assertEquals(NS, scaled.path("namespace").asString());
        assertEquals("Deployment/" + APP, scaled.path("object").asString());
        assertTrue(scaled.path("role").isNull(), "RBAC decided, not a CloudPilot role: " + scaled);

        ApiResponse token = as(auditor).get("/audit?principal=token%3Ascaler");
        assertEquals(200, token.status(), token.toString());
        JsonNode tokenEntry = token.data().path("entries").get(0);
        assertEquals("viewer", tokenEntry.path("role").asString(), token.toString());
        assertEquals("denied", tokenEntry.path("result").asString());

        ApiResponse viewerDenied = as(auditor).get("/audit?principal=kubernetes%3Asystem%3Aserviceaccount%3Asignin%3Aviewer"
                + "&result=denied");
        assertTrue(viewerDenied.data().path("count").asInt() >= 1, viewerDenied.toString());
    }

    @Test
    @Order(8)
    void aScraperWithTheMetricsUrlReadsMetrics() {
        ApiResponse r = as(scraper).get("/metrics");
        assertEquals(200, r.status(), r.toString());
    }

    @Test
    @Order(9)
    void whenTheApiServerCannotBeReachedANewTokenIs503NeverAllowed() throws Exception {
        String fresh = token("viewer");
        relay.cut();
        try {
            ApiResponse r = as(fresh).get("/k8s/resources/pods/list?namespace=shop");
            assertEquals(503, r.status(), r.toString());
            assertEquals("ClusterUnavailable", r.errorType(), r.toString());
            assertThat(r.message()).as(r.message()).contains("TokenReview");
        } finally {
            relay.restore();
        }
        Wait.until("the review works again", Duration.ofSeconds(30),
                () -> as(fresh).get("/k8s/resources/pods/list?namespace=shop").status() == 200,
                () -> as(fresh).get("/k8s/resources/pods/list?namespace=shop"));
    }

    @Test
    @Order(10)
    void whenCloudPilotMayNotCreateReviewsCallersGet503() throws Exception {
        clusterRole("signin-reviewless", List.of(rule("", List.of("pods"), "get", "list")));
        String reviewless = serviceAccountToken("reviewless", "signin-reviewless");
        server.close();
        server = null;
        server = start(kubeconfig(plane.url(), reviewless));
        ApiResponse r = as(viewer).get("/k8s/resources/pods/list?namespace=shop");
        assertEquals(503, r.status(), r.toString());
        assertEquals("ClusterUnavailable", r.errorType());
        assertThat(r.message()).as(r.message()).contains("needs 'create' on tokenreviews");
    }

    @Test
    @Order(11)
    void serverModeReviewsAtTheConfiguredIdentityCluster() throws Exception {
        clusterRole("signin-registrar", List.of(rule("cloudpilot.io", List.of("clusters"), "list")));
        String registrar = serviceAccountToken("registrar", "signin-registrar");
        server.close();
        server = null;
        server = CloudPilotTestServer.builder().mode("server").sandbox(false).pluginDirs(Plugins.dirs())
                .config("cloudpilot.auth.mode", "kubernetes")
                .config("cloudpilot.auth.kubernetes.cluster", "identity")
                .start();
        ApiResponse unregistered = as(viewer).get("/k8s/resources/pods/list?cluster_name=identity&namespace=shop");
        assertEquals(503, unregistered.status(), unregistered.toString());
        assertTrue(unregistered.message().contains("No cluster named 'identity' is registered"),
                unregistered.message());

        String identity = serviceAccountToken("cloudpilot-server", "signin-cloudpilot-server", "signin-cloudpilot");
        authDelegator("cloudpilot-server");
        server.registerCluster("identity", kubeconfig(plane.url(), identity));
        ApiResponse pods = as(viewer).get("/k8s/resources/pods/list?cluster_name=identity&namespace=shop");
        assertEquals(200, pods.status(), pods.toString());
        assertEquals(admin.pods().inNamespace("shop").list().getItems().size(), pods.data().path("total").asInt());
        assertEquals(403, as(viewer).get("/k8s/resources/pods/list?cluster_name=identity&namespace=payments")
                .status());

        ApiResponse list = as(viewer).get("/k8s/cluster/list");
        assertEquals(403, list.status(), list.toString());
        assertThat(list.message()).as(list.message()).contains("list clusters.cloudpilot.io cluster-wide");
        ApiResponse allowed = as(registrar).get("/k8s/cluster/list");
        assertEquals(200, allowed.status(), allowed.toString());
        assertEquals("identity", allowed.data().path("clusters").get(0).path("name").asString());
        ApiResponse add = as(registrar).post("/k8s/cluster/add",
                "{\"name\": \"other\", \"api_server\": \"https://127.0.0.1:1\", \"token\": \"x\", \"verify\": false}");
        assertEquals(403, add.status(), add.toString());
        assertThat(add.message()).as(add.message()).contains("create clusters.cloudpilot.io 'other' cluster-wide");
    }

    // --- RBAC fixtures ---

    private static void serviceAccount(String name) {
        admin.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(name)
                .endMetadata().build()).create();
    }

    private static String token(String serviceAccount) {
        String token = admin.serviceAccounts().inNamespace(NS).withName(serviceAccount).tokenRequest(
                new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        SecretLedger.record("token of " + NS + "/" + serviceAccount, token);
        return token;
    }

    private static String serviceAccountToken(String name, String clusterRole) {
        return serviceAccountToken(name, clusterRole, clusterRole);
    }

    private static String serviceAccountToken(String name, String binding, String clusterRole) {
        serviceAccount(name);
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(binding).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", clusterRole)
                .addNewSubject().withKind("ServiceAccount").withName(name).withNamespace(NS).endSubject()
                .build()).create();
        return token(name);
    }

    private static void authDelegator(String serviceAccount) {
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName("signin-auth-delegator-" + serviceAccount).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "system:auth-delegator")
                .addNewSubject().withKind("ServiceAccount").withName(serviceAccount).withNamespace(NS).endSubject()
                .build()).create();
    }

    private static void clusterRole(String name, List<PolicyRule> rules) {
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder().withNewMetadata().withName(name).endMetadata()
                .withRules(rules).build()).create();
    }

    private static void roleBinding(String namespace, String serviceAccount, String kind, String role) {
        admin.rbac().roleBindings().inNamespace(namespace).resource(new RoleBindingBuilder()
                .withNewMetadata().withName(NS + "-" + serviceAccount).endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", kind, role)
                .addNewSubject().withKind("ServiceAccount").withName(serviceAccount).withNamespace(NS).endSubject()
                .build()).create();
    }

    private static PolicyRule rule(String group, List<String> resources, String... verbs) {
        return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verbs).build();
    }

    private static String random() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
