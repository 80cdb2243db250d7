package io.cloudpilot.platform.cluster;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;

/**
 * Server mode: clusters registered through {@code POST /k8s/cluster/add}; every cluster-scoped request names
 * one in {@code cluster_name}.
 */
public final class ServerClusters implements Clusters, AutoCloseable {

    @Override
    public Mode mode() {
        return Mode.SERVER;
    }

    @Override
    public ClusterContext resolve(String clusterName) {
        if (clusterName == null || clusterName.isBlank()) {
            throw new ApiException.ValidationError("Query parameter 'cluster_name' is required in server mode: name "
                    + "one of the clusters of GET /k8s/cluster/list.");
        }
        throw new ApiException.ClusterNotFound("No cluster named '" + clusterName + "' is registered: see "
                + "GET /k8s/cluster/list, or register it with POST /k8s/cluster/add.");
    }

    @Override
    public void close() {
    }
}
