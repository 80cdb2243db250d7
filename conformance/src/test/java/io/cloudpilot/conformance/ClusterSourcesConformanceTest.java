package io.cloudpilot.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.cloudpilot.testkit.SecretLedger;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clusters from where operators keep them, against the real API server: {@code cloudpilot import-kubeconfig} (run as
 * {@code bin/cloudpilot} of the distribution) registers a context with a client certificate and key in files, and
 * one with a token, both then served; a context with an exec plugin is refused with the way out. A kubeconfig with an
 * exec credential plugin in {@code registry.kubeconfig-dir} is served (the plugin runs) while the API refuses the
 * same kubeconfig. {@code bin/cloudpilot-remote-token} mints a long-lived read-only ServiceAccount token that
 * registers over the API.
 */
@Order(4)
@ExtendWith(ConformanceCluster.class)
class ClusterSourcesConformanceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static ControlPlane plane;
    private static KubernetesClient admin;
    private static Path dir;
    private static Path data;
    private static Path dist;
    private static CloudPilotTestServer server;
    private static String viewToken;
    /** The script creates the reader ClusterRole if missing; DeploymentManifestsTest creates it too. */
    private static boolean readerRoleExisted;

    @BeforeAll
    static void start() throws Exception {
        plane = ConformanceCluster.plane();
        admin = plane.admin();
        dist = Path.of(System.getProperty("cloudpilot.dist.dir"));
        readerRoleExisted = admin.rbac().clusterRoles().withName("cloudpilot-reader").get() != null;
        dir = Files.createTempDirectory("cloudpilot-sources-");
        data = dir.resolve("data");
        // a token of a ServiceAccount bound to view, for the exec plugin to hand out
        admin.serviceAccounts().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("sources-viewer").endMetadata().build()).create();
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata().withName("sources-viewer").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                .addNewSubject().withKind("ServiceAccount").withName("sources-viewer").withNamespace("default")
                .endSubject().build()).create();
        viewToken = admin.serviceAccounts().inNamespace("default").withName("sources-viewer").tokenRequest(
                new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        SecretLedger.record("sources-viewer token", viewToken);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        admin.rbac().clusterRoleBindings().withName("sources-viewer").delete();
        admin.serviceAccounts().inNamespace("default").withName("sources-viewer").delete();
        if (!readerRoleExisted) {
            admin.rbac().clusterRoles().withName("cloudpilot-reader").delete();
        }
    }

    @Test
    void importKubeconfigRegistersClientCertificatesAndTokensThatWork() throws Exception {
        // the operator's kubeconfig names files for the CA, the client certificate and key, as kubeadm's does
        Path kube = Files.createDirectories(dir.resolve("kube"));
        Pki.Issued cert = plane.clientCertificate("cert-user", "conformance:viewers");
        writePrivate(kube.resolve("ca.crt"), plane.caPem());
        writePrivate(kube.resolve("user.crt"), cert.certificatePem());
        writePrivate(kube.resolve("user.key"), cert.privateKeyPem());
        SecretLedger.record("client key", cert.privateKeyPem().lines().filter(l -> !l.startsWith("-----"))
                .reduce("", String::concat));
        Path kubeconfig = kube.resolve("config");
        writePrivate(kubeconfig, """
                apiVersion: v1
                kind: Config
                current-context: cert@conformance
                clusters:
                - name: conformance
                  cluster: {server: "%1$s", certificate-authority: ca.crt}
                - name: conformance-inline
                  cluster: {server: "%1$s", certificate-authority-data: %2$s}
                users:
                - name: cert
                  user: {client-certificate: user.crt, client-key: user.key}
                - name: viewer
                  user: {token: %3$s}
                - name: cloud
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: gke-gcloud-auth-plugin}
                contexts:
                - name: cert@conformance
                  context: {cluster: conformance, user: cert}
                - name: viewer@conformance
                  context: {cluster: conformance-inline, user: viewer}
                - name: gke_project_europe-west1_prod
                  context: {cluster: conformance, user: cloud}
                """.formatted(plane.url(), plane.caData(), viewToken));
        Launched r = launch("import-kubeconfig", kubeconfig.toString(), "--all-contexts", "--verify", "--mode", "server",
                "--data-dir", data.toString());
        assertEquals(3, r.code(), "the exec context is skipped: " + r);
        assertTrue(r.stdout().lines().anyMatch(l -> l.matches("\\s+imported\\s+cert@conformance\\s+as 'cert-conformance': "
                + "client certificate, TLS verified-ca-data, reachable \\(v1\\.\\d+\\.\\d+\\)")), r.stdout());
        assertTrue(r.stdout().lines().anyMatch(l -> l.matches("\\s+imported\\s+viewer@conformance\\s+as "
                + "'viewer-conformance': token, TLS verified-ca-data, reachable.*")), r.stdout());
        assertTrue(r.stdout().lines().anyMatch(l -> l.contains("gke_project_europe-west1_prod")
                && l.contains("exec credential plugin ('gke-gcloud-auth-plugin')")), r.stdout());
        assertFalse(r.stdout().contains(viewToken) || r.stderr().contains(viewToken), "no token printed");

        startServer();
        int pods = admin.pods().inNamespace("shop").list().getItems().size();
        for (String cluster : List.of("cert-conformance", "viewer-conformance")) {
            ApiResponse list = server.client().get("/k8s/resources/pods/list?namespace=shop&cluster_name=" + cluster);
            assertEquals(200, list.status(), cluster + ": " + list);
            assertEquals(pods, list.data().path("total").asInt(), cluster);
        }
        // the certificate's group may view, not scale: the cluster's RBAC sees the certificate's user
        ApiResponse scale = server.client().post("/k8s/resources/deployments/scaling", """
                {"cluster_name": "cert-conformance", "namespace": "scaling", "deployment_name": "scalable",
                 "replicas": 4, "dry_run": true}""");
        assertEquals(403, scale.status(), scale.toString());
    }

    @Test
    void execPluginsRunOnlyFromTheOperatorsKubeconfigDirectory() throws Exception {
        Path plugin = dir.resolve("token-plugin.sh");
        Path ran = dir.resolve("plugin-ran");
        writePrivate(plugin, """
                #!/bin/sh
                touch '%s'
                printf '{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"%s"}}'
                """.formatted(ran, viewToken));
        Files.setPosixFilePermissions(plugin, PosixFilePermissions.fromString("rwx------"));
        String kubeconfig = """
                apiVersion: v1
                kind: Config
                current-context: exec
                clusters:
                - name: exec
                  cluster: {server: "%s", certificate-authority-data: %s}
                users:
                - name: exec
                  user:
                    exec: {apiVersion: client.authentication.k8s.io/v1beta1, command: "%s", interactiveMode: Never}
                contexts:
                - name: exec
                  context: {cluster: exec, user: exec}
                """.formatted(plane.url(), plane.caData(), plugin);
        Path files = Files.createDirectories(dir.resolve("kubeconfig.d"));
        writePrivate(files.resolve("managed.yaml"), kubeconfig);
        writePrivate(files.resolve("Not_A_Name.yaml"), kubeconfig);
        startServer();

        ApiResponse list = server.client().get("/k8s/cluster/list");
        assertEquals(200, list.status(), list.toString());
        JsonNode managed = list.data().path("clusters").valueStream()
                .filter(c -> c.path("name").asString().equals("managed")).findFirst()
                .orElseThrow(() -> new AssertionError("the file's cluster is listed: " + list));
        assertEquals("kubeconfig-file", managed.path("auth_kind").asString());
        assertEquals(plane.url(), managed.path("api_server").asString());
        assertThat(list.raw()).as("a file whose name is no cluster name is left out").doesNotContain("Not_A_Name");
        assertFalse(Files.exists(ran), "nothing runs before the cluster is used");

        ApiResponse pods = server.client().get("/k8s/resources/pods/list?namespace=shop&cluster_name=managed");
        assertEquals(200, pods.status(), pods.toString());
        assertEquals(admin.pods().inNamespace("shop").list().getItems().size(), pods.data().path("total").asInt());
        assertTrue(Files.exists(ran), "the exec credential plugin ran");

        ApiResponse viaApi = server.client().post("/k8s/cluster/add", JSON.writeValueAsString(Map.of(
                "name", "from-api", "kubeconfig", kubeconfig, "verify", false)));
        assertEquals(400, viaApi.status(), "the API never accepts a command: " + viaApi);
        assertThat(viaApi.message()).as(viaApi.message()).contains("uses 'exec'");
        ApiResponse remove = server.client().delete("/k8s/cluster/remove?cluster_name=managed");
        assertEquals(409, remove.status(), remove.toString());
        assertThat(remove.message()).as(remove.message()).contains("managed.yaml");
    }

    @Test
    void theRemoteTokenScriptMintsALongLivedReadOnlyTokenThatRegisters() throws Exception {
        Path kubeconfig = plane.writeKubeconfig(dir.resolve("admin.kubeconfig"), "remote-admin", plane.adminToken());
        Launched r = run(List.of(dist.resolve("bin/cloudpilot-remote-token").toString(), "--name", "remote",
                "--namespace", "cp-remote"), Map.of("KUBECONFIG", kubeconfig.toString()));
        assertEquals(0, r.code(), r.toString());
        JsonNode body = JSON.readTree(r.stdout());
        String token = body.path("token").asString();
        SecretLedger.record("remote token", token);
        assertEquals("remote", body.path("name").asString());
        assertEquals(plane.url(), body.path("api_server").asString());
        assertThat(r.stderr()).as("the token is only in the JSON").doesNotContain(token);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertTrue(claims.path("exp").isMissingNode(), "a token that does not expire: " + claims);

        try (KubernetesClient remote = plane.client(token)) {
            assertEquals(admin.pods().inNamespace("shop").list().getItems().size(),
                    remote.pods().inNamespace("shop").list().getItems().size(), "it reads what CloudPilot reads");
            KubernetesClientException denied = org.junit.jupiter.api.Assertions.assertThrows(
                    KubernetesClientException.class, () -> remote.configMaps().inNamespace("default").resource(
                            new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata().build()).create());
            assertEquals(403, denied.getCode(), "and writes nothing");
        }
        startServer();
        ApiResponse added = server.client().post("/k8s/cluster/add", r.stdout());
        assertEquals(200, added.status(), added.toString());
        assertEquals("reachable", added.data().path("reachability").asString());
        ApiResponse nodes = server.client().get("/k8s/resources/nodes/list?cluster_name=remote");
        assertEquals(200, nodes.status(), nodes.toString());

        Launched again = run(List.of(dist.resolve("bin/cloudpilot-remote-token").toString(), "--name", "remote",
                "--namespace", "cp-remote", "--delete"), Map.of("KUBECONFIG", kubeconfig.toString()));
        assertEquals(0, again.code(), again.toString());
        org.junit.jupiter.api.Assertions.assertNull(admin.serviceAccounts().inNamespace("cp-remote")
                .withName("cloudpilot-remote").get());
        admin.namespaces().withName("cp-remote").delete();
    }

    private static void startServer() {
        if (server != null) {
            server.close();
        }
        server = CloudPilotTestServer.builder().mode("server").sandbox(false).pluginDirs(Plugins.dirs())
                .config("cloudpilot.data-dir", data.toString())
                .config("registry.kubeconfig-dir", dir.resolve("kubeconfig.d").toString())
                .start();
    }

    private record Launched(int code, String stdout, String stderr) {
    }

    /** Runs the distribution's launcher, as an operator would on the server. */
    private static Launched launch(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/cloudpilot").toString()));
        command.addAll(List.of(args));
        return run(command, Map.of());
    }

    private static Launched run(List<String> command, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Path err = Files.createTempFile(dir, "err-", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end in 120 s");
        }
        return new Launched(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    private static void writePrivate(Path file, String text) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }
}
