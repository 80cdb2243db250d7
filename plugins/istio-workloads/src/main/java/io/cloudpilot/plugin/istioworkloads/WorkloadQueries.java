package io.cloudpilot.plugin.istioworkloads;

import io.cloudpilot.plugin.toolkit.LogParams;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;

/**
 * What the six endpoints share: parameter defaults, cluster resolution and the readers. Built once by the plugin's
 * start and injected into both resources, which stay thin.
 */
final class WorkloadQueries {

    /** Where Istio is installed unless {@code namespace} says otherwise. */
    static final String DEFAULT_NAMESPACE = "istio-system";

    private final Clusters clusters;
    private final WorkloadReader reader;
    private final WorkloadDetails details;
    private final WorkloadLogs logs;

    WorkloadQueries(Clusters clusters, ResourceCache cache, PluginContext context) {
        this.clusters = clusters;
        this.reader = new WorkloadReader(cache);
        this.details = new WorkloadDetails(reader);
        this.logs = new WorkloadLogs(cache, reader, maxStreams(context));
    }

    private static int maxStreams(PluginContext context) {
        String v = context == null ? null : context.config("logs.max-streams").orElse(null);
        try {
            return v == null ? WorkloadLogs.DEFAULT_MAX_STREAMS : Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            return WorkloadLogs.DEFAULT_MAX_STREAMS;
        }
    }

    static String namespace(String namespace) {
        return namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    }

    WorkloadDetails.Detail detail(IstioComponent component, WorkloadParams workload) {
        ClusterContext cluster = clusters.resolve(workload.clusterName);
        return details.read(cluster, namespace(workload.namespace), component, workload.forceRefresh);
    }

    WorkloadLogs.Logs logs(IstioComponent component, WorkloadParams workload, LogParams log, String container) {
        ClusterContext cluster = clusters.resolve(workload.clusterName);
        WorkloadLogs.Options options = new WorkloadLogs.Options(log.lines == null ? 100 : log.lines, log.sinceSeconds,
                log.previous, log.timestamps, container == null || container.isBlank() ? null : container);
        return logs.read(cluster, namespace(workload.namespace), component, options, workload.forceRefresh);
    }

    WorkloadEvents.Events events(IstioComponent component, WorkloadParams workload, EventParams events) {
        int max = limit(events.limit);
        ClusterContext cluster = clusters.resolve(workload.clusterName);
        return WorkloadEvents.read(reader, cluster, namespace(workload.namespace), component, events.sinceSeconds, max,
                workload.forceRefresh);
    }

    /** {@code limit}: 1..1000, default 100. */
    static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return WorkloadEvents.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ApiException.ValidationError("Query parameter 'limit' must be a whole number from 1 to 1000, not "
                + ApiException.quote(limit) + ".");
    }
}
