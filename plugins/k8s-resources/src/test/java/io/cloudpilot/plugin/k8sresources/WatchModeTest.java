package io.cloudpilot.plugin.k8sresources;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.cloudpilot.sandbox.SandboxCluster;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cache.mode=watch} against the sandbox: lists served from informers cost no call to the cluster once
 * started, a change in the cluster shows within a second, {@code force_refresh=true} still reads live, and an
 * informer unused for {@code cache.watch.idle} is stopped (the next read lists again). The one-second bound is a
 * functional bound (polled), not a benchmark.
 */
@CloudPilotTest(mode = "server", config = {"cloudpilot.cache.mode=watch", "cloudpilot.cache.watch.idle=PT3S"})
class WatchModeTest {

    private static final String PODS = "/k8s/resources/pods/list?cluster_name=sandbox&namespace=shop";
    private static CloudPilotTestServer server;

    private static ApiResponse get(String path) {
        ApiResponse r = server.client().get(path);
        assertEquals(200, r.status(), path + " " + r);
        return r;
    }

    private static long listRequests(SandboxCluster sandbox, String path) {
        return sandbox.requestCount("GET", path);
    }

    @Test
    void steadyStateReadsCostNoUpstreamCall() {
        SandboxCluster sandbox = server.sandbox();
        List<String> paths = List.of(PODS, "/k8s/resources/deployments/list?cluster_name=sandbox",
                "/k8s/resources/services/list?cluster_name=sandbox&namespace=shop",
                "/k8s/resources/nodes/list?cluster_name=sandbox");
        paths.forEach(WatchModeTest::get); // starts the informers
        sandbox.resetRequestCounts();
        for (int i = 0; i < 10; i++) {
            for (String path : paths) {
                ApiResponse r = get(path);
                assertEquals("HIT", r.header("X-Cache").orElseThrow(), path);
            }
        }
        assertEquals(0, sandbox.requestCount(), "40 reads of watched kinds made no request to the cluster");
        int watched = get(PODS).data().path("total").asInt();
        int live = get(PODS + "&force_refresh=true").data().path("total").asInt();
        assertTrue(watched > 0);
        assertEquals(live, watched, "the watch serves what the cluster lists");
    }

    @Test
    void aChangeInTheClusterShowsWithinASecond() throws InterruptedException {
        get(PODS);
        SandboxCluster sandbox = server.sandbox();
        Pod pod = new PodBuilder().withNewMetadata().withName("watch-probe").withNamespace("shop")
                .withLabels(Map.of("app", "watch-probe")).endMetadata()
                .withNewSpec().addNewContainer().withName("main").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus().build();
        sandbox.client().pods().inNamespace("shop").resource(pod).create();
        try {
            assertTrue(seenWithin(Duration.ofSeconds(1), true), "a created pod is listed within 1 s");
        } finally {
            sandbox.client().pods().inNamespace("shop").withName("watch-probe").delete();
        }
        assertTrue(seenWithin(Duration.ofSeconds(1), false), "a deleted pod is gone from the list within 1 s");
    }

    private static boolean seenWithin(Duration bound, boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        do {
            JsonNode pods = get(PODS + "&label_selector=app%3Dwatch-probe").data().path("pods");
            if ((pods.size() == 1) == present) {
                return true;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return false;
    }

    @Test
    void forceRefreshReadsLive() {
        SandboxCluster sandbox = server.sandbox();
        get(PODS);
        long before = listRequests(sandbox, "/api/v1/namespaces/shop/pods");
        ApiResponse r = get(PODS + "&force_refresh=true");
        assertEquals("BYPASS", r.header("X-Cache").orElseThrow());
        assertEquals(before + 1, listRequests(sandbox, "/api/v1/namespaces/shop/pods"),
                "force_refresh listed the pods from the cluster");
    }

    @Test
    void anIdleInformerIsStoppedAndTheNextReadListsAgain() throws InterruptedException {
        SandboxCluster sandbox = server.sandbox();
        String events = "/k8s/resources/events/cluster?cluster_name=sandbox";
        get(events);
        get(events);
        long lists = listRequests(sandbox, "/api/v1/events");
        get(events);
        assertEquals(lists, listRequests(sandbox, "/api/v1/events"), "a running informer serves without listing");
        Thread.sleep(6_000); // idle PT3S, checked every 750 ms
        get(events);
        long after = listRequests(sandbox, "/api/v1/events");
        assertTrue(after > lists, "after the idle time the informer was stopped, and a read listed again");
        assertFalse(after > lists + 2, "one new informer, not one list per read: " + (after - lists));
    }
}
