package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PodLogTest {

    private static final String GATEWAY = "/api/v1/namespaces/istio-system/pods/istio-ingressgateway-6f9d8c7b5-f5g7h/log";
    private static final String FRONTEND = "/api/v1/namespaces/shop/pods/frontend-7d4b9c8f6-x2k9p/log";

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
    void tailLinesWithTheFabric8Client() {
        String log = client.pods().inNamespace("istio-system").withName("istiod-5c8b7d9f6-vk7xh").inContainer("discovery")
                .tailingLines(10).getLog();
        List<String> lines = log.lines().toList();
        assertEquals(10, lines.size());
        assertTrue(lines.stream().allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z\t(info|warn|error)\t.*")),
                log);
        String all = client.pods().inNamespace("istio-system").withName("istiod-5c8b7d9f6-vk7xh").getLog();
        assertEquals(PodLogs.RETAINED_LINES, all.lines().count());
        assertTrue(all.contains("\tinfo\tads\t"));
        assertTrue(all.contains("\twarn\t"));
        assertTrue(all.contains("\terror\t"));
        assertTrue(all.contains("broken-tls"));
    }

    @Test
    void queryParametersInAnyOrder() {
        HttpResponse<String> a = Http.get(cluster, GATEWAY + "?tailLines=3&container=istio-proxy&previous=true");
        HttpResponse<String> b = Http.get(cluster, GATEWAY + "?previous=true&container=istio-proxy&tailLines=3&pretty=false");
        assertEquals(200, a.statusCode());
        assertEquals(a.body(), b.body());
        assertEquals(3, a.body().lines().count());
        assertTrue(a.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    }

    @Test
    void previousLogOfARestartedContainerEndsBeforeTheRestart() {
        HttpResponse<String> r = Http.get(cluster, GATEWAY + "?container=istio-proxy&previous=true&timestamps=true");
        assertEquals(200, r.statusCode());
        List<String> lines = r.body().lines().toList();
        assertFalse(lines.isEmpty());
        Instant last = Instant.parse(lines.get(lines.size() - 1).substring(0, lines.get(lines.size() - 1).indexOf(' ')));
        assertTrue(last.isBefore(Instant.now().minus(Duration.ofHours(2).plusMinutes(59))), last.toString());
        assertTrue(lines.get(lines.size() - 1).contains("Envoy exited"));
    }

    @Test
    void timestampsAndSinceSeconds() {
        HttpResponse<String> r = Http.get(cluster, GATEWAY + "?container=istio-proxy&sinceSeconds=60&timestamps=true");
        List<String> lines = r.body().lines().toList();
        assertTrue(lines.size() >= 8 && lines.size() <= 20, "lines: " + lines.size());
        Instant now = Instant.now();
        for (String line : lines) {
            Instant t = Instant.parse(line.substring(0, line.indexOf(' ')));
            assertTrue(!t.isBefore(now.minusSeconds(62)) && !t.isAfter(now), line);
        }
        String plain = client.pods().inNamespace("istio-system").withName("istio-ingressgateway-6f9d8c7b5-f5g7h")
                .inContainer("istio-proxy").sinceSeconds(60).getLog();
        assertFalse(plain.lines().anyMatch(l -> l.matches("^\\d{4}-\\d\\d-\\d\\dT.*Z .*")));
        assertTrue(plain.contains("\" 200 ") || plain.contains("\tinfo\t") || plain.contains("\twarn\t"));
    }

    @Test
    void limitBytes() {
        HttpResponse<String> r = Http.get(cluster, GATEWAY + "?container=istio-proxy&limitBytes=100");
        assertEquals(100, r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void containerMustBeNamedWhenThePodHasSeveral() {
        HttpResponse<String> r = Http.get(cluster, FRONTEND);
        assertEquals(400, r.statusCode());
        assertEquals("a container name must be specified for pod frontend-7d4b9c8f6-x2k9p, choose one of: "
                + "[frontend istio-proxy] or one of the init containers: [istio-init]", Http.json(r).get("message"));
        assertEquals("BadRequest", Http.json(r).get("reason"));
        // a single-container pod needs no container name
        assertEquals(200, Http.get(cluster, "/api/v1/namespaces/shop/pods/catalog-6c9f8b7d5-l5k3j/log?tailLines=2")
                .statusCode());
    }

    @Test
    void unknownContainerAndPod() {
        HttpResponse<String> r = Http.get(cluster, FRONTEND + "?container=nginx");
        assertEquals(400, r.statusCode());
        assertEquals("container nginx is not valid for pod frontend-7d4b9c8f6-x2k9p", Http.json(r).get("message"));
        HttpResponse<String> missing = Http.get(cluster, "/api/v1/namespaces/shop/pods/nope/log");
        assertEquals(404, missing.statusCode());
        assertEquals("pods \"nope\" not found", Http.json(missing).get("message"));
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.pods().inNamespace(
                "shop").withName("frontend-7d4b9c8f6-x2k9p").inContainer("nginx").getLog());
        assertEquals(400, e.getCode());
    }

    @Test
    void previousOfAContainerThatNeverRestarted() {
        HttpResponse<String> r = Http.get(cluster, FRONTEND + "?container=frontend&previous=true");
        assertEquals(400, r.statusCode());
        assertEquals("previous terminated container \"frontend\" in pod \"frontend-7d4b9c8f6-x2k9p\" not found",
                Http.json(r).get("message"));
    }

    @Test
    void crashLoopingContainerShowsTheCrash() {
        String current = Http.get(cluster, "/api/v1/namespaces/shop/pods/cart-5b7f9d6c8-z9x8c/log?container=cart").body();
        assertTrue(current.contains("Application run failed"), current);
        assertTrue(current.contains("cart-redis.shop.svc.cluster.local"));
        String previous = Http.get(cluster,
                "/api/v1/namespaces/shop/pods/cart-5b7f9d6c8-z9x8c/log?container=cart&previous=true").body();
        assertEquals(current, previous);
    }

    @Test
    void podsThatNeverRan() {
        HttpResponse<String> pulling = Http.get(cluster, "/api/v1/namespaces/monitoring/pods/exporter-69c8d7f5b4-c3v5b/log");
        assertEquals(400, pulling.statusCode());
        assertEquals("container \"exporter\" in pod \"exporter-69c8d7f5b4-c3v5b\" is waiting to start: trying and failing"
                + " to pull image", Http.json(pulling).get("message"));
        HttpResponse<String> pending = Http.get(cluster,
                "/api/v1/namespaces/payments/pods/ledger-5d6f7c8b9-p2l4k/log?container=ledger");
        assertEquals(200, pending.statusCode());
        assertEquals("", pending.body());
    }

    @Test
    void podOnAnUnreachableNode() {
        HttpResponse<String> r = Http.get(cluster, "/api/v1/namespaces/kube-system/pods/kube-proxy-s5v7w/log");
        assertEquals(500, r.statusCode());
        assertTrue(String.valueOf(Http.json(r).get("message")).contains("10.0.0.13:10250"));
    }

    @Test
    void completedAndFailedJobPods() {
        String migrate = Http.get(cluster, "/api/v1/namespaces/shop/pods/catalog-migrate-7xk2d/log").body();
        assertTrue(migrate.trim().endsWith("msg=\"migrations complete\" applied=3 pending=0 version=43"), migrate);
        String reconcile = Http.get(cluster, "/api/v1/namespaces/payments/pods/ledger-reconcile-28871234-b6n8q/log").body();
        assertTrue(reconcile.contains("\"level\":\"error\""), reconcile);
    }

    @Test
    void initContainerLog() {
        String log = Http.get(cluster, FRONTEND + "?container=istio-init").body();
        List<String> lines = log.lines().toList();
        assertTrue(lines.get(0).endsWith("\tinfo\tIstio iptables environment:"), lines.get(0));
        assertTrue(lines.contains("COMMIT"));
        assertTrue(lines.get(lines.size() - 1).contains("iptables-restore --noflush"));
    }

    @Test
    void invalidOptions() {
        HttpResponse<String> r = Http.get(cluster, GATEWAY + "?container=istio-proxy&sinceSeconds=0");
        assertEquals(422, r.statusCode());
        assertTrue(String.valueOf(Http.json(r).get("message")).contains("sinceSeconds"));
        assertEquals(400, Http.get(cluster, GATEWAY + "?container=istio-proxy&tailLines=abc").statusCode());
    }

    @Test
    void logsFromAnAnnotation() {
        try (SandboxCluster empty = SandboxCluster.startEmpty(0)) {
            Pod pod = new PodBuilder().withNewMetadata().withName("app-1").withNamespace("default")
                    .addToAnnotations(PodLogs.LOG_ANNOTATION + "app", "starting\nERROR boom\nready")
                    .endMetadata()
                    .withNewSpec().withNodeName("node-1").addNewContainer().withName("app").withImage("app:1")
                    .endContainer().endSpec()
                    .withNewStatus().withPhase("Running").addNewContainerStatus().withName("app").withReady(true)
                    .withRestartCount(0).withNewState().withNewRunning().withStartedAt("2026-01-01T00:00:00Z")
                    .endRunning().endState().endContainerStatus().endStatus()
                    .build();
            empty.client().pods().resource(pod).create();
            assertEquals("starting\nERROR boom\nready\n", empty.client().pods().inNamespace("default").withName("app-1")
                    .getLog());
            assertEquals("ready\n", empty.client().pods().inNamespace("default").withName("app-1").tailingLines(1)
                    .getLog());
        }
    }

    @Test
    void everyContainerOfTheFixtureHasALog() {
        int checked = 0;
        for (Pod pod : client.pods().inAnyNamespace().list().getItems()) {
            if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().equals("worker-3")) {
                continue;
            }
            for (var c : pod.getStatus().getContainerStatuses()) {
                if (c.getState().getWaiting() != null && c.getLastState().getTerminated() == null) {
                    continue;
                }
                String path = "/api/v1/namespaces/" + pod.getMetadata().getNamespace() + "/pods/" + pod.getMetadata()
                        .getName() + "/log?container=" + c.getName() + "&tailLines=20";
                HttpResponse<String> r = Http.get(cluster, path);
                assertEquals(200, r.statusCode(), path + " " + r.body());
                assertFalse(r.body().isBlank(), path);
                checked++;
            }
        }
        assertTrue(checked >= 30, "checked " + checked);
    }
}
