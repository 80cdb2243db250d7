package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.testkit.UpstreamCallBounds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No endpoint's cold path ({@code force_refresh=true}) makes a number of calls to the cluster that grows with the
 * number of objects in it (no call per node, pod or namespace): the same request costs as many upstream calls on
 * the 28-pod sandbox as on a scaled one with 1,500 more pods on 60 more nodes (and 20 copies of every object of shop,
 * payments and istio-system, pods on worker-1, so the scoped rows see their scope grow), and exactly the calls it
 * needs: one list per kind it shows (the capacity of every node once made one metrics call per node; 0 would mean
 * force_refresh was ignored).
 */
class UpstreamCallBoundsTest {

    private static UpstreamCallBounds bounds;

    @BeforeAll
    static void start() {
        bounds = UpstreamCallBounds.start(1_500, 60, 150);
    }

    @AfterAll
    static void stop() {
        if (bounds != null) {
            System.out.println("upstream calls per cold request (sandbox / big): " + bounds.report());
            bounds.close();
        }
    }

    @ParameterizedTest(name = "{0} makes exactly {1} upstream calls")
    @CsvSource(delimiter = '|', value = {
            "/k8s/cluster/info|2",
            "/k8s/overview/cluster|7",
            "/k8s/resources/nodes/list|1",
            "/k8s/resources/nodes/capacity|3",
            "/k8s/resources/nodes/detail?node_name=worker-1|3",
            "/k8s/resources/pods/list?page_size=100|1",
            "/k8s/resources/pods/list?namespace=shop|1",
            "/k8s/resources/pods/detail?namespace=shop&pod_name=cart-5b7f9d6c8-z9x8c|2",
            "/k8s/resources/deployments/list|1",
            "/k8s/resources/deployments/detail?namespace=shop&deployment_name=frontend|4",
            "/k8s/resources/services/list|2",
            "/k8s/resources/services/detail?namespace=shop&service_name=frontend|3",
            "/k8s/resources/events/cluster|1",
            "/k8s/resources/events/namespace?namespace=shop|1",
            "/k8s/resources/events/resource?namespace=shop&resource_kind=Deployment&resource_name=cart|4",
    })
    void coldRequestMakesABoundedNumberOfUpstreamCalls(String path, long calls) {
        bounds.assertColdCalls(path, calls);
    }
}
