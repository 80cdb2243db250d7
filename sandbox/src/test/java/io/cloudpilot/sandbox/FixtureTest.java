package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default fixture, as documented in the README: tests of the product rely on every value checked here. */
class FixtureTest {

    static final ResourceDefinitionContext GATEWAYS = istio("Gateway", "gateways");
    static final ResourceDefinitionContext VIRTUAL_SERVICES = istio("VirtualService", "virtualservices");
    static final ResourceDefinitionContext DESTINATION_RULES = istio("DestinationRule", "destinationrules");

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

    static ResourceDefinitionContext istio(String kind, String plural) {
        return new ResourceDefinitionContext.Builder().withGroup("networking.istio.io").withVersion("v1").withKind(kind)
                .withPlural(plural).withNamespaced(true).build();
    }

    @Test
    void namespacesAndInjectionLabels() {
        Map<String, Namespace> ns = byName(client.namespaces().list().getItems());
        assertEquals(Set.of("default", "kube-system", "kube-public", "kube-node-lease", "istio-system", "shop",
                "payments", "monitoring"), ns.keySet());
        assertEquals("enabled", ns.get("shop").getMetadata().getLabels().get("istio-injection"));
        assertEquals("default", ns.get("payments").getMetadata().getLabels().get("istio.io/rev"));
        assertEquals("disabled", ns.get("istio-system").getMetadata().getLabels().get("istio-injection"));
        assertFalse(ns.get("monitoring").getMetadata().getLabels().containsKey("istio-injection"));
        assertFalse(ns.get("monitoring").getMetadata().getLabels().containsKey("istio.io/rev"));
        ns.values().forEach(n -> assertEquals("Active", n.getStatus().getPhase()));
    }

    @Test
    void fourNodesWithTheirProblems() {
        Map<String, Node> nodes = byName(client.nodes().list().getItems());
        assertEquals(Set.of("control-plane-1", "worker-1", "worker-2", "worker-3"), nodes.keySet());
        Node cp = nodes.get("control-plane-1");
        assertEquals("", cp.getMetadata().getLabels().get("node-role.kubernetes.io/control-plane"));
        assertEquals("NoSchedule", cp.getSpec().getTaints().get(0).getEffect());
        assertEquals("True", condition(cp, "Ready").getStatus());
        assertEquals("4", cp.getStatus().getCapacity().get("cpu").toString());
        assertEquals("3800m", cp.getStatus().getAllocatable().get("cpu").toString());
        assertEquals("16393232Ki", cp.getStatus().getCapacity().get("memory").toString());
        assertEquals("110", cp.getStatus().getCapacity().get("pods").toString());
        assertEquals("v1.30.2", cp.getStatus().getNodeInfo().getKubeletVersion());
        assertTrue(cp.getStatus().getNodeInfo().getContainerRuntimeVersion().startsWith("containerd://1.7."));
        assertEquals("10.0.0.10", cp.getStatus().getAddresses().get(0).getAddress());
        assertEquals("True", condition(nodes.get("worker-1"), "Ready").getStatus());
        assertEquals("True", condition(nodes.get("worker-2"), "Ready").getStatus());
        assertEquals("True", condition(nodes.get("worker-2"), "MemoryPressure").getStatus());
        Node w3 = nodes.get("worker-3");
        assertEquals("Unknown", condition(w3, "Ready").getStatus());
        assertEquals("NodeStatusUnknown", condition(w3, "Ready").getReason());
        assertTrue(w3.getSpec().getUnschedulable());
        assertTrue(w3.getSpec().getTaints().stream().anyMatch(t -> t.getKey().equals("node.kubernetes.io/unreachable")
                && t.getEffect().equals("NoExecute")));
        Instant heartbeat = Instant.parse(condition(w3, "Ready").getLastHeartbeatTime());
        assertTrue(heartbeat.isBefore(Instant.now().minus(Duration.ofHours(2))));
    }

    @Test
    void podsByPhaseNamespaceAndNode() {
        List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
        assertEquals(28, pods.size());
        Map<String, Long> phases = pods.stream().collect(Collectors.groupingBy(p -> p.getStatus().getPhase(),
                TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("Running", 24L, "Pending", 2L, "Succeeded", 1L, "Failed", 1L), phases);
        Map<String, Long> perNamespace = pods.stream().collect(Collectors.groupingBy(p -> p.getMetadata().getNamespace(),
                TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("istio-system", 3L, "kube-system", 10L, "monitoring", 2L, "payments", 4L, "shop", 9L),
                perNamespace);
        Map<String, Long> perNode = pods.stream().collect(Collectors.groupingBy(p -> String.valueOf(
                p.getSpec().getNodeName()), TreeMap::new, Collectors.counting()));
        assertEquals(Map.of("control-plane-1", 6L, "worker-1", 12L, "worker-2", 8L, "worker-3", 1L, "null", 1L),
                perNode);
    }

    @Test
    void deploymentsWithReadiness() {
        Map<String, Deployment> d = byName(client.apps().deployments().inAnyNamespace().list().getItems());
        assertEquals(Set.of("coredns", "istiod", "istio-ingressgateway", "frontend", "frontend-v2", "cart", "catalog",
                "payments-api", "ledger", "prometheus", "exporter"), d.keySet());
        assertReplicas(d.get("frontend"), 3, 3);
        assertReplicas(d.get("cart"), 2, 1);
        assertReplicas(d.get("catalog"), 2, 2);
        assertReplicas(d.get("payments-api"), 2, 2);
        assertReplicas(d.get("ledger"), 1, null);
        assertReplicas(d.get("prometheus"), 1, 1);
        assertReplicas(d.get("exporter"), 1, null);
        assertReplicas(d.get("coredns"), 2, 2);
        assertReplicas(d.get("istiod"), 1, 1);
        assertReplicas(d.get("istio-ingressgateway"), 2, 2);
        assertEquals("False", deploymentCondition(d.get("cart"), "Available"));
        assertEquals("True", deploymentCondition(d.get("frontend"), "Available"));
        assertEquals("ProgressDeadlineExceeded", d.get("ledger").getStatus().getConditions().stream()
                .filter(c -> c.getType().equals("Progressing")).findFirst().orElseThrow().getReason());
        Deployment istiod = d.get("istiod");
        assertEquals(Map.of("app", "istiod", "istio", "pilot", "istio.io/rev", "default"), subset(istiod.getMetadata()
                .getLabels(), "app", "istio", "istio.io/rev"));
        assertEquals("docker.io/istio/pilot:1.22.1", istiod.getSpec().getTemplate().getSpec().getContainers().get(0)
                .getImage());
        assertTrue(istiod.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits() == null
                || istiod.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().isEmpty());
        assertEquals("ingressgateway", d.get("istio-ingressgateway").getMetadata().getLabels().get("istio"));
        Map<String, ?> limits = d.get("prometheus").getSpec().getTemplate().getSpec().getContainers().get(0)
                .getResources().getLimits();
        assertTrue(limits == null || limits.isEmpty());
    }

    @Test
    void replicaSetsAndPodsAreOwned() {
        Map<String, ReplicaSet> rs = byName(client.apps().replicaSets().inAnyNamespace().list().getItems());
        assertEquals(12, rs.size());
        Map<String, Deployment> d = byName(client.apps().deployments().inAnyNamespace().list().getItems());
        for (ReplicaSet r : rs.values()) {
            OwnerReference owner = r.getMetadata().getOwnerReferences().get(0);
            assertEquals("Deployment", owner.getKind());
            assertEquals(d.get(owner.getName()).getMetadata().getUid(), owner.getUid(), r.getMetadata().getName());
            assertNotNull(r.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
        }
        assertEquals(0, rs.get("frontend-5f6c7d8b9").getSpec().getReplicas());
        assertEquals("2", rs.get("frontend-7d4b9c8f6").getMetadata().getAnnotations()
                .get("deployment.kubernetes.io/revision"));
        for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
            OwnerReference owner = p.getMetadata().getOwnerReferences().get(0);
            if (owner.getKind().equals("ReplicaSet")) {
                ReplicaSet r = rs.get(owner.getName());
                assertEquals(r.getMetadata().getUid(), owner.getUid());
                assertEquals(r.getMetadata().getLabels().get("pod-template-hash"), p.getMetadata().getLabels()
                        .get("pod-template-hash"));
            }
        }
        DaemonSet kubeProxy = client.apps().daemonSets().inNamespace("kube-system").withName("kube-proxy").get();
        assertEquals(4, kubeProxy.getStatus().getDesiredNumberScheduled());
        assertEquals(3, kubeProxy.getStatus().getNumberReady());
    }

    @Test
    void problemPodsAsDocumented() {
        Pod crash = pod("shop", "cart-5b7f9d6c8-z9x8c");
        ContainerStatus cart = status(crash, "cart");
        assertEquals("CrashLoopBackOff", cart.getState().getWaiting().getReason());
        assertEquals(7, cart.getRestartCount());
        assertEquals(1, cart.getLastState().getTerminated().getExitCode());
        assertEquals("Error", cart.getLastState().getTerminated().getReason());
        assertEquals("False", podCondition(crash, "Ready"));

        Pod ledger = pod("payments", "ledger-5d6f7c8b9-p2l4k");
        assertEquals("Pending", ledger.getStatus().getPhase());
        assertNull(ledger.getSpec().getNodeName());
        PodCondition scheduled = ledger.getStatus().getConditions().get(0);
        assertEquals("Unschedulable", scheduled.getReason());
        assertTrue(scheduled.getMessage().startsWith("0/4 nodes are available: 1 Insufficient memory"));

        Pod exporter = pod("monitoring", "exporter-69c8d7f5b4-c3v5b");
        assertEquals("ImagePullBackOff", status(exporter, "exporter").getState().getWaiting().getReason());

        Pod gateway = pod("istio-system", "istio-ingressgateway-6f9d8c7b5-f5g7h");
        assertEquals(3, status(gateway, "istio-proxy").getRestartCount());
        assertEquals("OOMKilled", status(gateway, "istio-proxy").getLastState().getTerminated().getReason());

        assertEquals("Succeeded", pod("shop", "catalog-migrate-7xk2d").getStatus().getPhase());
        assertEquals("Failed", pod("payments", "ledger-reconcile-28871234-b6n8q").getStatus().getPhase());
        assertEquals("worker-2", pod("monitoring", "prometheus-8d7c6b5f4-n6m8v").getSpec().getNodeName());
        Job failed = client.batch().v1().jobs().inNamespace("payments").withName("ledger-reconcile-28871234").get();
        assertEquals(1, failed.getStatus().getFailed());
        assertEquals("BackoffLimitExceeded", failed.getStatus().getConditions().get(1).getReason());
    }

    @Test
    void sidecarsAndProxyVersions() {
        for (Pod p : client.pods().inNamespace("shop").withLabel("app", "frontend").list().getItems()) {
            assertEquals("docker.io/istio/proxyv2:1.22.1", container(p, "istio-proxy"));
            assertEquals("istio-init", p.getSpec().getInitContainers().get(0).getName());
        }
        assertNull(container(pod("shop", "catalog-6c9f8b7d5-l5k3j"), "istio-proxy"));
        assertEquals("docker.io/istio/proxyv2:1.22.1", container(pod("shop", "catalog-6c9f8b7d5-b2n4m"), "istio-proxy"));
        for (Pod p : client.pods().inNamespace("payments").withLabel("app", "payments-api").list().getItems()) {
            assertEquals("docker.io/istio/proxyv2:1.20.0", container(p, "istio-proxy"));
        }
        assertNull(container(pod("monitoring", "prometheus-8d7c6b5f4-n6m8v"), "istio-proxy"));
        assertEquals(1, client.pods().inNamespace("istio-system").withLabel("app", "istiod").list().getItems().size());
        assertEquals(2, client.pods().inNamespace("istio-system").withLabel("istio", "ingressgateway").list()
                .getItems().size());
    }

    @Test
    void servicesAndEndpoints() {
        Map<String, Service> services = byName(client.services().inAnyNamespace().list().getItems());
        assertEquals(12, services.size());
        Service gw = services.get("istio-ingressgateway");
        assertEquals("LoadBalancer", gw.getSpec().getType());
        assertEquals("203.0.113.10", gw.getStatus().getLoadBalancer().getIngress().get(0).getIp());
        assertEquals(List.of(15021, 80, 443), gw.getSpec().getPorts().stream().map(p -> p.getPort()).toList());
        assertEquals(8443, gw.getSpec().getPorts().get(2).getTargetPort().getIntVal());
        assertEquals(List.of(15010, 15012, 443, 15014), services.get("istiod").getSpec().getPorts().stream()
                .map(p -> p.getPort()).toList());
        assertEquals("legacy-inventory", services.get("legacy").getSpec().getSelector().get("app"));

        Endpoints frontend = client.endpoints().inNamespace("shop").withName("frontend").get();
        assertEquals(4, frontend.getSubsets().get(0).getAddresses().size());
        assertEquals(8080, frontend.getSubsets().get(0).getPorts().get(0).getPort());
        Endpoints cart = client.endpoints().inNamespace("shop").withName("cart").get();
        assertEquals(List.of("10.244.1.12"), cart.getSubsets().get(0).getAddresses().stream().map(a -> a.getIp()).toList());
        assertEquals(List.of("10.244.2.12"), cart.getSubsets().get(0).getNotReadyAddresses().stream()
                .map(a -> a.getIp()).toList());
        assertTrue(client.endpoints().inNamespace("shop").withName("legacy").get().getSubsets().isEmpty());
        assertTrue(client.endpoints().inNamespace("payments").withName("ledger").get().getSubsets().isEmpty());
        assertEquals("10.0.0.10", client.endpoints().inNamespace("default").withName("kubernetes").get().getSubsets()
                .get(0).getAddresses().get(0).getIp());
    }

    @Test
    void tlsSecrets() throws Exception {
        Secret shop = client.secrets().inNamespace("istio-system").withName("shop-tls").get();
        assertEquals("kubernetes.io/tls", shop.getType());
        X509Certificate cert = certificate(shop);
        cert.checkValidity();
        assertEquals(List.of(2, "shop.example.com"), cert.getSubjectAlternativeNames().iterator().next());
        KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der(shop.getData().get("tls.key"),
                "PRIVATE KEY")));

        X509Certificate expired = certificate(client.secrets().inNamespace("istio-system").withName("expired-tls").get());
        assertThrows(CertificateExpiredException.class, expired::checkValidity);

        String root = client.configMaps().inNamespace("istio-system").withName("istio-ca-root-cert").get().getData()
                .get("root-cert.pem");
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(root.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ca.checkValidity();
        assertEquals("O=cluster.local", ca.getSubjectX500Principal().getName());
        assertTrue(ca.getBasicConstraints() >= 0);

        Secret broken = client.secrets().inNamespace("istio-system").withName("broken-tls").get();
        assertTrue(broken.getData().containsKey("tls.crt"));
        assertFalse(broken.getData().containsKey("tls.key"));
    }

    @Test
    void istioConfiguration() {
        Map<String, GenericKubernetesResource> gateways = byName(client.genericKubernetesResources(GATEWAYS)
                .inAnyNamespace().list().getItems());
        assertEquals(Set.of("shop-gateway", "duplicate-gateway", "expired-cert-gateway", "payments-gateway",
                "broken-gateway"), gateways.keySet());
        GenericKubernetesResource shopGateway = gateways.get("shop-gateway");
        assertEquals("istio-system", shopGateway.getMetadata().getNamespace());
        assertEquals("shop-tls", shopGateway.get("spec", "servers", 0, "tls", "credentialName"));
        assertEquals(true, shopGateway.get("spec", "servers", 1, "tls", "httpsRedirect"));
        assertEquals("does-not-exist", gateways.get("broken-gateway").get("spec", "selector", "app"));
        assertEquals("expired-tls", gateways.get("expired-cert-gateway").get("spec", "servers", 0, "tls",
                "credentialName"));

        Map<String, GenericKubernetesResource> vs = byKey(client.genericKubernetesResources(VIRTUAL_SERVICES)
                .inAnyNamespace().list().getItems());
        assertEquals(Set.of("shop/frontend", "shop/cart", "shop/ghost", "payments/payments"), vs.keySet());
        assertEquals(90, ((Number) vs.get("shop/frontend").get("spec", "http", 0, "route", 0, "weight")).intValue());
        assertEquals("v3", vs.get("shop/cart").get("spec", "http", 0, "route", 0, "destination", "subset"));
        assertEquals("shop/no-such-gateway", vs.get("shop/ghost").get("spec", "gateways", 0));
        assertEquals("ledger", vs.get("payments/payments").get("spec", "http", 0, "mirror", "host"));

        Map<String, GenericKubernetesResource> dr = byKey(client.genericKubernetesResources(DESTINATION_RULES)
                .inAnyNamespace().list().getItems());
        assertEquals(Set.of("shop/frontend", "shop/cart", "shop/catalog", "shop/catalog-dup", "payments/payments-api"),
                dr.keySet());
        assertEquals("ISTIO_MUTUAL", dr.get("shop/frontend").get("spec", "trafficPolicy", "tls", "mode"));
        assertEquals("canary", dr.get("payments/payments-api").get("spec", "subsets", 1, "labels", "version"));
    }

    @Test
    void creationTimestampsAreRelativeToStart() {
        Pod frontend = pod("shop", "frontend-7d4b9c8f6-x2k9p");
        Duration age = Duration.between(Instant.parse(frontend.getMetadata().getCreationTimestamp()), Instant.now());
        assertTrue(age.compareTo(Duration.ofDays(3)) >= 0 && age.compareTo(Duration.ofDays(3).plusMinutes(5)) < 0, age
                .toString());
        Pod ledger = pod("payments", "ledger-5d6f7c8b9-p2l4k");
        Duration ledgerAge = Duration.between(Instant.parse(ledger.getMetadata().getCreationTimestamp()), Instant.now());
        assertTrue(ledgerAge.toMinutes() >= 50 && ledgerAge.toMinutes() < 55, ledgerAge.toString());
        assertTrue(frontend.getMetadata().getCreationTimestamp().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"));
    }

    @Test
    void eventsReferenceRealObjects() {
        List<Event> events = client.v1().events().inAnyNamespace().list().getItems();
        assertTrue(events.size() >= 30, "events: " + events.size());
        Pod crash = pod("shop", "cart-5b7f9d6c8-z9x8c");
        Event backOff = events.stream().filter(e -> e.getReason().equals("BackOff")
                && e.getInvolvedObject().getName().equals("cart-5b7f9d6c8-z9x8c")).findFirst().orElseThrow();
        assertEquals(crash.getMetadata().getUid(), backOff.getInvolvedObject().getUid());
        assertEquals("Warning", backOff.getType());
        assertTrue(backOff.getCount() > 100);
        assertEquals("kubelet", backOff.getSource().getComponent());
        Event failedScheduling = events.stream().filter(e -> e.getReason().equals("FailedScheduling")).findFirst()
                .orElseThrow();
        assertNull(failedScheduling.getLastTimestamp());
        assertNotNull(failedScheduling.getEventTime());
        assertEquals(11, failedScheduling.getSeries().getCount());
        assertTrue(events.stream().anyMatch(e -> e.getReason().equals("NodeNotReady")
                && e.getInvolvedObject().getName().equals("worker-3")));
        assertTrue(events.stream().anyMatch(e -> e.getReason().equals("ScalingReplicaSet")));
        assertTrue(events.stream().anyMatch(e -> e.getReason().equals("Failed")
                && e.getMessage().startsWith("Failed to pull image")));
        assertTrue(events.stream().anyMatch(e -> e.getMetadata().getNamespace().equals("istio-system")
                && e.getInvolvedObject().getName().startsWith("istiod")));
    }

    @Test
    void hpaTargetsFrontend() {
        HorizontalPodAutoscaler hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace("shop")
                .withName("frontend").get();
        assertEquals("frontend", hpa.getSpec().getScaleTargetRef().getName());
        assertEquals(3, hpa.getStatus().getCurrentReplicas());
    }

    @Test
    void statusIsPreservedAsWritten() {
        Node w3 = client.nodes().withName("worker-3").get();
        assertEquals("Kubelet stopped posting node status.", condition(w3, "Ready").getMessage());
        Pod pod = pod("shop", "frontend-7d4b9c8f6-m4q7z");
        assertEquals("10.244.2.10", pod.getStatus().getPodIP());
        assertTrue(status(pod, "frontend").getContainerID().startsWith("containerd://"));
    }

    // --- helpers

    static Pod pod(String ns, String name) {
        return client.pods().inNamespace(ns).withName(name).get();
    }

    private static String container(Pod p, String name) {
        return p.getSpec().getContainers().stream().filter(c -> c.getName().equals(name)).map(c -> c.getImage())
                .findFirst().orElse(null);
    }

    private static ContainerStatus status(Pod p, String name) {
        return p.getStatus().getContainerStatuses().stream().filter(c -> c.getName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static String podCondition(Pod p, String type) {
        return p.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow()
                .getStatus();
    }

    private static String deploymentCondition(Deployment d, String type) {
        return d.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow()
                .getStatus();
    }

    private static void assertReplicas(Deployment d, int desired, Integer ready) {
        assertEquals(desired, d.getSpec().getReplicas(), d.getMetadata().getName());
        assertEquals(ready, d.getStatus().getReadyReplicas(), d.getMetadata().getName());
        assertEquals(desired, d.getStatus().getReplicas(), d.getMetadata().getName());
    }

    private static NodeCondition condition(Node n, String type) {
        return n.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
    }

    private static Map<String, String> subset(Map<String, String> map, String... keys) {
        return Set.of(keys).stream().collect(Collectors.toMap(k -> k, map::get));
    }

    static <T extends HasMetadata> Map<String, T> byName(List<T> items) {
        return items.stream().collect(Collectors.toMap(i -> i.getMetadata().getName(), Function.identity()));
    }

    static <T extends HasMetadata> Map<String, T> byKey(List<T> items) {
        return items.stream().collect(Collectors.toMap(i -> i.getMetadata().getNamespace() + "/"
                + i.getMetadata().getName(), Function.identity()));
    }

    private static X509Certificate certificate(Secret secret) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(
                Base64.getDecoder().decode(secret.getData().get("tls.crt"))));
    }

    private static byte[] der(String base64Pem, String type) {
        String pem = new String(Base64.getDecoder().decode(base64Pem), java.nio.charset.StandardCharsets.US_ASCII);
        String body = pem.replace("-----BEGIN " + type + "-----", "").replace("-----END " + type + "-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
