package io.cloudpilot.platform.security;

import java.util.Optional;
import java.util.function.Function;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The cluster whose API server reviews callers in {@code kubernetes} mode: the instant cluster, or in server mode
 * the registered identity cluster ({@code cloudpilot.auth.kubernetes.cluster}). Reviews run under that cluster's
 * fault-tolerance policy (deadline, circuit breaker, bulkhead); a review that cannot be made is a 503, never a
 * decision.
 */
final class ReviewCluster {

    private final Clusters clusters;
    private final Optional<String> name;

    /**
     * @param clusters the server's clusters, as plugins see them (calls guarded)
     * @param name     the identity cluster in server mode; empty in instant mode
     */
    ReviewCluster(Clusters clusters, Optional<String> name) {
        this.clusters = clusters;
        this.name = name;
    }

    /**
     * @param review what is asked, for the message: {@code TokenReview}, {@code SubjectAccessReview}
     * @param call   the call, given the cluster's client
     * @param <T>    its answer
     * @return the answer
     * @throws ApiException.ClusterUnavailable or {@link ApiException.ClusterTimeout} (503) when it cannot be made
     */
    <T> T call(String review, Function<KubernetesClient, T> call) {
        ClusterContext cluster;
        try {
            cluster = clusters.resolve(name.orElse(null));
        } catch (ApiException e) {
            throw unavailable(review, name.map(n -> "'" + n + "'").orElse("of instant mode"), e);
        }
        try {
            return cluster.call(() -> call.apply(cluster.client()));
        } catch (ApiException.ClusterTimeout e) {
            throw new ApiException.ClusterTimeout("CloudPilot cannot check the Kubernetes credentials of the caller now: "
                    + "the " + review + " at cluster '" + cluster.name() + "' did not answer in time. Try again "
                    + "shortly.", null);
        } catch (ApiException e) {
            throw unavailable(review, "'" + cluster.name() + "'", e);
        } catch (RuntimeException e) {
            throw unavailable(review, "'" + cluster.name() + "'", new ApiException.InternalError(
                    e.getClass().getSimpleName(), null));
        }
    }

    private static ApiException.ClusterUnavailable unavailable(String review, String cluster, ApiException why) {
        String reason = why instanceof ApiException.Forbidden
                ? "its API server refused: the account of CloudPilot needs 'create' on tokenreviews "
                + "(authentication.k8s.io) and subjectaccessreviews (authorization.k8s.io) there, see docs/security.md"
                : why.getMessage();
        // the cause is left out: nothing of the request (which holds the caller's token) may reach a log
        return new ApiException.ClusterUnavailable("CloudPilot cannot check the Kubernetes credentials of the caller "
                + "now: the " + review + " at cluster " + cluster + " could not be made (" + reason + ").", null);
    }
}
