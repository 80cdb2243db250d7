package io.cloudpilot.plugin.istioworkloads;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.cloudpilot.sandbox.SandboxCluster;
import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's {@link HealthContributor}, as the istio-health plugin will call it, on a sandbox cluster. The SPI
 * services are the simplest real ones: a cache that always loads, a cluster context over the sandbox's client.
 */
class HealthContributorTest {

    private static SandboxCluster sandbox;
    private static final AtomicInteger LOADS = new AtomicInteger();

    @BeforeAll
    static void start() {
        sandbox = SandboxCluster.start();
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    private static HealthContributor contributor(Map<String, String> config) throws Exception {
        ResourceCache cache = new ResourceCache() {
            @Override
            public <T> T get(CacheKey key, boolean forceRefresh, Supplier<T> loader) {
                LOADS.incrementAndGet();
                return loader.get();
            }

            @Override
            public void invalidate(String cluster, io.cloudpilot.spi.CacheKind kind) {
            }
        };
        PluginContext context = new PluginContext() {
            @Override
            public String pluginId() { return "istio-workloads"; }
            @Override
            public Optional<String> config(String key) { return Optional.ofNullable(config.get(key)); }
            @Override
            public Map<String, String> configuration() { return config; }
            @Override
            public Path dataDirectory() { return Path.of("target"); }
            @Override
            public Clusters clusters() { return null; } // kept by the plugin's queries, never used by the contributor
            @Override
            public ResourceCache cache() { return cache; }
            @Override
            public AuditLog audit() { return entry -> { }; }
            @Override
            public List<HealthContributor> healthContributors() { return List.of(); }
            @Override
            public <T> void provide(Class<T> type, T instance) { } // the resources are not mounted here
        };
        IstioWorkloadsPlugin plugin = new IstioWorkloadsPlugin();
        plugin.start(context);
        assertEquals(1, plugin.healthContributors().size());
        return plugin.healthContributors().getFirst();
    }

    private static ClusterContext cluster() {
        KubernetesClient client = sandbox.client();
        return new ClusterContext() {
            @Override
            public String name() { return "sandbox"; }
            @Override
            public KubernetesClient client() { return client; }
            @Override
            public List<String> servedVersions(String group) { return List.of(); }
        };
    }

    @Test
    void reportsControlPlaneAndGatewayFindingsWithTheirEndpoint() throws Exception {
        HealthContributor c = contributor(Map.of());
        assertEquals("istio-workloads", c.id());
        HealthContributor.Contribution out = c.contribute(cluster(), false);
        List<String> codes = out.findings().stream().map(HealthContributor.Finding::code).toList();
        assertTrue(codes.contains("NoResourceLimits") && codes.contains("RestartingContainers") && codes.contains("OOMKilled"),
                codes.toString());
        HealthContributor.Finding limits = out.findings().stream().filter(f -> f.code().equals("NoResourceLimits")).findFirst().orElseThrow();
        assertEquals("/istio/workloads/istiod/detail?cluster_name=sandbox&namespace=istio-system", limits.endpoint());
        HealthContributor.Finding restarts = out.findings().stream().filter(f -> f.code().equals("RestartingContainers")).findFirst().orElseThrow();
        assertEquals("/istio/workloads/gateway/detail?cluster_name=sandbox&namespace=istio-system", restarts.endpoint());
        assertEquals(io.cloudpilot.spi.Severity.WARNING, restarts.severity());
        assertEquals(io.cloudpilot.spi.Severity.INFO, out.findings().getLast().severity(), "most severe first");

        @SuppressWarnings("unchecked") Map<String, Object> plane = (Map<String, Object>) out.details().get("control_plane");
        assertEquals(1, plane.get("found"));
        assertEquals(95, plane.get("score"));
        @SuppressWarnings("unchecked") Map<String, Object> gateways = (Map<String, Object>) out.details().get("gateways");
        @SuppressWarnings("unchecked") Map<String, Object> gateway = ((List<Map<String, Object>>) gateways.get("workloads")).getFirst();
        assertEquals("istio-ingressgateway", gateway.get("name"));
        assertEquals("1.22.1", gateway.get("version"));
        assertEquals(List.of("203.0.113.10"), gateway.get("external_addresses"));
        assertEquals(80, gateway.get("score"));
        assertTrue(LOADS.get() > 0, "reads go through the cache");
    }

    @Test
    void aNamespaceWithoutIstioIsAFindingNotAnError() throws Exception {
        HealthContributor.Contribution out = contributor(Map.of("health.namespace", "shop")).contribute(cluster(), true);
        HealthContributor.Finding missing = out.findings().getFirst();
        assertEquals("ControlPlaneNotFound", missing.code());
        assertEquals(io.cloudpilot.spi.Severity.CRITICAL, missing.severity());
        assertThat(missing.message()).as(missing.message()).contains("'shop'");
        assertTrue(out.findings().stream().anyMatch(f -> f.code().equals("NoIngressGateway")));
        @SuppressWarnings("unchecked") Map<String, Object> plane = (Map<String, Object>) out.details().get("control_plane");
        assertEquals("absent", plane.get("status"));
    }
}
