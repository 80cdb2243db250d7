package io.cloudpilot.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.cloudpilot.sandbox.SandboxCluster;

/**
 * Checks that an endpoint's cold path (a {@code force_refresh=true} request) makes a number of calls to the cluster
 * that does not grow with the number of objects in it: the same request is made against the test server's default
 * sandbox ({@code sandbox}, 28 pods) and a scaled one ({@code big}, the default fixtures plus generated pods, nodes,
 * Services and Istio objects), and the API server requests each one made are counted on the sandbox itself.
 *
 * <pre>{@code
 * try (UpstreamCallBounds bounds = UpstreamCallBounds.start(1_500, 60, 150)) {
 *     bounds.assertBounded("/k8s/overview/cluster", 8);
 * }
 * }</pre>
 */
public final class UpstreamCallBounds implements AutoCloseable {

    /** The cluster name of the scaled sandbox. */
    public static final String BIG = "big";

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
            CloudPilotTestServer server = CloudPilotTestServer.builder().mode("server").start();
            server.registerCluster(BIG, big);
            return new UpstreamCallBounds(server, big);
        } catch (RuntimeException e) {
            big.close();
            throw e;
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
     * Asserts that a cold request makes the same number of upstream calls on the small and the big cluster, and at
     * most {@code bound}.
     *
     * @param path  the endpoint with its query, without {@code cluster_name} and {@code force_refresh}
     * @param bound the most calls the endpoint may make
     * @return the calls on each cluster
     */
    public Map<String, Long> assertBounded(String path, long bound) {
        long small = coldCalls(server.sandbox(), "sandbox", path);
        long large = coldCalls(big, BIG, path);
        report.add(path + ": " + small + " / " + large);
        if (large != small) {
            throw new AssertionError(path + ": a cold request made " + small + " upstream calls on the 28-pod sandbox "
                    + "but " + large + " on the scaled one: the number of calls grows with the cluster");
        }
        if (large > bound) {
            throw new AssertionError(path + ": a cold request made " + large + " upstream calls, more than its bound "
                    + bound);
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
