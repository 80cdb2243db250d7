package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiscoveryTest {

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
    void versionIsARealKubernetes130() {
        VersionInfo v = client.getKubernetesVersion();
        assertEquals("1", v.getMajor());
        assertEquals("30", v.getMinor());
        assertEquals("v1.30.2", v.getGitVersion());
        assertEquals("linux/amd64", v.getPlatform());
        assertEquals("go1.22.4", v.getGoVersion());
        assertEquals("clean", v.getGitTreeState());
        assertNotNull(v.getBuildDate());
    }

    @Test
    void coreApiVersions() {
        Map<String, Object> api = Http.json(Http.get(cluster, "/api"));
        assertEquals("APIVersions", api.get("kind"));
        assertEquals(List.of("v1"), api.get("versions"));
        APIResourceList core = client.getApiResources("v1");
        assertTrue(names(core).containsAll(List.of("pods", "pods/log", "nodes", "services", "events", "namespaces",
                "secrets", "configmaps", "endpoints")));
        APIResource pods = core.getResources().stream().filter(r -> r.getName().equals("pods")).findFirst().orElseThrow();
        assertEquals("Pod", pods.getKind());
        assertTrue(pods.getNamespaced());
        assertTrue(pods.getVerbs().containsAll(List.of("get", "list", "watch", "create", "patch", "delete")));
        assertEquals(List.of("po"), pods.getShortNames());
    }

    @Test
    void apiGroupsIncludeIstioMetricsAutoscalingAndEvents() {
        List<APIGroup> groups = client.getApiGroups().getGroups();
        APIGroup istio = group(groups, "networking.istio.io");
        assertEquals(List.of("v1", "v1beta1", "v1alpha3"), istio.getVersions().stream()
                .map(v -> v.getVersion()).toList());
        assertEquals("networking.istio.io/v1", istio.getPreferredVersion().getGroupVersion());
        assertEquals("v1", group(groups, "apps").getPreferredVersion().getVersion());
        assertEquals("v1beta1", group(groups, "metrics.k8s.io").getPreferredVersion().getVersion());
        assertEquals("v2", group(groups, "autoscaling").getPreferredVersion().getVersion());
        assertEquals("v1", group(groups, "events.k8s.io").getPreferredVersion().getVersion());
        assertTrue(client.supports("networking.istio.io/v1", "VirtualService"));
        assertTrue(client.hasApiGroup("networking.istio.io", false));
        assertFalse(client.hasApiGroup("gateway.networking.k8s.io", false));
    }

    @Test
    void istioResourcesAtEveryServedVersion() {
        for (String version : List.of("v1", "v1beta1", "v1alpha3")) {
            APIResourceList list = client.getApiResources("networking.istio.io/" + version);
            assertEquals("networking.istio.io/" + version, list.getGroupVersion());
            assertTrue(names(list).containsAll(List.of("gateways", "virtualservices", "destinationrules")), version);
            APIResource vs = list.getResources().stream().filter(r -> r.getName().equals("virtualservices"))
                    .findFirst().orElseThrow();
            assertEquals("VirtualService", vs.getKind());
            assertEquals(List.of("vs"), vs.getShortNames());
        }
        assertTrue(names(client.getApiResources("networking.istio.io/v1alpha3")).contains("envoyfilters"));
        assertFalse(names(client.getApiResources("networking.istio.io/v1")).contains("envoyfilters"));
    }

    @Test
    void scaleAndMetricsResources() {
        APIResource scale = client.getApiResources("apps/v1").getResources().stream()
                .filter(r -> r.getName().equals("deployments/scale")).findFirst().orElseThrow();
        assertEquals("Scale", scale.getKind());
        assertEquals("autoscaling", scale.getGroup());
        assertEquals("v1", scale.getVersion());
        assertEquals(List.of("nodes", "pods"), names(client.getApiResources("metrics.k8s.io/v1beta1")));
        assertTrue(names(client.getApiResources("autoscaling/v2")).contains("horizontalpodautoscalers"));
    }

    @Test
    void unknownGroupVersionIs404() {
        assertNull(client.getApiResources("gateway.networking.k8s.io/v1"));
        HttpResponse<String> r = Http.get(cluster, "/apis/networking.istio.io/v2");
        assertEquals(404, r.statusCode());
        assertEquals("NotFound", Http.json(r).get("reason"));
        assertEquals(404, Http.get(cluster, "/apis/no.such.group").statusCode());
        Map<String, Object> group = Http.json(Http.get(cluster, "/apis/networking.istio.io"));
        assertEquals("APIGroup", group.get("kind"));
    }

    @Test
    void rootPathsAndHealth() {
        Map<String, Object> root = Http.json(Http.get(cluster, "/"));
        @SuppressWarnings("unchecked")
        List<String> paths = (List<String>) root.get("paths");
        assertTrue(paths.containsAll(List.of("/api", "/api/v1", "/apis", "/apis/networking.istio.io/v1", "/version",
                "/healthz")));
        HttpResponse<String> healthz = Http.get(cluster, "/readyz");
        assertEquals(200, healthz.statusCode());
        assertEquals("ok", healthz.body());
    }

    private static APIGroup group(List<APIGroup> groups, String name) {
        return groups.stream().filter(g -> g.getName().equals(name)).findFirst().orElseThrow(() ->
                new AssertionError("no group " + name));
    }

    private static List<String> names(APIResourceList list) {
        return list.getResources().stream().map(APIResource::getName).filter(n -> !n.contains("/") || n.endsWith("/log"))
                .toList();
    }
}
