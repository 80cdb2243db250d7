package io.cloudpilot.plugin.istioconfig;

import io.cloudpilot.testkit.UpstreamCallBounds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * No endpoint's cold path ({@code force_refresh=true}) makes a number of calls to the cluster that grows with the
 * number of objects in it (no call per VirtualService, pod or namespace): the same request costs as many upstream
 * calls on the 28-pod sandbox as on a scaled one with 1,500 more pods and 300 more VirtualServices and
 * DestinationRules (and 20 copies of every object of shop, payments and istio-system), and exactly the calls it
 * needs, one read per kind (0 would mean force_refresh was ignored).
 */
class UpstreamCallBoundsTest {

    private static UpstreamCallBounds bounds;

    @BeforeAll
    static void start() {
        bounds = UpstreamCallBounds.start(1_500, 60, 300);
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
            "/api/istio/virtualservice/list|9",
            "/api/istio/virtualservice/list?namespace=shop&has_errors=true|9",
            "/api/istio/virtualservice/detail?namespace=shop&virtualservice_name=cart|9",
            "/api/istio/gateway/list|9",
            "/api/istio/gateway/detail?namespace=istio-system&gateway_name=shop-gateway|9",
            "/api/istio/destinationrule/list|9",
            "/api/istio/destinationrule/detail?namespace=shop&destinationrule_name=cart|9",
    })
    void coldRequestMakesABoundedNumberOfUpstreamCalls(String path, long calls) {
        bounds.assertColdCalls(path, calls);
    }
}
