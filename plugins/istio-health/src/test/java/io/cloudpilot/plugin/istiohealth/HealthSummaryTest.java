package io.cloudpilot.plugin.istiohealth;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.BareApiServer;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.cloudpilot.testkit.PluginJars;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /istio/health/summary} on the sandbox, in server mode, with two third-party contributors (one
 * reports a critical finding, one fails) and a second cluster that has no Istio.
 */
class HealthSummaryTest {

    private static CloudPilotTestServer server;
    private static BareApiServer bare;

    @BeforeAll
    static void start() throws Exception {
        Path plugins = Files.createTempDirectory("plugins-");
        PluginJars.build(plugins.resolve("extra.jar"), contributorPlugin("ext.extra", "mesh-extra",
                        "return new Contribution(List.of(new Finding(\"ExtraCritical\", Severity.CRITICAL, "
                                + "\"the extra check found something critical\", \"/extra\")), Map.of(\"checked\", 3));"),
                Map.of("Plugin-Id", "mesh-extra", "Plugin-Spi-Version", "1"), "ext.extra.ExtraPlugin");
        PluginJars.build(plugins.resolve("flaky.jar"), contributorPlugin("ext.flaky", "flaky",
                        "throw new ApiException.Forbidden(\"cluster RBAC forbids listing peerauthentications\", null);"),
                Map.of("Plugin-Id", "flaky", "Plugin-Spi-Version", "1"), "ext.flaky.ExtraPlugin");
        server = CloudPilotTestServer.builder().mode("server").pluginDirs(plugins).start();

        bare = BareApiServer.start();
        Path kubeconfig = bare.writeKubeconfig(server.dataDir().resolve("bare-kubeconfig.yaml"), "bare");
        server.registerCluster("bare", kubeconfig);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (bare != null) {
            bare.close();
        }
    }

    private static Map<String, String> contributorPlugin(String pkg, String id, String body) {
        return Map.of(pkg + ".ExtraPlugin", """
                package %1$s;
                import java.util.List;
                import java.util.Map;
                import io.cloudpilot.spi.*;
                public class ExtraPlugin implements Plugin {
                    public String id() { return "%2$s"; }
                    public List<HealthContributor> healthContributors() {
                        return List.of(new HealthContributor() {
                            public String id() { return "%2$s"; }
                            public Contribution contribute(ClusterContext cluster, boolean forceRefresh) { %3$s }
                        });
                    }
                }
                """.formatted(pkg, id, body.replace("Contribution(", "HealthContributor.Contribution(")
                .replace("new Finding(", "new HealthContributor.Finding(")));
    }

    private static JsonNode summary() {
        ApiResponse r = server.client().get("/istio/health/summary?cluster_name=sandbox");
        assertEquals(200, r.status(), r.toString());
        return r.data();
    }

    /**
     * Counted by hand in the sandbox's fixtures (30-shop.yaml, 40-payments.yaml): shop runs 8 pods (frontend 3,
     * frontend-v2 1, cart 2, catalog 2; catalog-migrate has Succeeded), payments 2 (payments-api; ledger is Pending,
     * ledger-reconcile Failed); only catalog-6c9f8b7d5-l5k3j has no istio-proxy: 9 of 10, 90.0 %.
     */
    @Test
    void sidecarCoverageComesFromTheFixture() {
        JsonNode dp = summary().path("data_plane");
        assertEquals("1.22.1", dp.path("control_plane_version").asString());
        assertEquals(2, dp.path("injected_namespaces").asInt(), "shop (istio-injection) and payments (istio.io/rev)");
        JsonNode shop = StreamSupport.stream(dp.path("namespaces").spliterator(), false)
                .filter(n -> n.path("namespace").asString().equals("shop")).findFirst().orElseThrow();
        assertEquals(1, shop.path("without_sidecar").asInt());
        assertEquals("catalog-6c9f8b7d5-l5k3j", shop.path("pods_without_sidecar").path(0).asString());
        assertEquals(10, dp.path("pods_in_injected_namespaces").asInt(), "running pods of shop (8) and payments (2)");
        assertEquals(90.0, dp.path("sidecar_coverage_percent").asDouble(), 0.001, dp.toString());
    }

    @Test
    void versionSkewIsFlagged() {
        JsonNode data = summary();
        JsonNode old = StreamSupport.stream(data.path("data_plane").path("proxy_versions").spliterator(), false)
                .filter(v -> v.path("version").asString().equals("1.20.0")).findFirst().orElseThrow();
        assertEquals(2, old.path("pods").asInt(), "payments-api's two sidecars");
        assertEquals(2, old.path("skew").asInt());
        assertEquals("warning", old.path("severity").asString());
        assertTrue(issues(data).stream().anyMatch(i -> i.path("code").asString().equals("ProxyVersionSkew")));
    }

    @Test
    void topIssuesAreCriticalFirstWithEndpoints() {
        JsonNode data = summary();
        List<JsonNode> issues = issues(data);
        assertEquals("ExtraCritical", issues.getFirst().path("code").asString(), "a third-party contributor's finding");
        assertEquals("mesh-extra", issues.getFirst().path("source").asString());
        assertTrue(issues.stream().anyMatch(i -> i.path("code").asString().equals("SidecarMissing")
                && i.path("endpoint").asString().equals("/k8s/resources/pods/list?cluster_name=sandbox&namespace=shop")));
        boolean seenNonCritical = false;
        for (JsonNode i : issues) {
            boolean critical = i.path("severity").asString().equals("critical");
            assertFalse(critical && seenNonCritical, "critical before warning: " + issues);
            seenNonCritical |= !critical;
        }
        assertEquals("critical", data.path("status").asString());
        assertEquals(3, data.path("contributions").path("mesh-extra").path("checked").asInt());
    }

    /**
     * The data plane dimension counts every problem the fixture has, by hand: payments/ledger 0/1 ready (critical,
     * 20), shop/cart 1/2 ready (warning, 5), catalog-6c9f8b7d5-l5k3j without a sidecar (5), payments-api's two pods on
     * proxy 1.20.0 against istiod 1.22.1 (warning each, 10): 40. This module's server has no other built-in
     * contributor; this class adds mesh-extra's one critical finding (20) and a failing one (nothing): penalty 60,
     * score by the documented rule 100 * 100 / (100 + 60) = 62.5.
     */
    @Test
    void scoreCountsEveryProblemAndExplainsItPerDimension() {
        JsonNode data = summary();
        assertEquals(2, data.path("data_plane").path("unready_workloads").asInt(), data.path("data_plane").toString());
        JsonNode dimensions = data.path("dimensions");
        JsonNode dataPlane = dimension(dimensions, "data_plane");
        assertEquals(40, dataPlane.path("penalty").asInt(), dataPlane.toString());
        assertThat(dataPlane.path("made_of").toString()).as(dataPlane.toString()).contains("WorkloadNotReady");
        assertEquals(20, dimension(dimensions, "mesh-extra").path("penalty").asInt());
        assertEquals(2, dimensions.size(), dimensions.toString());
        assertEquals(60, data.path("penalty").asInt(), dimensions.toString());
        assertEquals(62.5, data.path("score").asDouble(), 0.0001, "score follows the documented rule: " + data.path("rules"));
        assertTrue(issues(data).stream().anyMatch(i -> i.path("code").asString().equals("WorkloadNotReady")
                && i.path("endpoint").asString().startsWith("/k8s/resources/deployments/detail?cluster_name=sandbox")));
    }

    private static JsonNode dimension(JsonNode dimensions, String name) {
        for (JsonNode d : dimensions) {
            if (d.path("name").asString().equals(name)) {
                return d;
            }
        }
        throw new AssertionError("no dimension " + name + " in " + dimensions);
    }

    @Test
    void failingContributorMakesThePartialNotAFailure() {
        JsonNode data = summary();
        assertEquals("partial", data.path("confidence").asString());
        JsonNode partial = data.path("partial").path(0);
        assertEquals("flaky", partial.path("contributor").asString());
        assertThat(partial.path("reason").asString()).as(partial.toString()).contains("RBAC");
    }

    @Test
    void clusterWithoutIstioIsNotInstalledNotAnError() {
        ApiResponse r = server.client().get("/istio/health/summary?cluster_name=bare");
        assertEquals(200, r.status(), r.toString());
        assertEquals("not_installed", r.data().path("status").asString());
        assertNull(r.data().path("score").isNull() ? null : r.data().path("score"));
        assertThat(r.data().path("summary").asString()).contains("not installed");
    }

    @Test
    void readAtIsWhenTheDataWasReadAsAgeSays() throws Exception {
        ApiResponse fresh = server.client().get("/istio/health/summary?cluster_name=sandbox&force_refresh=true");
        assertEquals(200, fresh.status(), fresh.toString());
        Instant readAt = Instant.parse(fresh.data().path("read_at").asString());
        Thread.sleep(2200);
        ApiResponse cached = server.client().get("/istio/health/summary?cluster_name=sandbox");
        Instant answered = Instant.now();
        assertEquals("HIT", cached.header("X-Cache").orElseThrow());
        assertEquals(fresh.data().path("read_at").asString(), cached.data().path("read_at").asString(),
                "read_at does not move while the answer comes from the cache");
        long age = Long.parseLong(cached.header("Age").orElseThrow());
        long sinceReadAt = Duration.between(readAt, answered).toSeconds();
        assertTrue(age >= 2 && Math.abs(sinceReadAt - age) <= 1, "Age " + age + " counts from read_at " + readAt);
    }

    @Test
    void warmSummaryMakesNoUpstreamCall() {
        server.client().get("/istio/health/summary?cluster_name=sandbox&force_refresh=true");
        long before = server.sandbox().requestCount();
        ApiResponse r = server.client().get("/istio/health/summary?cluster_name=sandbox");
        assertEquals(200, r.status());
        assertEquals(before, server.sandbox().requestCount(), "served from the shared cache");
        assertEquals("HIT", r.header("X-Cache").orElseThrow());
    }

    private static List<JsonNode> issues(JsonNode data) {
        List<JsonNode> list = new ArrayList<>();
        data.path("top_issues").forEach(list::add);
        return list;
    }
}
