package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.ContainerMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.NodeMetrics;
import io.fabric8.kubernetes.api.model.metrics.v1beta1.PodMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsTest {

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
    void nodeMetricsForReadyNodesBelowAllocatable() {
        List<NodeMetrics> metrics = client.top().nodes().metrics().getItems();
        assertEquals(List.of("control-plane-1", "worker-1", "worker-2"), metrics.stream().map(m -> m.getMetadata()
                .getName()).toList());
        Map<String, Node> nodes = client.nodes().list().getItems().stream().collect(Collectors.toMap(n -> n.getMetadata()
                .getName(), n -> n));
        for (NodeMetrics m : metrics) {
            Node node = nodes.get(m.getMetadata().getName());
            BigDecimal cpu = Quantity.getAmountInBytes(m.getUsage().get("cpu"));
            BigDecimal memory = Quantity.getAmountInBytes(m.getUsage().get("memory"));
            assertTrue(cpu.signum() > 0 && cpu.compareTo(Quantity.getAmountInBytes(node.getStatus().getAllocatable()
                    .get("cpu"))) < 0, m.getMetadata().getName() + " cpu " + cpu);
            assertTrue(memory.compareTo(Quantity.getAmountInBytes(node.getStatus().getAllocatable().get("memory"))) < 0);
            assertTrue(m.getUsage().get("cpu").getFormat().equals("n"));
        }
        NodeMetrics pressure = client.top().nodes().metrics("worker-2");
        double ratio = Quantity.getAmountInBytes(pressure.getUsage().get("memory")).doubleValue()
                / Quantity.getAmountInBytes(nodes.get("worker-2").getStatus().getAllocatable().get("memory")).doubleValue();
        assertTrue(ratio > 0.9 && ratio < 0.97, "worker-2 memory ratio " + ratio);
        NodeMetrics healthy = client.top().nodes().metrics("worker-1");
        double healthyRatio = Quantity.getAmountInBytes(healthy.getUsage().get("memory")).doubleValue()
                / Quantity.getAmountInBytes(nodes.get("worker-1").getStatus().getAllocatable().get("memory")).doubleValue();
        assertTrue(healthyRatio < 0.5, "worker-1 memory ratio " + healthyRatio);
    }

    @Test
    void unreachableNodeHasNoMetrics() {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.top().nodes()
                .metrics("worker-3"));
        assertEquals(404, e.getCode());
    }

    @Test
    void podMetricsPerNamespaceForRunningContainers() {
        List<PodMetrics> shop = client.top().pods().metrics("shop").getItems();
        assertEquals(Set.of("frontend-7d4b9c8f6-x2k9p", "frontend-7d4b9c8f6-m4q7z", "frontend-7d4b9c8f6-t8w5n",
                "frontend-v2-6b8d5f7c9-q7r2s", "cart-5b7f9d6c8-h4j6k", "cart-5b7f9d6c8-z9x8c", "catalog-6c9f8b7d5-b2n4m",
                "catalog-6c9f8b7d5-l5k3j"), shop.stream().map(m -> m.getMetadata().getName()).collect(Collectors.toSet()));
        PodMetrics crash = shop.stream().filter(m -> m.getMetadata().getName().equals("cart-5b7f9d6c8-z9x8c"))
                .findFirst().orElseThrow();
        assertEquals(List.of("istio-proxy"), crash.getContainers().stream().map(ContainerMetrics::getName).toList());
        PodMetrics frontend = client.top().pods().metrics("shop", "frontend-7d4b9c8f6-x2k9p");
        assertEquals(List.of("frontend", "istio-proxy"), frontend.getContainers().stream().map(ContainerMetrics::getName)
                .toList());
        ContainerMetrics app = frontend.getContainers().get(0);
        BigDecimal cpu = Quantity.getAmountInBytes(app.getUsage().get("cpu"));
        BigDecimal memory = Quantity.getAmountInBytes(app.getUsage().get("memory"));
        assertTrue(cpu.doubleValue() > 0.01 && cpu.doubleValue() < 0.5, "cpu " + cpu);
        assertTrue(memory.doubleValue() > 50e6 && memory.doubleValue() < 256 * 1024 * 1024, "memory " + memory);
        assertEquals(frontend.getMetadata().getLabels().get("app"), "frontend");
    }

    @Test
    void podMetricsAcrossNamespacesAndByLabel() {
        List<PodMetrics> all = client.top().pods().metrics().getItems();
        // 24 Running pods, minus the one on the unreachable node
        assertEquals(23, all.size());
        Map<String, Object> raw = Http.json(Http.get(cluster,
                "/apis/metrics.k8s.io/v1beta1/namespaces/istio-system/pods?labelSelector=istio%3Dingressgateway"));
        assertEquals("PodMetricsList", raw.get("kind"));
        assertEquals(2, ((List<?>) raw.get("items")).size());
        assertEquals(404, Http.get(cluster, "/apis/metrics.k8s.io/v1beta1/namespaces/payments/pods/ledger-5d6f7c8b9-p2l4k")
                .statusCode());
    }
}
