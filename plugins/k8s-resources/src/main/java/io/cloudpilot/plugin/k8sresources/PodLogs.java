package io.cloudpilot.plugin.k8sresources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Pod and container logs: the lines as an array, per container, with counts of lines that look like errors and
 * warnings. A container that cannot have a log (waiting to start, never terminated for previous=true, on a node
 * that is not Ready) gets an empty block with the reason instead of an upstream error.
 */
final class PodLogs {

    /** The annotation kubectl reads to choose a pod's default container. */
    static final String DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container";
    static final int DEFAULT_LINES = 100;

    /** Error words, levels in JSON/logfmt/klog form, exception class names and stack-trace lines. */
    private static final Pattern ERROR = Pattern.compile("(?i)(\\b(error|err|fatal|panic|exception|critical|crit|severe)\\b"
            + "|\\bfail(ed|ure)?\\b|\"level\"\\s*:\\s*\"(error|fatal)\"|level=(error|fatal)|^E\\d{4} )"
            + "|\\w(Exception|Error)\\b|^\\s+at [\\w$.<>/@-]+\\(|^Caused by: |^\\s+\\.\\.\\. \\d+ (common frames omitted|more)");
    private static final Pattern WARNING = Pattern.compile(
            "(?i)(\\b(warn|warning)\\b|\"level\"\\s*:\\s*\"warn(ing)?\"|level=warn(ing)?|^W\\d{4} )");
    private static final Pattern TIMESTAMP = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\S+\\s");

    private final ClusterReads reads;
    private final Derived<ContainerLog> classified;

    /**
     * @param reads      the request's reads of one cluster
     * @param classified the plugin's memo of each log text's lines and counts
     */
    PodLogs(ClusterReads reads, Derived<ContainerLog> classified) {
        this.reads = reads;
        this.classified = classified;
    }

    /**
     * @param container the container, or null for the pod's default container (or all regular containers)
     */
    PodLog read(String namespace, String podName, String container, Integer lines, Long sinceSeconds, boolean previous,
                boolean timestamps) {
        Pod pod = reads.pod(namespace, podName);
        List<String> regular = Metadata.orEmpty(pod.getSpec().getContainers()).stream().map(Container::getName).toList();
        List<String> init = Metadata.orEmpty(pod.getSpec().getInitContainers()).stream().map(Container::getName).toList();
        List<String> chosen;
        if (container != null) {
            if (!regular.contains(container) && !init.contains(container)) {
                throw new ApiException.ValidationError("Query parameter 'container' cannot be "
                        + ApiException.quote(container) + ": pod " + podName + " has the containers " + regular
                        + (init.isEmpty() ? "" : " and the init containers " + init) + ".");
            }
            chosen = List.of(container);
        } else {
            String annotated = Metadata.annotations(pod).get(DEFAULT_CONTAINER);
            chosen = annotated != null && regular.contains(annotated) ? List.of(annotated) : regular;
        }
        int tail = lines == null ? DEFAULT_LINES : lines;
        String nodeStatus = null;
        if (pod.getSpec().getNodeName() != null) {
            nodeStatus = reads.nodes().stream()
                    .filter(n -> pod.getSpec().getNodeName().equals(n.getMetadata().getName()))
                    .map(NodeReadiness::of).findFirst().orElse(null);
        }
        List<ContainerLog> blocks = new ArrayList<>();
        for (String name : chosen) {
            String unavailable = unavailable(pod, name, previous, nodeStatus);
            if (unavailable != null) {
                blocks.add(new ContainerLog(name, List.of(), 0, 0, 0, unavailable));
                continue;
            }
            String text = reads.log(namespace, podName, name, tail, sinceSeconds, previous, timestamps);
            blocks.add(classified.get(List.of(text), Arrays.asList(reads.clusterName(), namespace, podName, name, tail,
                    sinceSeconds, previous, timestamps), () -> classify(name, text, tail, timestamps)));
        }
        return new PodLog(reads.clusterName(), namespace, podName, container, tail, sinceSeconds, previous, timestamps,
                blocks, blocks.stream().mapToInt(ContainerLog::lineCount).sum(),
                blocks.stream().mapToInt(ContainerLog::errorCount).sum(),
                blocks.stream().mapToInt(ContainerLog::warningCount).sum());
    }

    /** A container's log text as lines, the last {@code tail} of them, with its error and warning lines counted. */
    private static ContainerLog classify(String container, String text, int tail, boolean timestamps) {
        List<String> split = text.isEmpty() ? List.of() : Arrays.stream(text.split("\n", -1))
                .filter(l -> !l.isEmpty()).toList();
        // the kubelet already tails; this guards against a server that does not
        if (split.size() > tail) {
            split = split.subList(split.size() - tail, split.size());
        }
        int errors = 0;
        int warnings = 0;
        for (String line : split) {
            String message = timestamps ? TIMESTAMP.matcher(line).replaceFirst("") : line;
            if (ERROR.matcher(message).find()) {
                errors++;
            } else if (WARNING.matcher(message).find()) {
                warnings++;
            }
        }
        return new ContainerLog(container, split, split.size(), errors, warnings, null);
    }

    /** Why a container's log cannot be read, or null when it can. */
    private static String unavailable(Pod pod, String container, boolean previous, String nodeStatus) {
        if (pod.getSpec().getNodeName() == null) {
            return "The pod is not scheduled on a node: no container has run yet.";
        }
        if (nodeStatus != null && !NodeReadiness.READY.equals(nodeStatus)) {
            return "The pod's node " + pod.getSpec().getNodeName() + " is " + nodeStatus
                    + ": its kubelet cannot serve logs.";
        }
        List<ContainerStatus> statuses = new ArrayList<>(Metadata.orEmpty(pod.getStatus() == null ? null
                : pod.getStatus().getContainerStatuses()));
        statuses.addAll(Metadata.orEmpty(pod.getStatus() == null ? null : pod.getStatus().getInitContainerStatuses()));
        ContainerStatus s = statuses.stream().filter(c -> container.equals(c.getName())).findFirst().orElse(null);
        if (s == null) {
            return "Container " + container + " has no status yet: it has not been created.";
        }
        boolean hasPrevious = s.getLastState() != null && s.getLastState().getTerminated() != null;
        if (previous && !hasPrevious) {
            return "Container " + container + " has no previous instance (it has not restarted).";
        }
        var waiting = s.getState() == null ? null : s.getState().getWaiting();
        if (!previous && waiting != null && !hasPrevious && Metadata.nz(s.getRestartCount()) == 0) {
            return "Container " + container + " is waiting to start (" + waiting.getReason() + "): it has no log yet.";
        }
        return null;
    }

    /**
     * Logs of a pod: one block per container.
     *
     * @param clusterName  the cluster
     * @param namespace    namespace
     * @param podName      pod
     * @param container    the container asked for, or null
     * @param lines        lines asked for per container (tail)
     * @param sinceSeconds only lines newer than this many seconds, or null
     * @param previous     the previous instance's log
     * @param timestamps   whether lines start with the kubelet's RFC 3339 timestamp
     * @param containers   one block per container
     * @param totalLines   lines over all blocks
     * @param errorCount   lines that look like errors
     * @param warningCount lines that look like warnings
     */
    public record PodLog(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "pod") String podName,
            @Schema(description = "the container asked for, or null") String container,
            @Schema(description = "lines asked for per container (tail)") int lines,
            @Schema(description = "only lines newer than this many seconds, or null") Long sinceSeconds,
            @Schema(description = "the previous instance's log") boolean previous,
            @Schema(description = "whether lines start with the kubelet's RFC 3339 timestamp") boolean timestamps,
            @Schema(description = "one block per container") List<ContainerLog> containers,
            @Schema(description = "lines over all blocks") int totalLines,
            @Schema(description = "lines that look like errors") int errorCount,
            @Schema(description = "lines that look like warnings") int warningCount) {
    }

    /**
     * One container's log.
     *
     * @param container    container name
     * @param lines        the lines, oldest first
     * @param lineCount    number of lines
     * @param errorCount   lines that look like errors (error, fatal, panic, exceptions and their stack traces,
     *                     failed, klog E...)
     * @param warningCount lines that look like warnings (warn, warning, klog W...) and not errors
     * @param unavailable  why there is no log, or null
     */
    public record ContainerLog(
            @Schema(description = "container name") String container,
            @Schema(description = "the lines, oldest first") List<String> lines,
            @Schema(description = "number of lines") int lineCount,
            @Schema(description = "lines that look like errors (error, fatal, panic, exceptions and their stack traces, failed, klog E...)") int errorCount,
            @Schema(description = "lines that look like warnings (warn, warning, klog W...) and not errors") int warningCount,
            @Schema(description = "why there is no log, or null") String unavailable) {
    }
}
