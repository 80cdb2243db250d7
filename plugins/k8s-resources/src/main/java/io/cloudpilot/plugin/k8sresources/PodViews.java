package io.cloudpilot.plugin.k8sresources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.plugin.toolkit.Health;
import io.cloudpilot.plugin.toolkit.Health.Finding;
import io.cloudpilot.spi.Severity;
import io.cloudpilot.plugin.toolkit.ListQuery;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Pods as an operator reads them: the list with kubectl's STATUS, and details with the real state of every
 * container and an explainable health.
 */
final class PodViews {

    static final Map<String, Function<PodSummary, ? extends Comparable<?>>> SORT_KEYS = Map.of(
            "name", PodSummary::name, "namespace", p -> p.namespace() + "/" + p.name(), "status", PodSummary::status,
            "phase", PodSummary::phase, "restart_count", PodSummary::restartCount, "node_name", PodSummary::nodeName,
            "age", ListQuery.byAge(PodSummary::createdAt), "created_at", ListQuery.byCreation(PodSummary::createdAt),
            "pod_ip", PodSummary::podIp);

    private final ClusterReads reads;
    private final Derived<List<PodSummary>> sortedSummaries;
    private final Instant now = Instant.now();

    /**
     * @param reads           the request's reads of one cluster
     * @param sortedSummaries sorted summaries per cached pod list and order (the plugin's, {@link Views})
     */
    PodViews(ClusterReads reads, Derived<List<PodSummary>> sortedSummaries) {
        this.reads = reads;
        this.sortedSummaries = sortedSummaries;
    }

    PodList list(ListQuery query) {
        List<Pod> pods = reads.pods(query.namespace(), query.labelSelector(), query.fieldSelector());
        List<PodSummary> sorted = sortedSummaries.get(List.of(pods), Arrays.asList(reads.clusterName(), query.namespace(),
                        query.labelSelector(), query.fieldSelector(), query.sortVariant()),
                () -> query.sort(pods.stream().map(p -> summary(p, now)).toList(), SORT_KEYS, "namespace"));
        ListQuery.Page<PodSummary> page = query.page(sorted);
        // ages move with the clock, not with the cached list
        List<PodSummary> items = page.items().stream().map(p -> p.aged(now)).toList();
        return new PodList(reads.clusterName(), query.namespace(), items, page.count(), page.total(), page.page(),
                page.pageSize());
    }

    PodDetail detail(String namespace, String name) {
        Pod p = reads.pod(namespace, name);
        String nodeStatus = null;
        if (p.getSpec() != null && p.getSpec().getNodeName() != null) {
            nodeStatus = reads.nodes().stream().filter(n -> p.getSpec().getNodeName().equals(n.getMetadata().getName()))
                    .map(NodeReadiness::of).findFirst().orElse(null);
        }
        return detail(p, nodeStatus, now, reads.clusterName());
    }

    static PodSummary summary(Pod p, Instant now) {
        List<ContainerStatus> cs = p.getStatus() == null ? List.of() : Metadata.orEmpty(p.getStatus().getContainerStatuses());
        int total = p.getSpec() == null ? 0 : Metadata.orEmpty(p.getSpec().getContainers()).size();
        int ready = (int) cs.stream().filter(c -> Boolean.TRUE.equals(c.getReady())).count();
        int restarts = cs.stream().mapToInt(c -> Metadata.nz(c.getRestartCount())).sum();
        return new PodSummary(p.getMetadata().getName(), p.getMetadata().getNamespace(), PodStatus.display(p),
                p.getStatus() == null ? null : p.getStatus().getPhase(), ready + "/" + total, ready, total, restarts,
                p.getSpec() == null ? null : p.getSpec().getNodeName(),
                p.getStatus() == null ? null : p.getStatus().getPodIP(), Metadata.age(p, now), Metadata.created(p),
                p.getStatus() == null ? null : p.getStatus().getQosClass(), owner(p), Metadata.labels(p));
    }

    static String owner(Pod p) {
        return Metadata.orEmpty(p.getMetadata().getOwnerReferences()).stream()
                .filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
                .or(() -> Metadata.orEmpty(p.getMetadata().getOwnerReferences()).stream().findFirst())
                .map(o -> o.getKind() + "/" + o.getName()).orElse(null);
    }

    static PodDetail detail(Pod p, String nodeStatus, Instant now, String cluster) {
        var st = p.getStatus();
        List<ContainerView> containers = containers(p.getSpec() == null ? List.of() : p.getSpec().getContainers(),
                st == null ? null : st.getContainerStatuses());
        List<ContainerView> inits = containers(p.getSpec() == null ? List.of() : p.getSpec().getInitContainers(),
                st == null ? null : st.getInitContainerStatuses());
        List<PodConditionView> conditions = st == null ? List.of() : Metadata.orEmpty(st.getConditions()).stream()
                .map(c -> new PodConditionView(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                        c.getLastTransitionTime())).toList();
        List<OwnerView> owners = Metadata.orEmpty(p.getMetadata().getOwnerReferences()).stream()
                .map((OwnerReference o) -> new OwnerView(o.getKind(), o.getName(), o.getUid(),
                        Boolean.TRUE.equals(o.getController()))).toList();
        PodResources r = PodResources.of(p);
        PodSummary s = summary(p, now);
        var spec = p.getSpec();
        return new PodDetail(cluster, s.name(), s.namespace(), p.getMetadata().getUid(), s.status(), s.phase(),
                st == null ? null : st.getReason(), st == null ? null : st.getMessage(), s.ready(), s.restartCount(),
                s.nodeName(), nodeStatus, s.podIp(),
                st == null ? List.of() : Metadata.orEmpty(st.getPodIPs()).stream().map(i -> i.getIp()).toList(),
                st == null ? null : st.getHostIP(), s.createdAt(), st == null ? null : st.getStartTime(), s.age(),
                s.qosClass(), spec == null ? null : spec.getRestartPolicy(),
                spec == null ? null : spec.getServiceAccountName(), spec == null ? null : spec.getPriority(),
                spec == null ? null : spec.getPriorityClassName(), s.owner(), owners, containers, inits, conditions,
                new PodTotals(Metadata.cores(r.cpuRequests()), r.cpuLimitCores(), Metadata.bytes(r.memoryRequests()),
                        r.memoryLimitBytes()),
                s.labels(), Metadata.annotations(p), health(p, nodeStatus));
    }

    private static List<ContainerView> containers(List<Container> specs, List<ContainerStatus> statuses) {
        List<ContainerView> out = new ArrayList<>();
        for (Container c : Metadata.orEmpty(specs)) {
            ContainerStatus s = Metadata.orEmpty(statuses).stream().filter(x -> c.getName().equals(x.getName()))
                    .findFirst().orElse(null);
            var res = c.getResources();
            ContainerResourcesView resources = new ContainerResourcesView(
                    res == null ? Map.of() : Metadata.raw(res.getRequests()),
                    res == null ? Map.of() : Metadata.raw(res.getLimits()));
            List<PortView> ports = Metadata.orEmpty(c.getPorts()).stream()
                    .map(pt -> new PortView(pt.getName(), pt.getContainerPort(), pt.getProtocol() == null ? "TCP"
                            : pt.getProtocol(), pt.getHostPort())).toList();
            String state = "unknown";
            String reason = null, message = null, startedAt = null, finishedAt = null;
            Integer exitCode = null;
            TerminationView last = null;
            if (s != null && s.getState() != null) {
                var sst = s.getState();
                if (sst.getRunning() != null) {
                    state = "running";
                    startedAt = sst.getRunning().getStartedAt();
                } else if (sst.getWaiting() != null) {
                    state = "waiting";
                    reason = sst.getWaiting().getReason();
                    message = sst.getWaiting().getMessage();
                } else if (sst.getTerminated() != null) {
                    var t = sst.getTerminated();
                    state = "terminated";
                    reason = t.getReason();
                    message = t.getMessage();
                    exitCode = t.getExitCode();
                    startedAt = t.getStartedAt();
                    finishedAt = t.getFinishedAt();
                }
            }
            if (s != null && s.getLastState() != null && s.getLastState().getTerminated() != null) {
                var t = s.getLastState().getTerminated();
                last = new TerminationView(t.getReason(), t.getExitCode(), t.getSignal(), t.getMessage(), t.getStartedAt(),
                        t.getFinishedAt());
            }
            out.add(new ContainerView(c.getName(), c.getImage(), c.getImagePullPolicy(), s != null && Boolean.TRUE.equals(s.getReady()),
                    s == null ? null : s.getStarted(), s == null ? 0 : Metadata.nz(s.getRestartCount()), state, reason,
                    message, exitCode, startedAt, finishedAt, last, resources, ports, c.getRestartPolicy()));
        }
        return out;
    }

    /** The pod health rules; see docs/health-rules.md. */
    static Health health(Pod p, String nodeStatus) {
        List<Finding> findings = new ArrayList<>();
        var st = p.getStatus();
        String phase = st == null ? "Unknown" : String.valueOf(st.getPhase());
        if ("Succeeded".equals(phase)) {
            return Health.of(findings);
        }
        if ("Failed".equals(phase)) {
            findings.add(new Finding("PodFailed", Severity.CRITICAL, "The pod failed"
                    + (st.getReason() == null ? "" : " (" + st.getReason() + ")") + ": all its containers terminated and "
                    + "at least one in failure.", 50));
        }
        if ("Unknown".equals(phase)) {
            findings.add(new Finding("PodUnknown", Severity.CRITICAL, "The pod's state is Unknown: its node does not "
                    + "report it.", 50));
        }
        PodCondition scheduled = st == null ? null : Metadata.orEmpty(st.getConditions()).stream()
                .filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
        if ("Pending".equals(phase)) {
            if (scheduled != null && "False".equals(scheduled.getStatus())) {
                findings.add(new Finding("Unschedulable", Severity.CRITICAL, "The pod cannot be scheduled"
                        + (scheduled.getMessage() == null ? "." : ": " + scheduled.getMessage()), 50));
            } else {
                findings.add(new Finding("PodPending", Severity.WARNING, "The pod is Pending: its containers have not "
                        + "all started.", 20));
            }
        }
        if (nodeStatus != null && !NodeReadiness.READY.equals(nodeStatus)) {
            findings.add(new Finding("NodeNotReady", Severity.CRITICAL, "The pod's node " + p.getSpec().getNodeName()
                    + " is " + nodeStatus + ": the pod is not served.", 30));
        }
        List<ContainerStatus> all = new ArrayList<>(st == null ? List.of() : Metadata.orEmpty(st.getContainerStatuses()));
        all.addAll(st == null ? List.of() : Metadata.orEmpty(st.getInitContainerStatuses()));
        for (ContainerStatus c : all) {
            String name = c.getName();
            var wait = c.getState() == null ? null : c.getState().getWaiting();
            int restarts = Metadata.nz(c.getRestartCount());
            var last = c.getLastState() == null ? null : c.getLastState().getTerminated();
            String lastText = last == null ? "" : " (last exit " + last.getExitCode() + ", " + last.getReason() + ")";
            if (wait != null && "CrashLoopBackOff".equals(wait.getReason())) {
                findings.add(new Finding("CrashLoopBackOff", Severity.CRITICAL, "Container " + name + " keeps crashing: "
                        + restarts + " restarts" + lastText + "; see its logs with previous=true.", 40));
            } else if (wait != null && ("ImagePullBackOff".equals(wait.getReason())
                    || "ErrImagePull".equals(wait.getReason()) || "InvalidImageName".equals(wait.getReason()))) {
                findings.add(new Finding("ImagePullBackOff", Severity.CRITICAL, "Container " + name + " cannot pull its "
                        + "image" + (wait.getMessage() == null ? "" : ": " + wait.getMessage()), 40));
            } else if (wait != null && wait.getReason() != null && !"ContainerCreating".equals(wait.getReason())
                    && !"PodInitializing".equals(wait.getReason())) {
                findings.add(new Finding("ContainerWaiting", Severity.WARNING, "Container " + name + " is waiting: "
                        + wait.getReason() + (wait.getMessage() == null ? "" : " (" + wait.getMessage() + ")"), 20));
            } else if ("Running".equals(phase) && !Boolean.TRUE.equals(c.getReady())
                    && st.getContainerStatuses() != null && st.getContainerStatuses().contains(c)) {
                findings.add(new Finding("ContainerNotReady", Severity.WARNING, "Container " + name
                        + " is not ready: it receives no traffic through Services.", 20));
            }
            if (last != null && "OOMKilled".equals(last.getReason())) {
                findings.add(new Finding("OOMKilled", Severity.WARNING, "Container " + name + " was killed for exceeding "
                        + "its memory limit (exit " + last.getExitCode() + ", finished " + last.getFinishedAt() + ").", 15));
            }
            if (restarts >= 5 && (wait == null || !"CrashLoopBackOff".equals(wait.getReason()))) {
                findings.add(new Finding("FrequentRestarts", Severity.WARNING, "Container " + name + " restarted "
                        + restarts + " times.", 15));
            } else if (restarts > 0 && restarts < 5) {
                findings.add(new Finding("Restarted", Severity.INFO, "Container " + name + " restarted " + restarts
                        + " time" + (restarts == 1 ? "" : "s") + lastText + ".", 5));
            }
        }
        return Health.of(findings);
    }

    /**
     * The pods list.
     *
     * @param clusterName the cluster
     * @param namespace   the namespace, or null for all
     * @param pods        the page
     * @param count       items in the page
     * @param total       pods matching
     * @param page        the page
     * @param pageSize    the page size
     */
    public record PodList(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "the namespace, or null for all") String namespace,
            @Schema(description = "the page") List<PodSummary> pods,
            @Schema(description = "items in the page") int count,
            @Schema(description = "pods matching") int total,
            @Schema(description = "the page") int page,
            @Schema(description = "the page size") int pageSize) {
    }

    /**
     * One pod in a list.
     *
     * @param name            name
     * @param namespace       namespace
     * @param status          what kubectl get pods shows: CrashLoopBackOff, ImagePullBackOff, Init:0/1, Running...
     * @param phase           status.phase
     * @param ready           ready/total containers, e.g. 1/2
     * @param readyContainers ready regular containers
     * @param totalContainers regular containers
     * @param restartCount    restarts summed over regular containers
     * @param nodeName        node, or null when unscheduled
     * @param podIp           pod IP
     * @param age             age
     * @param createdAt       creationTimestamp
     * @param qosClass        Guaranteed, Burstable or BestEffort
     * @param owner           controlling owner, e.g. ReplicaSet/cart-5b7f9d6c8
     * @param labels          labels
     */
    public record PodSummary(
            @Schema(description = "name") String name,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "what kubectl get pods shows: CrashLoopBackOff, ImagePullBackOff, Init:0/1, Running...") String status,
            @Schema(description = "status.phase") String phase,
            @Schema(description = "ready/total containers, e.g. 1/2") String ready,
            @Schema(description = "ready regular containers") int readyContainers,
            @Schema(description = "regular containers") int totalContainers,
            @Schema(description = "restarts summed over regular containers") int restartCount,
            @Schema(description = "node, or null when unscheduled") String nodeName,
            @Schema(description = "pod IP") String podIp,
            @Schema(description = "age") String age,
            @Schema(description = "creationTimestamp") String createdAt,
            @Schema(description = "Guaranteed, Burstable or BestEffort") String qosClass,
            @Schema(description = "controlling owner, e.g. ReplicaSet/cart-5b7f9d6c8") String owner,
            @Schema(description = "labels") Map<String, String> labels) {

        /**
         * @param now the current time
         * @return this summary with its age at {@code now}
         */
        PodSummary aged(Instant now) {
            return new PodSummary(name, namespace, status, phase, ready, readyContainers, totalContainers, restartCount,
                    nodeName, podIp, Ages.format(createdAt, now), createdAt, qosClass, owner, labels);
        }
    }

    /**
     * A pod in detail.
     *
     * @param clusterName       the cluster
     * @param name              name
     * @param namespace         namespace
     * @param uid               uid
     * @param status            kubectl's STATUS
     * @param phase             status.phase
     * @param reason            status.reason (e.g. Evicted)
     * @param message           status.message
     * @param ready             ready/total containers
     * @param restartCount      restarts of regular containers
     * @param nodeName          node
     * @param nodeStatus        the node's Ready state
     * @param podIp             pod IP
     * @param podIps            all pod IPs
     * @param hostIp            node IP
     * @param createdAt         creationTimestamp
     * @param startTime         when the kubelet accepted it
     * @param age               age
     * @param qosClass          QoS class
     * @param restartPolicy     restart policy
     * @param serviceAccount    service account
     * @param priority          priority
     * @param priorityClassName priority class
     * @param owner             controlling owner
     * @param ownerReferences   all owners
     * @param containers        regular containers with their real state
     * @param initContainers    init containers with their real state
     * @param conditions        pod conditions
     * @param resources         what the pod reserves (as the scheduler counts it)
     * @param labels            labels
     * @param annotations       annotations
     * @param health            score, status and findings
     */
    public record PodDetail(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "name") String name,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "uid") String uid,
            @Schema(description = "kubectl's STATUS") String status,
            @Schema(description = "status.phase") String phase,
            @Schema(description = "status.reason (e.g. Evicted)") String reason,
            @Schema(description = "status.message") String message,
            @Schema(description = "ready/total containers") String ready,
            @Schema(description = "restarts of regular containers") int restartCount,
            @Schema(description = "node") String nodeName,
            @Schema(description = "the node's Ready state") String nodeStatus,
            @Schema(description = "pod IP") String podIp,
            @Schema(description = "all pod IPs") List<String> podIps,
            @Schema(description = "node IP") String hostIp,
            @Schema(description = "creationTimestamp") String createdAt,
            @Schema(description = "when the kubelet accepted it") String startTime,
            @Schema(description = "age") String age,
            @Schema(description = "QoS class") String qosClass,
            @Schema(description = "restart policy") String restartPolicy,
            @Schema(description = "service account") String serviceAccount,
            @Schema(description = "priority") Integer priority,
            @Schema(description = "priority class") String priorityClassName,
            @Schema(description = "controlling owner") String owner,
            @Schema(description = "all owners") List<OwnerView> ownerReferences,
            @Schema(description = "regular containers with their real state") List<ContainerView> containers,
            @Schema(description = "init containers with their real state") List<ContainerView> initContainers,
            @Schema(description = "pod conditions") List<PodConditionView> conditions,
            @Schema(description = "what the pod reserves (as the scheduler counts it)") PodTotals resources,
            @Schema(description = "labels") Map<String, String> labels,
            @Schema(description = "annotations") Map<String, String> annotations,
            @Schema(description = "score, status and findings") Health health) {
    }

    /**
     * One container.
     *
     * @param name            name
     * @param image           image
     * @param imagePullPolicy pull policy
     * @param ready           ready
     * @param started         started (startup probe passed)
     * @param restartCount    restarts
     * @param state           running, waiting, terminated or unknown
     * @param reason          waiting or terminated reason (CrashLoopBackOff, ImagePullBackOff, Completed...)
     * @param message         waiting or terminated message
     * @param exitCode        exit code when terminated
     * @param startedAt       when the current instance started
     * @param finishedAt      when it terminated
     * @param lastTermination the previous instance's termination, or null
     * @param resources       raw requests and limits
     * @param ports           declared ports
     * @param restartPolicy   Always for a sidecar init container, else null
     */
    public record ContainerView(
            @Schema(description = "name") String name,
            @Schema(description = "image") String image,
            @Schema(description = "pull policy") String imagePullPolicy,
            @Schema(description = "ready") boolean ready,
            @Schema(description = "started (startup probe passed)") Boolean started,
            @Schema(description = "restarts") int restartCount,
            @Schema(description = "running, waiting, terminated or unknown") String state,
            @Schema(description = "waiting or terminated reason (CrashLoopBackOff, ImagePullBackOff, Completed...)") String reason,
            @Schema(description = "waiting or terminated message") String message,
            @Schema(description = "exit code when terminated") Integer exitCode,
            @Schema(description = "when the current instance started") String startedAt,
            @Schema(description = "when it terminated") String finishedAt,
            @Schema(description = "the previous instance's termination, or null") TerminationView lastTermination,
            @Schema(description = "raw requests and limits") ContainerResourcesView resources,
            @Schema(description = "declared ports") List<PortView> ports,
            @Schema(description = "Always for a sidecar init container, else null") String restartPolicy) {
    }

    /**
     * @param reason reason
     * @param exitCode exit code
     * @param signal signal
     * @param message message
     * @param startedAt start
     * @param finishedAt end
     */
    public record TerminationView(
            @Schema(description = "reason") String reason,
            @Schema(description = "exit code") Integer exitCode,
            @Schema(description = "signal") Integer signal,
            @Schema(description = "message") String message,
            @Schema(description = "start") String startedAt,
            @Schema(description = "end") String finishedAt) {
    }

    /**
     * @param requests raw requests
     * @param limits raw limits
     */
    public record ContainerResourcesView(
            @Schema(description = "raw requests") Map<String, String> requests,
            @Schema(description = "raw limits") Map<String, String> limits) {
    }

    /**
     * @param name name
     * @param containerPort port
     * @param protocol protocol
     * @param hostPort host port
     */
    public record PortView(
            @Schema(description = "name") String name,
            @Schema(description = "port") Integer containerPort,
            @Schema(description = "protocol") String protocol,
            @Schema(description = "host port") Integer hostPort) {
    }

    /**
     * @param type type
     * @param status status
     * @param reason reason
     * @param message message
     * @param lastTransitionTime when
     */
    public record PodConditionView(
            @Schema(description = "type") String type,
            @Schema(description = "status") String status,
            @Schema(description = "reason") String reason,
            @Schema(description = "message") String message,
            @Schema(description = "when") String lastTransitionTime) {
    }

    /**
     * @param kind kind
     * @param name name
     * @param uid uid
     * @param controller whether it controls the pod
     */
    public record OwnerView(
            @Schema(description = "kind") String kind,
            @Schema(description = "name") String name,
            @Schema(description = "uid") String uid,
            @Schema(description = "whether it controls the pod") boolean controller) {
    }

    /**
     * @param cpuRequestsCores    cores requested
     * @param cpuLimitsCores      cores limited; null (no limit) when a container sets no CPU limit
     * @param memoryRequestsBytes bytes requested
     * @param memoryLimitsBytes   bytes limited; null (no limit) when a container sets no memory limit
     */
    public record PodTotals(
            @Schema(description = "cores requested") Double cpuRequestsCores,
            @Schema(description = "cores limited; null (no limit) when a container sets no CPU limit")
            Double cpuLimitsCores,
            @Schema(description = "bytes requested") Long memoryRequestsBytes,
            @Schema(description = "bytes limited; null (no limit) when a container sets no memory limit")
            Long memoryLimitsBytes) {
    }
}
