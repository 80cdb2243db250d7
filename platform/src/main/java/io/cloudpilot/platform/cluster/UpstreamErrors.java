package io.cloudpilot.platform.cluster;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.cloudpilot.platform.errors.Causes;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;

/**
 * The one mapping from what a cluster call threw to the contract's errors: the cluster's 401/403 → 403
 * (its RBAC, not ours), 404 → {@code NotFound}, 5xx and 429 → 503 {@code ClusterUnavailable}, no answer
 * in time → 503 {@code ClusterTimeout}, no connection → 503 {@code ClusterUnavailable}. Messages name the
 * cluster and never carry credentials.
 */
public final class UpstreamErrors {

    private UpstreamErrors() {
    }

    /**
     * @param cluster the cluster's name
     * @param error   what the call threw
     * @return the error to answer with
     */
    public static ApiException map(String cluster, Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ApiException api) {
            return api;
        }
        if (e instanceof KubernetesClientException k8s && k8s.getCode() > 0) {
            int code = k8s.getCode();
            String reason = k8s.getStatus() != null && k8s.getStatus().getMessage() != null
                    ? k8s.getStatus().getMessage() : "HTTP " + code;
            if (code == 401) {
                return new ApiException.Forbidden("Cluster '" + cluster + "' rejected CloudPilot's credentials (HTTP 401):"
                        + " the token or certificate registered for it is invalid or expired.", e);
            }
            if (code == 403) {
                return new ApiException.Forbidden("Cluster '" + cluster + "' denied the call through its RBAC: " + reason
                        + " Grant CloudPilot's service account this permission.", e);
            }
            if (code == 404) {
                return new ApiException.NotFound("Not found in cluster '" + cluster + "': " + reason);
            }
            if (code == 429 || code >= 500) {
                return new ApiException.ClusterUnavailable("Cluster '" + cluster + "' answered HTTP " + code
                        + " (" + reason + "); try again later.", e);
            }
            return new ApiException.ValidationError("Cluster '" + cluster + "' refused the request (HTTP " + code + "): "
                    + reason);
        }
        if (isTimeout(e)) {
            return new ApiException.ClusterTimeout("Cluster '" + cluster + "' did not answer in time; it may be "
                    + "overloaded or unreachable.", e);
        }
        if (hasCause(e, SSLException.class)) {
            return new ApiException.ClusterUnavailable("Cannot establish a trusted TLS connection to cluster '" + cluster
                    + "': check its CA data or certificate.", e);
        }
        if (hasCause(e, UnknownHostException.class)) {
            return new ApiException.ClusterUnavailable("The API server address of cluster '" + cluster
                    + "' does not resolve.", e);
        }
        if (isGarbage(e)) {
            return new ApiException.ClusterUnavailable("Cluster '" + cluster + "' answered something that is not a "
                    + "Kubernetes API response; check that its address leads to the API server itself.", e);
        }
        if (hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class)
                || e instanceof KubernetesClientException) {
            return new ApiException.ClusterUnavailable("Cluster '" + cluster + "' cannot be reached: its API server "
                    + "refused or dropped the connection.", e);
        }
        return new ApiException.InternalError("Reading from cluster '" + cluster + "' failed unexpectedly.", e);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static boolean isTimeout(Throwable e) {
        return e instanceof KubernetesClientTimeoutException
                || hasCause(e, HttpTimeoutException.class)
                || hasCause(e, HttpConnectTimeoutException.class)
                || hasCause(e, TimeoutException.class)
                || hasCause(e, InterruptedIOException.class);
    }

    /** The answer was not JSON (fabric8 then tries YAML, so its parser's exceptions say so too). */
    private static boolean isGarbage(Throwable e) {
        for (Throwable t : Causes.chain(e)) {
            if (t instanceof tools.jackson.core.JacksonException || t.getClass().getName().startsWith("org.snakeyaml.")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        return Causes.find(e, type).isPresent();
    }
}
