package io.cloudpilot.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cloudpilot.sandbox.SandboxCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Checks that an endpoint's cold path (a {@code force_refresh=true} request) makes exactly the calls to the cluster
 * it needs, however many objects there are: the same request is made against the test server's default sandbox
 * ({@code sandbox}, 28 pods) and a scaled one ({@code big}), and the API server requests each one made are counted
 * on the sandbox itself. The scaled sandbox has the default fixtures plus generated pods, nodes, Services and Istio
 * objects in namespaces of their own, and {@value #COPIES} copies of every object of the {@link #SCOPES} namespaces
 * (pods moved onto {@value #NODE}), so an endpoint scoped to one namespace or node sees its scope grow too.
 *
 * <pre>{@code
 * try (UpstreamCallBounds bounds = UpstreamCallBounds.start(1_500, 60, 150)) {
 *     bounds.assertColdCalls("/k8s/overview/cluster", 7);
 * }
 * }</pre>
 */
public final class UpstreamCallBounds implements AutoCloseable {

    /** The cluster name of the scaled sandbox. */
    public static final String BIG = "big";
    /** The namespaces whose objects the scaled sandbox holds {@value #COPIES} copies of. */
    public static final List<String> SCOPES = List.of("shop", "payments", "istio-system");
    /** The node the copied pods run on. */
    public static final String NODE = "worker-1";
    /** Copies of each object of the {@link #SCOPES} namespaces. */
    public static final int COPIES = 20;
    /** The kinds copied: {apiVersion, kind}. */
    private static final List<List<String>> COPIED_KINDS = List.of(List.of("v1", "Pod"), List.of("v1", "Service"),
            List.of("v1", "Event"), List.of("apps/v1", "Deployment"), List.of("apps/v1", "ReplicaSet"),
            List.of("networking.istio.io/v1", "VirtualService"), List.of("networking.istio.io/v1", "DestinationRule"),
            List.of("networking.istio.io/v1", "Gateway"));

    private final CloudPilotTestServer server;
    private final SandboxCluster big;
    private final List<String> report = new ArrayList<>();

    private UpstreamCallBounds(CloudPilotTestServer server, SandboxCluster big) {
        this.server = server;
        this.big = big;
    }

    /**
     * Starts a server-mode test server on the default sandbox and registers a scaled sandbox as {@link #BIG}.
     *
     * @param pods         pods added to the scaled sandbox
     * @param nodes        nodes added
     * @param istioObjects VirtualServices (and DestinationRules) added
     * @return the running pair
     */
    public static UpstreamCallBounds start(int pods, int nodes, int istioObjects) {
        SandboxCluster big = SandboxCluster.startScaled(0, pods, nodes, istioObjects);
        try {
            copyScopes(big.client());
            CloudPilotTestServer server = CloudPilotTestServer.builder().mode("server").start();
            server.registerCluster(BIG, big);
            return new UpstreamCallBounds(server, big);
        } catch (RuntimeException e) {
            big.close();
            throw e;
        }
    }

    /**
     * Adds {@value #COPIES} copies of every object of the {@link #SCOPES} namespaces, through the API, pods on
     * {@value #NODE}: copies carry the originals' labels and references, so they match the same selectors and
     * events name the same objects.
     */
    private static void copyScopes(KubernetesClient admin) {
        for (String namespace : SCOPES) {
            for (List<String> kind : COPIED_KINDS) {
                var resources = admin.genericKubernetesResources(kind.get(0), kind.get(1)).inNamespace(namespace);
                for (GenericKubernetesResource original : resources.list().getItems()) {
                    for (int i = 1; i <= COPIES; i++) {
                        GenericKubernetesResource copy = admin.getKubernetesSerialization().clone(original);
                        ObjectMeta meta = copy.getMetadata();
                        meta.setName(meta.getName() + "-copy-" + i);
                        meta.setUid(null);
                        meta.setResourceVersion(null);
                        if (copy.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec) {
                            @SuppressWarnings("unchecked") // a JSON object read by the client
                            Map<String, Object> fields = (Map<String, Object>) spec;
                            fields.remove("clusterIP"); // a Service's address is its own
                            fields.remove("clusterIPs");
                            if (fields.get("nodeName") != null) {
                                fields.put("nodeName", NODE);
                            }
                        }
                        resources.resource(copy).create();
                    }
                }
            }
        }
    }

    /** @return the test server */
    public CloudPilotTestServer server() {
        return server;
    }

    /** @return the scaled sandbox */
    public SandboxCluster big() {
        return big;
    }

    /**
     * Counts the API server requests of one cold request: the request is made once normally (so discovery and
     * anything else cached for longer than a request is in place), then with {@code force_refresh=true}, counted.
     *
     * @param cluster     the sandbox
     * @param clusterName its registered name
     * @param path        the endpoint with its query, without {@code cluster_name} and {@code force_refresh}
     * @return the requests the sandbox served for the cold request
     */
    public long coldCalls(SandboxCluster cluster, String clusterName, String path) {
        String url = path + (path.contains("?") ? "&" : "?") + "cluster_name=" + clusterName;
        ApiResponse warm = server.client().get(url);
        if (warm.status() != 200) {
            throw new AssertionError(url + " answered " + warm);
        }
        cluster.resetRequestCounts();
        ApiResponse cold = server.client().get(url + "&force_refresh=true");
        long calls = cluster.requestCount();
        if (cold.status() != 200) {
            throw new AssertionError(url + "&force_refresh=true answered " + cold);
        }
        return calls;
    }

    /**
     * Asserts that a cold request makes exactly {@code expected} upstream calls on the small and on the big cluster.
     * An endpoint that ignores {@code force_refresh} makes none (it answers from the cache) and fails, as does one
     * whose calls grow with the objects in its scope.
     *
     * @param path     the endpoint with its query, without {@code cluster_name} and {@code force_refresh}
     * @param expected the calls the endpoint needs (one read per kind it shows), at least 1
     * @return the calls on each cluster
     */
    public Map<String, Long> assertColdCalls(String path, long expected) {
        if (expected < 1) {
            throw new IllegalArgumentException("a cold request reads the cluster at least once: " + expected);
        }
        long small = coldCalls(server.sandbox(), "sandbox", path);
        long large = coldCalls(big, BIG, path);
        report.add(path + ": " + small + " / " + large);
        if (small != expected || large != expected) {
            throw new AssertionError(path + ": a cold request made " + small + " upstream calls on the 28-pod sandbox "
                    + "and " + large + " on the scaled one, expected " + expected + " on both"
                    + (small == 0 || large == 0 ? " (0: force_refresh was not honoured)"
                    : large != small ? " (the number of calls grows with the cluster)" : ""));
        }
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("sandbox", small);
        out.put(BIG, large);
        return out;
    }

    /** @return one line per checked endpoint: path, calls on the small and the big cluster */
    public List<String> report() {
        return List.copyOf(report);
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            big.close();
        }
    }
}
