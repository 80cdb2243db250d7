package io.cloudpilot.plugin.istioworkloads;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import io.cloudpilot.plugin.istioworkloads.ServiceViews.ServiceView;
import io.cloudpilot.plugin.istioworkloads.WorkloadEvents.EventView;
import io.cloudpilot.plugin.istioworkloads.WorkloadReader.Workload;
import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.plugin.toolkit.Health;
import io.cloudpilot.plugin.toolkit.Quantities;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The detail of istiod or the ingress gateway: every matching Deployment of the namespace with its status,
 * version, pods, resources, Service, recent warning events and explainable health.
 */
final class WorkloadDetails {

    /** Warning events shown in a detail. */
    static final int RECENT_WARNINGS = 10;

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final WorkloadReader reader;

    WorkloadDetails(WorkloadReader reader) {
        this.reader = reader;
    }

    /**
     * The answer of a detail endpoint.
     *
     * @param clusterName the cluster
     * @param namespace   the namespace searched
     * @param component   istiod or gateway
     * @param count       how many Deployments were found
     * @param health      the health of all of them together (findings name their workload)
     * @param workloads   each Deployment found, by name
     * @param unavailable lists the cluster refused (RBAC): the detail is shown without them
     */
    public record Detail(String clusterName, String namespace, String component, int count, Health health,
                         List<WorkloadDetail> workloads, List<Unavailable> unavailable) {
    }

    /**
     * A list the detail could not read.
     *
     * @param kind      services or events
     * @param errorType e.g. Forbidden
     * @param reason    the cluster's answer
     */
    public record Unavailable(String kind, String errorType, String reason) {
    }

    /**
     * One istiod or gateway Deployment.
     *
     * @param name                 Deployment name
     * @param namespace            its namespace
     * @param uid                  its uid
     * @param creationTimestamp    when it was created (ISO-8601)
     * @param age                  its age, as kubectl shows it
     * @param labels               its labels
     * @param annotations          its annotations
     * @param revision             the {@code istio.io/rev} label (the revision name, e.g. default), or null
     * @param version              the Istio version: the tag of the main container's image (discovery, istio-proxy)
     * @param image                that image
     * @param replicas             desired, current, ready, available, updated and unavailable replicas
     * @param conditions           the Deployment's conditions
     * @param containers           the pod template's containers with their resources, and their state in the
     *                             most representative pod (ready, then running, then newest)
     * @param pods                 every pod the Deployment owns, with container states and restarts
     * @param resources            CPU (cores) and memory (bytes) requested and limited, per pod and for all
     *                             desired replicas
     * @param serviceInfo          the Service in front: the one named like the Deployment, else the first that
     *                             selects its pods; null when none does
     * @param services             every Service that selects its pods
     * @param recentWarningEvents  its newest Warning events (at most 10)
     * @param health               its explainable health
     * @param configuration        rollout strategy, selector and pod template, as Kubernetes writes them
     * @param trafficMetrics       gateway only: traffic numbers, all null until a metrics source is configured
     */
    public record WorkloadDetail(String name, String namespace, String uid, String creationTimestamp, String age,
                                 Map<String, String> labels, Map<String, String> annotations, String revision,
                                 String version, String image, Replicas replicas, List<ConditionView> conditions,
                                 List<ContainerView> containers, List<PodView> pods, ResourceSummary resources,
                                 ServiceView serviceInfo, List<ServiceView> services,
                                 List<EventView> recentWarningEvents, Health health, Configuration configuration,
                                 TrafficMetrics trafficMetrics) {
    }

    /**
     * @param desired     {@code spec.replicas}
     * @param current     {@code status.replicas}
     * @param ready       {@code status.readyReplicas} (0 when Kubernetes omits it)
     * @param available   {@code status.availableReplicas}
     * @param updated     {@code status.updatedReplicas}
     * @param unavailable {@code status.unavailableReplicas}
     */
    public record Replicas(int desired, int current, int ready, int available, int updated, int unavailable) {
    }

    /**
     * @param type               Available, Progressing or ReplicaFailure
     * @param status             True, False or Unknown
     * @param reason             machine-readable reason
     * @param message            human-readable message
     * @param lastTransitionTime when the status last changed
     * @param lastUpdateTime     when the condition was last updated
     */
    public record ConditionView(String type, String status, String reason, String message, String lastTransitionTime,
                                String lastUpdateTime) {
    }

    /**
     * A container of the pod template.
     *
     * @param name         container name
     * @param image        image
     * @param version      the image tag
     * @param resources    requests and limits as Kubernetes writes them
     * @param pod          the pod the state below is read from, or null when there is no pod
     * @param state        Running, Waiting, Terminated or Unknown
     * @param reason       the Waiting or Terminated reason, or null
     * @param ready        whether it is ready in that pod
     * @param restartCount its restarts in that pod
     * @param startedAt    when its current instance started, or null
     */
    public record ContainerView(String name, String image, String version, ContainerResources resources, String pod,
                                String state, String reason, boolean ready, int restartCount, String startedAt) {
    }

    /**
     * @param requests e.g. {@code {cpu: 500m, memory: 2Gi}}
     * @param limits   e.g. {@code {}} when none
     */
    public record ContainerResources(Map<String, String> requests, Map<String, String> limits) {
    }

    /**
     * A pod of the workload.
     *
     * @param name              pod name
     * @param namespace         its namespace
     * @param status            its phase
     * @param ready             whether its Ready condition is True
     * @param restartCount      restarts of all its containers
     * @param nodeName          its node, or null when unscheduled
     * @param podIp             its IP, or null
     * @param creationTimestamp when it was created
     * @param age               its age
     * @param version           the tag of its main container's image
     * @param containers        each container's state
     */
    public record PodView(String name, String namespace, String status, boolean ready, int restartCount,
                          String nodeName, String podIp, String creationTimestamp, String age, String version,
                          List<ContainerStateView> containers) {
    }

    /**
     * @param name         container name
     * @param image        its image
     * @param state        Running, Waiting, Terminated or Unknown
     * @param reason       Waiting/Terminated reason (CrashLoopBackOff, OOMKilled...), or null
     * @param ready        whether it is ready
     * @param restartCount its restarts
     * @param startedAt    when the current instance started, or null
     * @param lastState    how the previous instance ended, or null when it never restarted
     */
    public record ContainerStateView(String name, String image, String state, String reason, boolean ready,
                                     int restartCount, String startedAt, LastState lastState) {
    }

    /**
     * @param state      Terminated (or Waiting/Running)
     * @param reason     e.g. OOMKilled
     * @param exitCode   e.g. 137
     * @param startedAt  when that instance started
     * @param finishedAt when it ended
     */
    public record LastState(String state, String reason, Integer exitCode, String startedAt, String finishedAt) {
    }

    /**
     * @param perPod                    what one pod requests and limits
     * @param total                     the same for all desired replicas
     * @param containersWithoutLimits   containers with no limits at all
     * @param containersWithoutRequests containers with no requests at all
     */
    public record ResourceSummary(ResourceAmounts perPod, ResourceAmounts total, List<String> containersWithoutLimits,
                                  List<String> containersWithoutRequests) {
    }

    /**
     * @param cpuRequestsCores    CPU requested, in cores
     * @param cpuLimitsCores      CPU limit, in cores; null when a container has no CPU limit (unbounded)
     * @param memoryRequestsBytes memory requested, in bytes
     * @param memoryLimitsBytes   memory limit, in bytes; null when a container has no memory limit
     */
    public record ResourceAmounts(double cpuRequestsCores, Double cpuLimitsCores, long memoryRequestsBytes,
                                  Long memoryLimitsBytes) {
    }

    /**
     * @param strategy                the rollout strategy
     * @param selector                the pod selector
     * @param templateSpec            the pod template
     * @param minReadySeconds         {@code spec.minReadySeconds}
     * @param progressDeadlineSeconds {@code spec.progressDeadlineSeconds}
     * @param revisionHistoryLimit    {@code spec.revisionHistoryLimit}
     */
    public record Configuration(Map<String, Object> strategy, Map<String, Object> selector,
                                Map<String, Object> templateSpec, Integer minReadySeconds,
                                Integer progressDeadlineSeconds, Integer revisionHistoryLimit) {
    }

    /**
     * Traffic numbers of a gateway. CloudPilot reads no metrics source yet, so each is null and {@code reason} says so.
     *
     * @param connectionsActive  open downstream connections
     * @param requestsPerSecond  requests per second
     * @param responseTimeAvg    mean response time in ms
     * @param errorRate          share of 5xx answers
     * @param reason             why the numbers are null
     */
    public record TrafficMetrics(Double connectionsActive, Double requestsPerSecond, Double responseTimeAvg,
                                 Double errorRate, String reason) {
    }

    /**
     * @param cluster      the cluster
     * @param namespace    the namespace
     * @param component    istiod or gateway
     * @param forceRefresh bypass the cache
     * @return the detail
     */
    Detail read(ClusterContext cluster, String namespace, IstioComponent component, boolean forceRefresh) {
        List<Unavailable> unavailable = new CopyOnWriteArrayList<>();
        List<Object> parts = reader.all(List.<Callable<Object>>of(
                () -> reader.find(cluster, namespace, component, forceRefresh),
                () -> optional("services", () -> reader.services(cluster, namespace, forceRefresh), unavailable),
                () -> optional("events", () -> reader.events(cluster, namespace, forceRefresh), unavailable)));
        @SuppressWarnings("unchecked") List<Workload> workloads = (List<Workload>) parts.get(0);
        @SuppressWarnings("unchecked") List<Service> services = (List<Service>) parts.get(1);
        @SuppressWarnings("unchecked") List<Event> events = (List<Event>) parts.get(2);
        Instant now = Instant.now();
        List<WorkloadDetail> details = new ArrayList<>();
        List<Health.Finding> all = new ArrayList<>();
        for (Workload w : workloads) {
            WorkloadDetail d = detail(component, w, services, events, now);
            details.add(d);
            all.addAll(d.health().findings());
        }
        return new Detail(cluster.name(), namespace, component.id(), details.size(), Health.of(all), List.copyOf(details),
                List.copyOf(unavailable));
    }

    /** A list the cluster refuses (403) is noted and read as empty; any other failure propagates. */
    private static <T> List<T> optional(String kind, Supplier<List<T>> read, List<Unavailable> unavailable) {
        try {
            return read.get();
        } catch (ApiException.Forbidden e) {
            unavailable.add(new Unavailable(kind, e.errorType(), e.getMessage()));
            return List.of();
        }
    }

    /** The Services that select a workload's pods, the one named like the Deployment first. */
    static List<Service> servicesOf(Workload w, List<Service> services) {
        Deployment d = w.deployment();
        Map<String, String> labels = d.getSpec() == null || d.getSpec().getTemplate() == null
                || d.getSpec().getTemplate().getMetadata() == null ? Map.of() : d.getSpec().getTemplate().getMetadata().getLabels();
        return services.stream()
                .filter(s -> s.getSpec() != null && WorkloadReader.selects(s.getSpec().getSelector(), labels))
                .sorted(Comparator.comparing((Service s) -> !s.getMetadata().getName().equals(w.name()))
                        .thenComparing(s -> s.getMetadata().getName()))
                .toList();
    }

    /** The newest Warning events of a workload. */
    static List<Event> recentWarnings(Workload w, List<Event> events) {
        return WorkloadEvents.of(w, events).stream().filter(e -> "Warning".equals(e.getType())).limit(RECENT_WARNINGS).toList();
    }

    static WorkloadDetail detail(IstioComponent component, Workload w, List<Service> namespaceServices,
                                 List<Event> namespaceEvents, Instant now) {
        Deployment d = w.deployment();
        var meta = d.getMetadata();
        var spec = d.getSpec();
        var status = d.getStatus();
        List<Service> services = servicesOf(w, namespaceServices);
        List<Event> warnings = recentWarnings(w, namespaceEvents);
        List<Container> containers = spec == null || spec.getTemplate() == null || spec.getTemplate().getSpec() == null
                ? List.of() : spec.getTemplate().getSpec().getContainers();
        Container main = containers.stream().filter(c -> component.mainContainer().equals(c.getName())).findFirst()
                .orElse(containers.isEmpty() ? null : containers.getFirst());
        int desired = spec == null || spec.getReplicas() == null ? 1 : spec.getReplicas();
        Replicas replicas = new Replicas(desired,
                status == null || status.getReplicas() == null ? 0 : status.getReplicas(),
                status == null || status.getReadyReplicas() == null ? 0 : status.getReadyReplicas(),
                status == null || status.getAvailableReplicas() == null ? 0 : status.getAvailableReplicas(),
                status == null || status.getUpdatedReplicas() == null ? 0 : status.getUpdatedReplicas(),
                status == null || status.getUnavailableReplicas() == null ? 0 : status.getUnavailableReplicas());
        List<ConditionView> conditions = status == null || status.getConditions() == null ? List.of()
                : status.getConditions().stream().map(WorkloadDetails::condition).toList();
        Pod representative = w.pods().stream().min(Comparator
                .comparing((Pod p) -> !PodStates.ready(p))
                .thenComparing(p -> !"Running".equals(PodStates.phase(p)))
                .thenComparing((Pod p) -> String.valueOf(p.getMetadata().getCreationTimestamp()), Comparator.reverseOrder()))
                .orElse(null);
        Map<String, String> labels = meta.getLabels() == null ? Map.of() : new TreeMap<>(meta.getLabels());
        String revision = labels.get("istio.io/rev");
        if (revision == null && spec != null && spec.getTemplate() != null && spec.getTemplate().getMetadata() != null
                && spec.getTemplate().getMetadata().getLabels() != null) {
            revision = spec.getTemplate().getMetadata().getLabels().get("istio.io/rev");
        }
        return new WorkloadDetail(meta.getName(), meta.getNamespace(), meta.getUid(), meta.getCreationTimestamp(),
                Ages.format(meta.getCreationTimestamp(), now), labels,
                meta.getAnnotations() == null ? Map.of() : new TreeMap<>(meta.getAnnotations()),
                revision, main == null ? null : PodStates.tag(main.getImage()), main == null ? null : main.getImage(),
                replicas, conditions,
                containers.stream().map(c -> container(c, representative)).toList(),
                w.pods().stream().map(p -> pod(p, component, now)).toList(),
                resources(containers, desired),
                services.isEmpty() ? null : ServiceViews.of(services.getFirst()),
                services.stream().map(ServiceViews::of).toList(),
                warnings.stream().map(e -> WorkloadEvents.view(w.name(), e, now)).toList(),
                WorkloadHealth.evaluate(component, w, services, warnings),
                configuration(d),
                component == IstioComponent.GATEWAY ? new TrafficMetrics(null, null, null, null,
                        "CloudPilot reads no metrics source for gateway traffic yet.") : null);
    }

    private static ConditionView condition(DeploymentCondition c) {
        return new ConditionView(c.getType(), c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime(),
                c.getLastUpdateTime());
    }

    private static ContainerView container(Container c, Pod pod) {
        ContainerStatus s = pod == null ? null : PodStates.statuses(pod).stream()
                .filter(x -> c.getName().equals(x.getName())).findFirst().orElse(null);
        ContainerStateView state = s == null ? null : state(s);
        return new ContainerView(c.getName(), c.getImage(), PodStates.tag(c.getImage()), resources(c),
                pod == null ? null : pod.getMetadata().getName(),
                state == null ? "Unknown" : state.state(), state == null ? null : state.reason(),
                state != null && state.ready(), state == null ? 0 : state.restartCount(),
                state == null ? null : state.startedAt());
    }

    private static ContainerResources resources(Container c) {
        Map<String, String> requests = new TreeMap<>();
        Map<String, String> limits = new TreeMap<>();
        if (c.getResources() != null) {
            if (c.getResources().getRequests() != null) {
                c.getResources().getRequests().forEach((k, v) -> requests.put(k, v.toString()));
            }
            if (c.getResources().getLimits() != null) {
                c.getResources().getLimits().forEach((k, v) -> limits.put(k, v.toString()));
            }
        }
        return new ContainerResources(requests, limits);
    }

    private static PodView pod(Pod p, IstioComponent component, Instant now) {
        List<ContainerStateView> containers = PodStates.statuses(p).stream().map(WorkloadDetails::state).toList();
        String version = p.getSpec() == null ? null : p.getSpec().getContainers().stream()
                .filter(c -> component.mainContainer().equals(c.getName())).findFirst()
                .map(c -> PodStates.tag(c.getImage())).orElse(null);
        return new PodView(p.getMetadata().getName(), p.getMetadata().getNamespace(), PodStates.phase(p),
                PodStates.ready(p), PodStates.restarts(p), p.getSpec() == null ? null : p.getSpec().getNodeName(),
                p.getStatus() == null ? null : p.getStatus().getPodIP(), p.getMetadata().getCreationTimestamp(),
                Ages.format(p.getMetadata().getCreationTimestamp(), now), version, containers);
    }

    static ContainerStateView state(ContainerStatus s) {
        ContainerState st = s.getState();
        String state = "Unknown";
        String reason = null;
        String startedAt = null;
        if (st != null && st.getRunning() != null) {
            state = "Running";
            startedAt = st.getRunning().getStartedAt();
        } else if (st != null && st.getWaiting() != null) {
            state = "Waiting";
            reason = st.getWaiting().getReason();
        } else if (st != null && st.getTerminated() != null) {
            state = "Terminated";
            reason = st.getTerminated().getReason();
            startedAt = st.getTerminated().getStartedAt();
        }
        LastState last = null;
        ContainerState ls = s.getLastState();
        if (ls != null && ls.getTerminated() != null) {
            var t = ls.getTerminated();
            last = new LastState("Terminated", t.getReason(), t.getExitCode(), t.getStartedAt(), t.getFinishedAt());
        }
        return new ContainerStateView(s.getName(), s.getImage(), state, reason, Boolean.TRUE.equals(s.getReady()),
                s.getRestartCount() == null ? 0 : s.getRestartCount(), startedAt, last);
    }

    static ResourceSummary resources(List<Container> containers, int desired) {
        BigDecimal cpuReq = BigDecimal.ZERO;
        BigDecimal memReq = BigDecimal.ZERO;
        BigDecimal cpuLim = BigDecimal.ZERO;
        BigDecimal memLim = BigDecimal.ZERO;
        boolean cpuUnbounded = false;
        boolean memUnbounded = false;
        List<String> noLimits = new ArrayList<>();
        List<String> noRequests = new ArrayList<>();
        for (Container c : containers) {
            Map<String, Quantity> req = c.getResources() == null || c.getResources().getRequests() == null
                    ? Map.of() : c.getResources().getRequests();
            Map<String, Quantity> lim = c.getResources() == null || c.getResources().getLimits() == null
                    ? Map.of() : c.getResources().getLimits();
            // an unset request defaults to the limit, as the API server defaults it
            cpuReq = cpuReq.add(Quantities.amount(req.getOrDefault("cpu", lim.get("cpu"))));
            memReq = memReq.add(Quantities.amount(req.getOrDefault("memory", lim.get("memory"))));
            if (lim.containsKey("cpu")) {
                cpuLim = cpuLim.add(Quantities.amount(lim.get("cpu")));
            } else {
                cpuUnbounded = true;
            }
            if (lim.containsKey("memory")) {
                memLim = memLim.add(Quantities.amount(lim.get("memory")));
            } else {
                memUnbounded = true;
            }
            if (lim.isEmpty()) {
                noLimits.add(c.getName());
            }
            if (req.isEmpty()) {
                noRequests.add(c.getName());
            }
        }
        BigDecimal n = BigDecimal.valueOf(desired);
        ResourceAmounts perPod = amounts(cpuReq, cpuUnbounded ? null : cpuLim, memReq, memUnbounded ? null : memLim);
        ResourceAmounts total = amounts(cpuReq.multiply(n), cpuUnbounded ? null : cpuLim.multiply(n),
                memReq.multiply(n), memUnbounded ? null : memLim.multiply(n));
        return new ResourceSummary(perPod, total, List.copyOf(noLimits), List.copyOf(noRequests));
    }

    private static ResourceAmounts amounts(BigDecimal cpuReq, BigDecimal cpuLim, BigDecimal memReq, BigDecimal memLim) {
        return new ResourceAmounts(cpuReq.setScale(3, RoundingMode.HALF_UP).doubleValue(),
                cpuLim == null ? null : cpuLim.setScale(3, RoundingMode.HALF_UP).doubleValue(),
                memReq.setScale(0, RoundingMode.CEILING).longValueExact(),
                memLim == null ? null : memLim.setScale(0, RoundingMode.CEILING).longValueExact());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o == null ? null : SERIALIZATION.convertValue(o, Map.class);
    }

    private static Configuration configuration(Deployment d) {
        var spec = d.getSpec();
        if (spec == null) {
            return new Configuration(null, null, null, null, null, null);
        }
        return new Configuration(asMap(spec.getStrategy()), asMap(spec.getSelector()), asMap(spec.getTemplate()),
                spec.getMinReadySeconds(), spec.getProgressDeadlineSeconds(), spec.getRevisionHistoryLimit());
    }
}
