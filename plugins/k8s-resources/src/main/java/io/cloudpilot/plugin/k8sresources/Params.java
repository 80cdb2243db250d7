package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.spi.ApiException;

/**
 * The descriptions of shared query parameters (they become the OpenAPI document) and the checks the platform's
 * filter cannot make: which parameters an endpoint requires.
 */
final class Params {

    static final String CLUSTER = "The cluster: required in server mode; in instant mode optional and, if given, the "
            + "instant cluster's name.";
    static final String REFRESH = "true: read from the cluster and refresh the cache; false (default): use cached data "
            + "younger than the TTL.";
    static final String NAMESPACE_FILTER = "Only this namespace (DNS-1123 label); all namespaces when absent.";
    static final String LABEL_SELECTOR = "Kubernetes label selector, passed to the cluster, e.g. app=frontend,version in (v1,v2).";
    static final String FIELD_SELECTOR = "Kubernetes field selector, passed to the cluster, e.g. spec.nodeName=worker-1 "
            + "(only the fields the API server supports for this kind).";
    static final String PAGE = "Page number, from 1 (default 1).";
    static final String PAGE_SIZE = "Items per page, 1..1000 (default 100).";
    static final String SORT_ORDER = "asc (default) or desc.";

    private Params() {
    }

    static String require(String value, String name, String what) {
        if (value == null || value.isBlank()) {
            throw new ApiException.ValidationError("Query parameter '" + name + "' is required: " + what + ".");
        }
        return value.trim();
    }
}
