package io.cloudpilot.platform.http;

import java.util.List;
import java.util.Map;

import io.cloudpilot.k8s.syntax.Names;
import io.cloudpilot.spi.ApiException;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;

/**
 * Validates the query parameters every endpoint shares, once, before any resource runs: booleans are
 * {@code true}/{@code false} only, numbers are in range, Kubernetes names are valid, no parameter is given
 * twice. Resources can then bind them with plain {@code @QueryParam} types.
 */
@Provider
@PreMatching
@Priority(Priorities.USER)
public class QueryParamsFilter implements ContainerRequestFilter {


    static final List<String> BOOLEANS = List.of("force_refresh", "previous", "timestamps", "dry_run",
            "has_errors");
    /** name → {min, max}. */
    static final Map<String, long[]> NUMBERS = Map.of(
            "page", new long[] {1, 1_000_000},
            "page_size", new long[] {1, 1000},
            "lines", new long[] {1, 10_000},
            "since_seconds", new long[] {1, 10L * 365 * 24 * 3600});
    private static final List<String> LABEL_NAMES = List.of("cluster_name", "namespace", "container");
    private static final List<String> OBJECT_NAMES = List.of("node_name", "pod_name", "deployment_name",
            "service_name", "resource_name", "name", "gateway_name", "virtualservice_name", "destinationrule_name");

    @Override
    public void filter(ContainerRequestContext request) {
        MultivaluedMap<String, String> params = request.getUriInfo().getQueryParameters();
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            if (e.getValue().size() > 1) {
                throw new ApiException.ValidationError("Query parameter '" + e.getKey() + "' is given "
                        + e.getValue().size() + " times; give it once.");
            }
        }
        for (String name : BOOLEANS) {
            String v = params.getFirst(name);
            if (v != null && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new ApiException.ValidationError("Query parameter '" + name + "' must be true or false.");
            }
        }
        for (Map.Entry<String, long[]> e : NUMBERS.entrySet()) {
            String v = params.getFirst(e.getKey());
            if (v == null) {
                continue;
            }
            long min = e.getValue()[0];
            long max = e.getValue()[1];
            long n;
            try {
                n = Long.parseLong(v.trim());
            } catch (NumberFormatException ex) {
                n = Long.MIN_VALUE;
            }
            if (n < min || n > max) {
                throw new ApiException.ValidationError("Query parameter '" + e.getKey() + "' must be a whole number from "
                        + min + " to " + max + ".");
            }
        }
        String order = params.getFirst("sort_order");
        if (order != null && !order.equalsIgnoreCase("asc") && !order.equalsIgnoreCase("desc")) {
            throw new ApiException.ValidationError("Query parameter 'sort_order' must be asc or desc.");
        }
        for (String name : LABEL_NAMES) {
            String v = params.getFirst(name);
            if (v != null && !v.isEmpty() && !Names.isDns1123Label(v)) {
                throw new ApiException.ValidationError("Query parameter '" + name + "' is not a valid Kubernetes name: "
                        + "use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit.");
            }
        }
        for (String name : OBJECT_NAMES) {
            String v = params.getFirst(name);
            if (v != null && !v.isEmpty() && !Names.isDns1123Subdomain(v)) {
                throw new ApiException.ValidationError("Query parameter '" + name + "' is not a valid Kubernetes object "
                        + "name: use at most 253 lower-case letters, digits, '-' and '.'.");
            }
        }
    }
}
