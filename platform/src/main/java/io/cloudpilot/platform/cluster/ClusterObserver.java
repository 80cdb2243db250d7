package io.cloudpilot.platform.cluster;

/**
 * Hears what each call to a cluster found, so that what CloudPilot shows about a cluster (its reachability, last
 * error and server version in {@code GET /k8s/cluster/list}) follows the real calls instead of the check made when it
 * was registered. Called on the calling thread: implementations return at once.
 */
public interface ClusterObserver {

    /** Hears nothing (instant mode has no registry to keep current). */
    ClusterObserver NONE = new ClusterObserver() {
        @Override
        public void answered(String cluster, Object result) {
        }

        @Override
        public void unreachable(String cluster, String error) {
        }
    };

    /**
     * The cluster's API server answered: a value, or an answer such as 403 (its RBAC) or 404.
     *
     * @param cluster the cluster
     * @param result  what the call returned, or null when the answer was an error of the cluster's
     */
    void answered(String cluster, Object result);

    /**
     * The cluster could not be reached, did not answer in time, answered 5xx or 429, or refused CloudPilot's
     * credentials (401).
     *
     * @param cluster the cluster
     * @param error   the sentence the caller was answered with
     */
    void unreachable(String cluster, String error);
}
