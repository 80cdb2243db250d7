package io.cloudpilot.plugin.istioworkloads;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.cloudpilot.plugin.istioworkloads.WorkloadReader.Workload;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.dsl.BytesLimitTerminateTimeTailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.ContainerResource;
import io.fabric8.kubernetes.client.dsl.TailPrettyLoggable;
import io.fabric8.kubernetes.client.dsl.TimeTailPrettyLoggable;

/**
 * The logs of every pod and container of istiod or the gateway: one read per pod and container (bounded in number,
 * run concurrently), each through the shared cache, each a block of parsed lines.
 */
final class WorkloadLogs {

    /** Log streams read per request unless configured ({@code plugins.istio-workloads.logs.max-streams}). */
    static final int DEFAULT_MAX_STREAMS = 20;

    private final ResourceCache cache;
    private final WorkloadReader reader;
    private final int maxStreams;

    WorkloadLogs(ResourceCache cache, WorkloadReader reader, int maxStreams) {
        this.cache = cache;
        this.reader = reader;
        this.maxStreams = maxStreams;
    }

    /**
     * What to read.
     *
     * @param lines        lines per container, from the end
     * @param sinceSeconds only lines of the last N seconds, or null
     * @param previous     the previous (terminated) instance of each container
     * @param timestamps   ask the kubelet to prefix each line with its time
     * @param container    only this container, or null for every container
     */
    record Options(int lines, Long sinceSeconds, boolean previous, boolean timestamps, String container) {
    }

    /**
     * The answer of a logs endpoint.
     *
     * @param clusterName    the cluster
     * @param namespace      the namespace
     * @param component      istiod or gateway
     * @param workloads      the Deployments read
     * @param lines          lines asked for, per container
     * @param sinceSeconds   the time window, or null
     * @param previous       whether previous instances were read
     * @param container      the container asked for, or null for all
     * @param totalLines     lines returned, over all blocks
     * @param errorCount     lines at level error, over all blocks
     * @param warningCount   lines at level warning, over all blocks
     * @param streamsRead    pod/container logs read
     * @param streamsSkipped pod/container logs not read because of the per-request bound (named)
     * @param blocks         one per pod and container
     */
    public record Logs(String clusterName, String namespace, String component, List<String> workloads, int lines,
                       Long sinceSeconds, boolean previous, String container, int totalLines, int errorCount,
                       int warningCount, int streamsRead, List<String> streamsSkipped, List<LogBlock> blocks) {
    }

    /**
     * The log of one container of one pod.
     *
     * @param workload      the Deployment
     * @param podName       the pod
     * @param containerName the container
     * @param totalLines    lines returned
     * @param errorCount    lines at level error
     * @param warningCount  lines at level warning
     * @param error         why the log could not be read, or null
     * @param entries       the lines, oldest first
     */
    public record LogBlock(String workload, String podName, String containerName, int totalLines, int errorCount,
                           int warningCount, LogError error, List<LogEntry> entries) {
    }

    /**
     * @param errorType the contract's error type, e.g. ValidationError for a container without a previous instance
     * @param message   what the cluster answered
     */
    public record LogError(String errorType, String message) {
    }

    /**
     * One line.
     *
     * @param lineNumber    its position in the container's answer, from 1 (blank lines are skipped, not renumbered)
     * @param timestamp     its time, or null
     * @param level         error, warning, info or debug: Istio's and Envoy's level field when present
     * @param scope         the Istio/Envoy scope (ads, xdsproxy, envoy config...), or null
     * @param format        istio, envoy, envoy-access, klog, structured or text
     * @param containerName the container
     * @param message       the whole line as written
     * @param isError       level == error
     */
    public record LogEntry(int lineNumber, String timestamp, String level, String scope, String format,
                           String containerName, String message, boolean isError) {
    }

    private record Stream(String workload, Pod pod, String container) {
    }

    Logs read(ClusterContext cluster, String namespace, IstioComponent component, Options options, boolean forceRefresh) {
        List<Workload> workloads = reader.find(cluster, namespace, component, forceRefresh);
        List<Stream> streams = new ArrayList<>();
        Set<String> known = new LinkedHashSet<>();
        for (Workload w : workloads) {
            for (Pod p : w.pods()) {
                List<Container> containers = p.getSpec() == null || p.getSpec().getContainers() == null
                        ? List.of() : p.getSpec().getContainers();
                for (Container c : containers) {
                    known.add(c.getName());
                    if (options.container() == null || options.container().equals(c.getName())) {
                        streams.add(new Stream(w.name(), p, c.getName()));
                    }
                }
            }
        }
        if (options.container() != null && !known.contains(options.container())) {
            throw new ApiException.ValidationError("Query parameter 'container' is " + ApiException.quote(options.container())
                    + ", which no " + component.title() + " pod has: use one of " + known + ".");
        }
        List<Stream> read = streams.subList(0, Math.min(maxStreams, streams.size()));
        List<String> skipped = streams.subList(read.size(), streams.size()).stream()
                .map(s -> s.pod().getMetadata().getName() + "/" + s.container()).toList();
        List<Callable<LogBlock>> reads = read.stream()
                .map(s -> (Callable<LogBlock>) () -> block(cluster, namespace, s, options, forceRefresh)).toList();
        List<LogBlock> blocks = reader.all(reads);
        // an unreachable cluster is an error, never a page of empty blocks
        if (!blocks.isEmpty() && blocks.stream().allMatch(b -> b.error() != null && unreachable(b.error()))) {
            throw new ApiException.ClusterUnavailable(blocks.getFirst().error().message(), null);
        }
        return new Logs(cluster.name(), namespace, component.id(), workloads.stream().map(Workload::name).toList(),
                options.lines(), options.sinceSeconds(), options.previous(), options.container(),
                blocks.stream().mapToInt(LogBlock::totalLines).sum(),
                blocks.stream().mapToInt(LogBlock::errorCount).sum(),
                blocks.stream().mapToInt(LogBlock::warningCount).sum(),
                blocks.size(), skipped, blocks);
    }

    private static boolean unreachable(LogError e) {
        return e.errorType().equals("ClusterUnavailable") || e.errorType().equals("ClusterTimeout");
    }

    /**
     * The cache key of one log read, as the k8s-resources plugin writes it so both share entries: kind
     * {@code pods/log}, name {@code <pod>/<container>}, and the log options in the field-selector part
     * ({@link CacheKey} has no slot for subresource options): every option that changes the answer is in the key.
     */
    static CacheKey key(String cluster, String namespace, String pod, String container, Options o) {
        return new CacheKey(cluster, CacheKind.POD_LOGS, namespace, pod + "/" + container, "",
                "tailLines=" + o.lines() + ",sinceSeconds=" + o.sinceSeconds() + ",previous=" + o.previous()
                        + ",timestamps=" + o.timestamps());
    }

    private LogBlock block(ClusterContext cluster, String namespace, Stream s, Options o, boolean forceRefresh) {
        String pod = s.pod().getMetadata().getName();
        String text;
        try {
            text = cache.get(key(cluster.name(), namespace, pod, s.container(), o), forceRefresh,
                    () -> fetch(cluster, namespace, pod, s.container(), o));
        } catch (ApiException e) {
            return new LogBlock(s.workload(), pod, s.container(), 0, 0, 0, new LogError(e.errorType(), e.getMessage()), List.of());
        }
        List<LogEntry> entries = parse(text, s.container());
        int errors = (int) entries.stream().filter(LogEntry::isError).count();
        int warnings = (int) entries.stream().filter(e -> e.level().equals("warning")).count();
        return new LogBlock(s.workload(), pod, s.container(), entries.size(), errors, warnings, null, entries);
    }

    private static String fetch(ClusterContext cluster, String namespace, String pod, String container, Options o) {
        ContainerResource c = cluster.client().pods().inNamespace(namespace).withName(pod).inContainer(container);
        BytesLimitTerminateTimeTailPrettyLoggable b = o.timestamps() ? c.usingTimestamps() : c;
        TimeTailPrettyLoggable t = o.previous() ? b.terminated() : b;
        TailPrettyLoggable tail = o.sinceSeconds() == null ? t : t.sinceSeconds((int) Math.min(Integer.MAX_VALUE, o.sinceSeconds()));
        String log = tail.tailingLines(o.lines()).getLog();
        return log == null ? "" : log;
    }

    static List<LogEntry> parse(String text, String container) {
        List<LogEntry> entries = new ArrayList<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            LogLines.Parsed p = LogLines.parse(line);
            entries.add(new LogEntry(i + 1, p.timestamp(), p.level(), p.scope(), p.format(), container, line,
                    p.level().equals("error")));
        }
        return List.copyOf(entries);
    }
}
