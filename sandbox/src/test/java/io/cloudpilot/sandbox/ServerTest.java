package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Authentication, the outage and latency switches, request counting, the kubeconfig, and writes. */
class ServerTest {

    private static SandboxCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = SandboxCluster.start();
        client = cluster.client();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void identity() {
        assertEquals("sandbox", cluster.name());
        assertTrue(cluster.url().matches("http://127\\.0\\.0\\.1:\\d+"), cluster.url());
        assertTrue(cluster.token().length() >= 32);
        try (SandboxCluster other = SandboxCluster.startEmpty(0)) {
            assertNotEquals(cluster.token(), other.token());
            assertNotEquals(cluster.url(), other.url());
        }
    }

    @Test
    void requestsWithoutTheTokenAre401() {
        for (String path : List.of("/version", "/api/v1/pods", "/apis", "/no/such/path")) {
            HttpResponse<String> r = Http.send(cluster, "GET", path, null, null, false);
            assertEquals(401, r.statusCode(), path);
            Map<String, Object> status = Http.json(r);
            assertEquals("Status", status.get("kind"));
            assertEquals("Unauthorized", status.get("reason"));
            assertEquals(401, ((Number) status.get("code")).intValue());
        }
        Config wrong = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty()).withMasterUrl(cluster.url())
                .withOauthToken("not-the-token").withRequestRetryBackoffLimit(0).build();
        try (KubernetesClient bad = new KubernetesClientBuilder().withConfig(wrong).build()) {
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> bad.pods().inAnyNamespace().list());
            assertEquals(401, e.getCode());
        }
    }

    @Test
    void unknownPathsAreStatus404() {
        for (String path : List.of("/api/v1/widgets", "/apis/apps/v1/namespaces/shop/widgets", "/nothing/here",
                "/api/v2/pods", "/api/v1/namespaces/shop/pods/x/y/z", "/api/v1/namespaces/shop/nodes/worker-1")) {
            HttpResponse<String> r = Http.get(cluster, path);
            assertEquals(404, r.statusCode(), path);
            Map<String, Object> status = Http.json(r);
            assertEquals("Status", status.get("kind"), path);
            assertEquals("the server could not find the requested resource", status.get("message"), path);
        }
        assertEquals(405, Http.send(cluster, "POST", "/api/v1/namespaces/shop/pods/frontend-7d4b9c8f6-x2k9p", "application/json",
                "{}", true).statusCode());
    }

    @Test
    void requestCounting() {
        try (SandboxCluster counted = SandboxCluster.start()) {
            KubernetesClient c = counted.client();
            assertEquals(0, counted.requestCount());
            c.pods().inAnyNamespace().list();
            c.pods().inNamespace("shop").list();
            c.pods().inNamespace("shop").withName("cart-5b7f9d6c8-h4j6k").get();
            c.nodes().list();
            assertEquals(4, counted.requestCount());
            assertEquals(1, counted.requestCount("GET", "/api/v1/pods"));
            assertEquals(2, counted.requestCount("GET", "/api/v1/namespaces/shop/pods"));
            assertEquals(4, counted.requestCount("get", "/api/v1/"));
            assertEquals(0, counted.requestCount("POST", "/api/v1/"));
            counted.resetRequestCounts();
            assertEquals(0, counted.requestCount());
            Http.send(counted, "GET", "/api/v1/pods", null, null, false);
            assertEquals(1, counted.requestCount("GET", "/api/v1/pods"));
            for (int i = 0; i < 250; i++) {
                Http.get(counted, "/version");
            }
            assertEquals(251, counted.requestCount());
        }
    }

    @Test
    void latencySwitch() {
        try (SandboxCluster slow = SandboxCluster.start()) {
            slow.client().pods().inNamespace("shop").list();
            slow.setLatency(Duration.ofSeconds(1));
            long t0 = System.nanoTime();
            slow.client().pods().inNamespace("shop").list();
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(elapsed >= 1000, "took " + elapsed + " ms");
            HttpResponse<String> delayed401 = Http.send(slow, "GET", "/version", null, null, false);
            assertEquals(401, delayed401.statusCode());
            slow.setLatency(Duration.ZERO);
            t0 = System.nanoTime();
            slow.client().pods().inNamespace("shop").list();
            elapsed = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(elapsed < 900, "took " + elapsed + " ms");
        }
    }

    @Test
    void failingSwitch() {
        try (SandboxCluster broken = SandboxCluster.start()) {
            broken.setFailing(true);
            HttpResponse<String> r = Http.get(broken, "/api/v1/pods");
            assertEquals(500, r.statusCode());
            assertEquals("InternalError", Http.json(r).get("reason"));
            assertEquals(500, Http.get(broken, "/version").statusCode());
            KubernetesClientException e = assertThrows(KubernetesClientException.class,
                    () -> broken.client().nodes().list());
            assertEquals(500, e.getCode());
            broken.setFailing(false);
            assertEquals(4, broken.client().nodes().list().getItems().size());
        }
    }

    @Test
    void kubeconfigIsPrivateAndWorks(@TempDir Path dir) throws Exception {
        Path file = cluster.writeKubeconfig(dir.resolve("nested/kubeconfig.yaml"));
        assertEquals(dir.resolve("nested/kubeconfig.yaml"), file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String text = Files.readString(file);
        assertTrue(text.contains("current-context: sandbox"));
        Config config = Config.fromKubeconfig(text);
        assertEquals(cluster.url() + "/", config.getMasterUrl());
        assertEquals("sandbox", config.getCurrentContext().getName());
        try (KubernetesClient fromFile = new KubernetesClientBuilder().withConfig(config).build()) {
            assertEquals(28, fromFile.pods().inAnyNamespace().list().getItems().size());
        }
        cluster.writeKubeconfig(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void fixedPortAndEmptyCluster() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (SandboxCluster empty = SandboxCluster.startEmpty(port)) {
            assertEquals("http://127.0.0.1:" + port, empty.url());
            KubernetesClient c = empty.client();
            assertEquals("v1.30.2", c.getKubernetesVersion().getGitVersion());
            assertTrue(c.pods().inAnyNamespace().list().getItems().isEmpty());
            assertTrue(c.namespaces().list().getItems().isEmpty());
            assertTrue(c.supports("networking.istio.io/v1", "Gateway"));
            IllegalStateException busy = assertThrows(IllegalStateException.class, () -> SandboxCluster.startEmpty(port));
            assertTrue(busy.getMessage().contains(String.valueOf(port)));
        }
    }

    @Test
    void closeIsIdempotentAndStopsTheServer() {
        SandboxCluster c = SandboxCluster.startEmpty(0);
        String url = c.url();
        c.close();
        c.close();
        assertThrows(Exception.class, () -> Http.get(c, "/version"), url);
    }

    @Test
    void crudWithRealApiSemantics() {
        try (SandboxCluster empty = SandboxCluster.startEmpty(0)) {
            KubernetesClient c = empty.client();
            ConfigMap created = c.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("settings").endMetadata().addToData("a", "1").build()).create();
            assertTrue(created.getMetadata().getCreationTimestamp().matches(".*T\\d\\d:\\d\\d:\\d\\dZ"));
            assertNotNull(created.getMetadata().getUid());
            KubernetesClientException exists = assertThrows(KubernetesClientException.class, () -> c.configMaps()
                    .inNamespace("default").resource(created).create());
            assertEquals(409, exists.getCode());
            assertTrue(exists.getMessage().contains("configmaps \"settings\" already exists"), exists.getMessage());

            ConfigMap generated = c.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                    .withGenerateName("job-").endMetadata().build()).create();
            assertTrue(generated.getMetadata().getName().matches("job-[bcdfghjklmnpqrstvwxz2456789]{5}"),
                    generated.getMetadata().getName());

            Pod pod = c.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("web")
                    .addToLabels("app", "web").endMetadata().withNewSpec().addNewContainer().withName("a").withImage("a:1")
                    .endContainer().addNewContainer().withName("b").withImage("b:1").endContainer().endSpec().build())
                    .create();
            // a merge patch replaces lists (RFC 7386), the mock alone would append
            Pod merged = c.pods().inNamespace("default").withName("web").patch(PatchContext.of(PatchType.JSON_MERGE),
                    "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"c:1\"}]},\"metadata\":{\"labels\":{\"app\":null}}}");
            assertEquals(List.of("c"), merged.getSpec().getContainers().stream().map(x -> x.getName()).toList());
            assertFalse(merged.getMetadata().getLabels() != null && merged.getMetadata().getLabels().containsKey("app"));
            // a strategic merge patch merges containers by name
            Pod strategic = c.pods().inNamespace("default").withName("web").patch(PatchContext.of(
                    PatchType.STRATEGIC_MERGE), "{\"spec\":{\"containers\":[{\"name\":\"d\",\"image\":\"d:1\"}]}}");
            assertEquals(List.of("c", "d"), strategic.getSpec().getContainers().stream().map(x -> x.getName()).toList());
            Pod edited = c.pods().inNamespace("default").withName("web").edit(p -> new PodBuilder(p).editMetadata()
                    .addToAnnotations("note", "x").endMetadata().build());
            assertEquals("x", edited.getMetadata().getAnnotations().get("note"));
            assertNotEquals(pod.getMetadata().getResourceVersion(), edited.getMetadata().getResourceVersion());
            Pod stale = new PodBuilder(pod).editMetadata().addToLabels("x", "y").endMetadata().build();
            KubernetesClientException conflict = assertThrows(KubernetesClientException.class, () -> c.pods()
                    .inNamespace("default").resource(stale).update());
            assertEquals(409, conflict.getCode());

            assertTrue(c.pods().inNamespace("default").withName("web").delete().size() == 1);
            assertNull(c.pods().inNamespace("default").withName("web").get());
        }
    }

    @Test
    void deletingADeploymentDeletesItsReplicaSetsAndPods() {
        try (SandboxCluster fresh = SandboxCluster.start()) {
            KubernetesClient c = fresh.client();
            c.apps().deployments().inNamespace("shop").withName("frontend").delete();
            assertTrue(c.apps().replicaSets().inNamespace("shop").withLabel("app", "frontend").withLabel("version", "v1")
                    .list().getItems().isEmpty());
            assertTrue(c.pods().inNamespace("shop").withLabel("app", "frontend").withLabel("version", "v1").list()
                    .getItems().isEmpty());
            assertEquals(1, c.pods().inNamespace("shop").withLabel("app", "frontend").list().getItems().size());
        }
    }

    @Test
    void istioObjectsCanBeCreatedAtAnyVersion() {
        try (SandboxCluster empty = SandboxCluster.startEmpty(0)) {
            KubernetesClient c = empty.client();
            GenericKubernetesResource vs = new GenericKubernetesResourceBuilder()
                    .withApiVersion("networking.istio.io/v1beta1").withKind("VirtualService")
                    .withNewMetadata().withName("reviews").withNamespace("default").endMetadata()
                    .addToAdditionalProperties("spec", Map.of("hosts", List.of("reviews"))).build();
            c.genericKubernetesResources("networking.istio.io/v1beta1", "VirtualService").inNamespace("default")
                    .resource(vs).create();
            GenericKubernetesResource v1 = c.genericKubernetesResources("networking.istio.io/v1", "VirtualService")
                    .inNamespace("default").withName("reviews").get();
            assertEquals("networking.istio.io/v1", v1.getApiVersion());
            assertEquals(List.of("reviews"), v1.get("spec", "hosts"));
        }
    }

    @Test
    void concurrentReadsAndWrites() throws Exception {
        try (SandboxCluster busy = SandboxCluster.start()) {
            KubernetesClient c = busy.client();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
            try {
                List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        int seen = 0;
                        for (int i = 0; i < 25; i++) {
                            c.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
                                    .withName("cm-" + thread + "-" + i).endMetadata().build()).create();
                            seen += c.pods().inAnyNamespace().withField("status.phase", "Running").list().getItems()
                                    .size();
                        }
                        return seen;
                    }));
                }
                for (var f : results) {
                    assertEquals(25 * 24, f.get(60, java.util.concurrent.TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(200, c.configMaps().inNamespace("default").list().getItems().size());
            assertEquals(200, busy.requestCount("POST", "/api/v1/namespaces/default/configmaps"));
            assertEquals(200, busy.requestCount("GET", "/api/v1/pods"));
        }
    }

    @Test
    void dryRunCreateAndDelete() {
        HttpResponse<String> create = Http.send(cluster, "POST", "/api/v1/namespaces/default/configmaps?dryRun=All",
                "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}", true);
        assertEquals(201, create.statusCode(), create.body());
        assertNull(client.configMaps().inNamespace("default").withName("dry").get());
        HttpResponse<String> delete = Http.send(cluster, "DELETE",
                "/apis/apps/v1/namespaces/shop/deployments/catalog?dryRun=All", null, null, true);
        assertEquals(200, delete.statusCode());
        Deployment still = client.apps().deployments().inNamespace("shop").withName("catalog").get();
        assertNotNull(still);
    }
}
