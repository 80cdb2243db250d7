package io.cloudpilot.spi;

/**
 * Resolves the {@code cluster_name} of a request to a cluster, the same way in every plugin.
 *
 * <p>In server mode the name is required and must be registered; in instant mode it is optional and, when
 * given, must be the instant cluster's name. Resolution errors are the SPI's exceptions:
 * {@link ApiException.ValidationError} (400) for a missing or malformed name, {@link ApiException.ClusterNotFound}
 * (404) for an unknown one, {@link ApiException.ClusterUnavailable} (503) when no client can be built.
 */
public interface Clusters {

    /**
     * The server's mode.
     */
    enum Mode {
        /** A registry of many clusters, added through the API. */
        SERVER,
        /** The one cluster of the in-cluster config or the local kubeconfig. */
        INSTANT
    }

    /**
     * @return the mode this server runs in
     */
    Mode mode();

    /**
     * @param clusterName the request's {@code cluster_name}, {@code null} or blank when absent
     * @return the cluster
     * @throws ApiException when the name is missing, unknown, or the cluster's client cannot be built
     */
    ClusterContext resolve(String clusterName);
}
