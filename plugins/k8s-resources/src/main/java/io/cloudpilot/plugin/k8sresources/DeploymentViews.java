package io.cloudpilot.plugin.k8sresources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.plugin.toolkit.Health;
import io.cloudpilot.plugin.toolkit.Health.Finding;
import io.cloudpilot.spi.Severity;
import io.cloudpilot.plugin.toolkit.ListQuery;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Deployments as an operator reads them: replica counts, rollout state, their ReplicaSets and pods, and health.
 * ReplicaSets and pods are joined in memory from one list each of the Deployment's namespace.
 */
final class DeploymentViews {

    static final String REVISION = "deployment.kubernetes.io/revision";

    static final Map<String, Function<DeploymentSummary, ? extends Comparable<?>>> SORT_KEYS = Map.of(
            "name", DeploymentSummary::name, "namespace", d -> d.namespace() + "/" + d.name(),
            "desired_replicas", DeploymentSummary::desiredReplicas, "ready_replicas", DeploymentSummary::readyReplicas,
            "available_replicas", DeploymentSummary::availableReplicas, "rollout_status", DeploymentSummary::rolloutStatus,
            "age", ListQuery.byAge(DeploymentSummary::createdAt),
            "created_at", ListQuery.byCreation(DeploymentSummary::createdAt));

    private final ClusterReads reads;
    private final Derived<List<DeploymentSummary>> sortedSummaries;
    private final Instant now = Instant.now();

    /**
     * @param reads           the request's reads of one cluster
     * @param sortedSummaries sorted summaries per cached list and order (the plugin's, {@link Views})
     */
    DeploymentViews(ClusterReads reads, Derived<List<DeploymentSummary>> sortedSummaries) {
        this.reads = reads;
        this.sortedSummaries = sortedSummaries;
    }

    DeploymentList list(ListQuery query) {
        List<Deployment> deployments = reads.deployments(query.namespace(), query.labelSelector(),
                query.fieldSelector());
        List<DeploymentSummary> sorted = sortedSummaries.get(List.of(deployments), Arrays.asList(reads.clusterName(),
                        query.namespace(), query.labelSelector(), query.fieldSelector(), query.sortVariant()),
                () -> query.sort(deployments.stream().map(this::summary).toList(), SORT_KEYS, "namespace"));
        ListQuery.Page<DeploymentSummary> page = query.page(sorted);
        // ages move with the clock, not with the cached list
        List<DeploymentSummary> items = page.items().stream().map(d -> d.aged(now)).toList();
        return new DeploymentList(reads.clusterName(), query.namespace(), items, page.count(), page.total(),
                page.page(), page.pageSize());
    }

    DeploymentDetail detail(String namespace, String name) {
        Deployment d = reads.deployment(namespace, name);
        List<ReplicaSet> replicaSets = ownedReplicaSets(d, reads.replicaSets(namespace));
        List<Pod> pods = ownedPods(replicaSets, reads.pods(namespace));
        List<HorizontalPodAutoscaler> hpas;
        try {
            hpas = hpasOf(d, reads.hpas(namespace));
        } catch (ApiException.Forbidden | ApiException.NotFound e) {
            hpas = List.of(); // a cluster that refuses or lacks autoscaling/v2 still shows its deployments
        }
        DeploymentSummary s = summary(d);
        String current = Metadata.annotations(d).get(REVISION);
        List<ReplicaSetView> rsViews = replicaSets.stream()
                .sorted(Comparator.comparingLong((ReplicaSet rs) -> revision(rs)).reversed())
                .map(rs -> new ReplicaSetView(rs.getMetadata().getName(), revisionText(rs),
                        Metadata.nz(rs.getSpec() == null ? null : rs.getSpec().getReplicas()),
                        Metadata.nz(rs.getStatus() == null ? null : rs.getStatus().getReplicas()),
                        Metadata.nz(rs.getStatus() == null ? null : rs.getStatus().getReadyReplicas()),
                        Metadata.nz(rs.getStatus() == null ? null : rs.getStatus().getAvailableReplicas()),
                        rs.getMetadata().getLabels() == null ? null : rs.getMetadata().getLabels().get("pod-template-hash"),
                        current != null && current.equals(revisionText(rs)), Metadata.age(rs, now), Metadata.created(rs)))
                .toList();
        List<PodViews.PodSummary> podViews = pods.stream().map(p -> PodViews.summary(p, now))
                .sorted(Comparator.comparing(PodViews.PodSummary::name)).toList();
        var st = d.getStatus();
        List<ConditionView> conditions = st == null ? List.of() : Metadata.orEmpty(st.getConditions()).stream()
                .map(c -> new ConditionView(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                        c.getLastUpdateTime(), c.getLastTransitionTime())).toList();
        var strategy = d.getSpec().getStrategy();
        StrategyView strategyView = new StrategyView(strategy == null || strategy.getType() == null ? "RollingUpdate"
                : strategy.getType(),
                strategy == null || strategy.getRollingUpdate() == null ? null
                        : Metadata.intOrString(strategy.getRollingUpdate().getMaxSurge()),
                strategy == null || strategy.getRollingUpdate() == null ? null
                        : Metadata.intOrString(strategy.getRollingUpdate().getMaxUnavailable()));
        List<String> hpaNames = hpas.stream().map(h -> h.getMetadata().getName()).toList();
        return new DeploymentDetail(reads.clusterName(), s.name(), s.namespace(), d.getMetadata().getUid(),
                d.getMetadata().getGeneration(), st == null ? null : st.getObservedGeneration(), s.age(), s.createdAt(),
                new Replicas(s.desiredReplicas(), s.currentReplicas(), s.readyReplicas(), s.availableReplicas(),
                        s.updatedReplicas(), s.unavailableReplicas()),
                strategyView, d.getSpec().getMinReadySeconds(), d.getSpec().getRevisionHistoryLimit(),
                d.getSpec().getProgressDeadlineSeconds(), Boolean.TRUE.equals(d.getSpec().getPaused()),
                s.selector(), selectorText(d.getSpec().getSelector()), s.images(), containers(d),
                s.rolloutStatus(), current, conditions, rsViews, podViews, hpaNames, s.labels(),
                Metadata.annotations(d), health(d, pods, hpaNames));
    }

    DeploymentSummary summary(Deployment d) {
        var spec = d.getSpec();
        var st = d.getStatus();
        int desired = spec == null || spec.getReplicas() == null ? 1 : spec.getReplicas();
        List<String> images = spec == null || spec.getTemplate() == null || spec.getTemplate().getSpec() == null ? List.of()
                : Metadata.orEmpty(spec.getTemplate().getSpec().getContainers()).stream().map(Container::getImage).toList();
        return new DeploymentSummary(d.getMetadata().getName(), d.getMetadata().getNamespace(), desired,
                Metadata.nz(st == null ? null : st.getReplicas()), Metadata.nz(st == null ? null : st.getReadyReplicas()),
                Metadata.nz(st == null ? null : st.getAvailableReplicas()),
                Metadata.nz(st == null ? null : st.getUpdatedReplicas()),
                Metadata.nz(st == null ? null : st.getUnavailableReplicas()),
                Metadata.nz(st == null ? null : st.getReadyReplicas()) + "/" + desired,
                spec == null || spec.getStrategy() == null || spec.getStrategy().getType() == null ? "RollingUpdate"
                        : spec.getStrategy().getType(),
                spec == null || spec.getSelector() == null || spec.getSelector().getMatchLabels() == null ? Map.of()
                        : spec.getSelector().getMatchLabels(),
                images, rolloutStatus(d), Metadata.age(d, now), Metadata.created(d), Metadata.labels(d));
    }

    /** complete, progressing, stalled (ProgressDeadlineExceeded) or paused, as kubectl rollout status decides. */
    static String rolloutStatus(Deployment d) {
        var st = d.getStatus();
        if (d.getSpec() != null && Boolean.TRUE.equals(d.getSpec().getPaused())) {
            return "paused";
        }
        DeploymentCondition progressing = st == null ? null : Metadata.orEmpty(st.getConditions()).stream()
                .filter(c -> "Progressing".equals(c.getType())).findFirst().orElse(null);
        if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason())) {
            return "stalled";
        }
        int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        boolean observed = st != null && st.getObservedGeneration() != null && d.getMetadata().getGeneration() != null
                && st.getObservedGeneration() >= d.getMetadata().getGeneration();
        if (observed && Metadata.nz(st.getUpdatedReplicas()) == desired && Metadata.nz(st.getReplicas()) == desired
                && Metadata.nz(st.getAvailableReplicas()) == desired) {
            return "complete";
        }
        return "progressing";
    }

    static List<ReplicaSet> ownedReplicaSets(Deployment d, List<ReplicaSet> all) {
        return all.stream().filter(rs -> ownedBy(rs, "Deployment", d)).toList();
    }

    static List<Pod> ownedPods(List<ReplicaSet> replicaSets, List<Pod> all) {
        return all.stream().filter(p -> replicaSets.stream().anyMatch(rs -> ownedBy(p, "ReplicaSet", rs))).toList();
    }

    static boolean ownedBy(HasMetadata child, String kind, HasMetadata owner) {
        return Metadata.orEmpty(child.getMetadata().getOwnerReferences()).stream()
                .anyMatch(o -> kind.equals(o.getKind()) && (owner.getMetadata().getUid() != null
                        ? owner.getMetadata().getUid().equals(o.getUid())
                        : owner.getMetadata().getName().equals(o.getName())));
    }

    static List<HorizontalPodAutoscaler> hpasOf(Deployment d, List<HorizontalPodAutoscaler> all) {
        return all.stream().filter(h -> h.getSpec() != null && h.getSpec().getScaleTargetRef() != null
                && "Deployment".equals(h.getSpec().getScaleTargetRef().getKind())
                && d.getMetadata().getName().equals(h.getSpec().getScaleTargetRef().getName())).toList();
    }

    private static long revision(ReplicaSet rs) {
        try {
            return Long.parseLong(revisionText(rs));
        } catch (NumberFormatException | NullPointerException e) {
            return -1;
        }
    }

    private static String revisionText(ReplicaSet rs) {
        return Metadata.annotations(rs).get(REVISION);
    }

    static String selectorText(LabelSelector s) {
        if (s == null) {
            return "";
        }
        Set<String> parts = new LinkedHashSet<>();
        if (s.getMatchLabels() != null) {
            s.getMatchLabels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(e -> parts.add(e.getKey() + "=" + e.getValue()));
        }
        for (var e : Metadata.orEmpty(s.getMatchExpressions())) {
            switch (e.getOperator()) {
                case "In" -> parts.add(e.getKey() + " in (" + String.join(",", e.getValues()) + ")");
                case "NotIn" -> parts.add(e.getKey() + " notin (" + String.join(",", e.getValues()) + ")");
                case "Exists" -> parts.add(e.getKey());
                case "DoesNotExist" -> parts.add("!" + e.getKey());
                default -> {
                }
            }
        }
        return String.join(",", parts);
    }

    private static List<TemplateContainer> containers(Deployment d) {
        var tpl = d.getSpec().getTemplate() == null ? null : d.getSpec().getTemplate().getSpec();
        return tpl == null ? List.of() : Metadata.orEmpty(tpl.getContainers()).stream()
                .map(c -> new TemplateContainer(c.getName(), c.getImage(),
                        new PodViews.ContainerResourcesView(
                                c.getResources() == null ? Map.of() : Metadata.raw(c.getResources().getRequests()),
                                c.getResources() == null ? Map.of() : Metadata.raw(c.getResources().getLimits()))))
                .toList();
    }

    /** The deployment health rules; see docs/health-rules.md. */
    static Health health(Deployment d, List<Pod> pods, List<String> hpas) {
        List<Finding> findings = new ArrayList<>();
        var st = d.getStatus();
        int desired = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int available = Metadata.nz(st == null ? null : st.getAvailableReplicas());
        int updated = Metadata.nz(st == null ? null : st.getUpdatedReplicas());
        if (desired == 0) {
            findings.add(new Finding("ScaledToZero", Severity.INFO, "The Deployment is scaled to 0 replicas.", 0));
        } else if (available == 0) {
            findings.add(new Finding("ReplicasUnavailable", Severity.CRITICAL, "None of the " + desired
                    + " desired replicas is available.", 50));
        } else if (available < desired) {
            findings.add(new Finding("ReplicasUnavailable", Severity.WARNING, available + " of " + desired
                    + " desired replicas are available.", 25));
        }
        for (DeploymentCondition c : st == null ? List.<DeploymentCondition>of() : Metadata.orEmpty(st.getConditions())) {
            if ("Available".equals(c.getType()) && "False".equals(c.getStatus()) && desired > 0) {
                findings.add(new Finding("DeploymentUnavailable", Severity.CRITICAL, "Condition Available is False ("
                        + c.getReason() + "): fewer pods are available than the strategy's minimum.", 20));
            }
            if ("Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason())) {
                findings.add(new Finding("ProgressDeadlineExceeded", Severity.CRITICAL, "The rollout is stalled: "
                        + (c.getMessage() == null ? "the progress deadline was exceeded." : c.getMessage()), 30));
            }
        }
        if (desired > 0 && updated < desired && available >= desired) {
            findings.add(new Finding("RolloutInProgress", Severity.INFO, updated + " of " + desired
                    + " replicas run the newest template.", 5));
        }
        Set<String> seen = new LinkedHashSet<>();
        for (Pod p : pods) {
            for (Finding f : PodViews.health(p, null).findings()) {
                if (Set.of("CrashLoopBackOff", "ImagePullBackOff", "Unschedulable", "OOMKilled").contains(f.code())
                        && seen.add(f.code() + "/" + p.getMetadata().getName())) {
                    findings.add(new Finding("Pod" + f.code(), f.severity() == Severity.CRITICAL ? Severity.WARNING
                            : Severity.INFO, "Pod " + p.getMetadata().getName() + ": " + f.message(), 10));
                }
            }
        }
        if (!hpas.isEmpty()) {
            findings.add(new Finding("AutoscaledByHpa", Severity.INFO, "HorizontalPodAutoscaler " + String.join(", ", hpas)
                    + " controls the replica count; scale through it.", 0));
        }
        return Health.of(findings);
    }

    /**
     * The deployments list.
     *
     * @param clusterName the cluster
     * @param namespace   the namespace, or null for all
     * @param deployments the page
     * @param count       items in the page
     * @param total       deployments matching
     * @param page        the page
     * @param pageSize    the page size
     */
    public record DeploymentList(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "the namespace, or null for all") String namespace,
            @Schema(description = "the page") List<DeploymentSummary> deployments,
            @Schema(description = "items in the page") int count,
            @Schema(description = "deployments matching") int total,
            @Schema(description = "the page") int page,
            @Schema(description = "the page size") int pageSize) {
    }

    /**
     * One deployment in a list.
     *
     * @param name                name
     * @param namespace           namespace
     * @param desiredReplicas     spec.replicas
     * @param currentReplicas     status.replicas
     * @param readyReplicas       ready
     * @param availableReplicas   available
     * @param updatedReplicas     running the newest template
     * @param unavailableReplicas unavailable
     * @param ready               ready/desired, as kubectl shows it
     * @param strategyType        RollingUpdate or Recreate
     * @param selector            matchLabels
     * @param images              container images of the template
     * @param rolloutStatus       complete, progressing, stalled or paused
     * @param age                 age
     * @param createdAt           creationTimestamp
     * @param labels              labels
     */
    public record DeploymentSummary(
            @Schema(description = "name") String name,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "spec.replicas") int desiredReplicas,
            @Schema(description = "status.replicas") int currentReplicas,
            @Schema(description = "ready") int readyReplicas,
            @Schema(description = "available") int availableReplicas,
            @Schema(description = "running the newest template") int updatedReplicas,
            @Schema(description = "unavailable") int unavailableReplicas,
            @Schema(description = "ready/desired, as kubectl shows it") String ready,
            @Schema(description = "RollingUpdate or Recreate") String strategyType,
            @Schema(description = "matchLabels") Map<String, String> selector,
            @Schema(description = "container images of the template") List<String> images,
            @Schema(description = "complete, progressing, stalled or paused") String rolloutStatus,
            @Schema(description = "age") String age,
            @Schema(description = "creationTimestamp") String createdAt,
            @Schema(description = "labels") Map<String, String> labels) {

        /**
         * @param now the current time
         * @return this summary with its age at {@code now}
         */
        DeploymentSummary aged(Instant now) {
            return new DeploymentSummary(name, namespace, desiredReplicas, currentReplicas, readyReplicas,
                    availableReplicas, updatedReplicas, unavailableReplicas, ready, strategyType, selector, images,
                    rolloutStatus, Ages.format(createdAt, now), createdAt, labels);
        }
    }

    /**
     * A deployment in detail.
     *
     * @param clusterName             the cluster
     * @param name                    name
     * @param namespace               namespace
     * @param uid                     uid
     * @param generation              metadata.generation
     * @param observedGeneration      status.observedGeneration
     * @param age                     age
     * @param createdAt               creationTimestamp
     * @param replicas                replica counts
     * @param strategy                strategy
     * @param minReadySeconds         minReadySeconds
     * @param revisionHistoryLimit    revisionHistoryLimit
     * @param progressDeadlineSeconds progressDeadlineSeconds
     * @param paused                  paused
     * @param selector                matchLabels
     * @param selectorText            the selector as a label selector string
     * @param images                  images
     * @param containers              template containers with their requests and limits
     * @param rolloutStatus           complete, progressing, stalled or paused
     * @param currentRevision         the deployment's revision annotation
     * @param conditions              conditions
     * @param replicasets             its ReplicaSets, newest revision first
     * @param pods                    its pods
     * @param hpas                    HorizontalPodAutoscalers targeting it
     * @param labels                  labels
     * @param annotations             annotations
     * @param health                  score, status and findings
     */
    public record DeploymentDetail(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "name") String name,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "uid") String uid,
            @Schema(description = "metadata.generation") Long generation,
            @Schema(description = "status.observedGeneration") Long observedGeneration,
            @Schema(description = "age") String age,
            @Schema(description = "creationTimestamp") String createdAt,
            @Schema(description = "replica counts") Replicas replicas,
            @Schema(description = "strategy") StrategyView strategy,
            @Schema(description = "minReadySeconds") Integer minReadySeconds,
            @Schema(description = "revisionHistoryLimit") Integer revisionHistoryLimit,
            @Schema(description = "progressDeadlineSeconds") Integer progressDeadlineSeconds,
            @Schema(description = "paused") boolean paused,
            @Schema(description = "matchLabels") Map<String, String> selector,
            @Schema(description = "the selector as a label selector string") String selectorText,
            @Schema(description = "images") List<String> images,
            @Schema(description = "template containers with their requests and limits") List<TemplateContainer> containers,
            @Schema(description = "complete, progressing, stalled or paused") String rolloutStatus,
            @Schema(description = "the deployment's revision annotation") String currentRevision,
            @Schema(description = "conditions") List<ConditionView> conditions,
            @Schema(description = "its ReplicaSets, newest revision first") List<ReplicaSetView> replicasets,
            @Schema(description = "its pods") List<PodViews.PodSummary> pods,
            @Schema(description = "HorizontalPodAutoscalers targeting it") List<String> hpas,
            @Schema(description = "labels") Map<String, String> labels,
            @Schema(description = "annotations") Map<String, String> annotations,
            @Schema(description = "score, status and findings") Health health) {
    }

    /**
     * @param desired spec
     * @param current status
     * @param ready ready
     * @param available available
     * @param updated updated
     * @param unavailable unavailable
     */
    public record Replicas(
            @Schema(description = "spec") int desired,
            @Schema(description = "status") int current,
            @Schema(description = "ready") int ready,
            @Schema(description = "available") int available,
            @Schema(description = "updated") int updated,
            @Schema(description = "unavailable") int unavailable) {
    }

    /**
     * @param type RollingUpdate or Recreate
     * @param maxSurge e.g. 25%
     * @param maxUnavailable e.g. 25%
     */
    public record StrategyView(
            @Schema(description = "RollingUpdate or Recreate") String type,
            @Schema(description = "e.g. 25%") String maxSurge,
            @Schema(description = "e.g. 25%") String maxUnavailable) {
    }

    /**
     * @param name name
     * @param image image
     * @param resources raw requests and limits
     */
    public record TemplateContainer(
            @Schema(description = "name") String name,
            @Schema(description = "image") String image,
            @Schema(description = "raw requests and limits") PodViews.ContainerResourcesView resources) {
    }

    /**
     * @param type               Available, Progressing, ReplicaFailure
     * @param status             True, False, Unknown
     * @param reason             reason
     * @param message            message
     * @param lastUpdateTime     last update
     * @param lastTransitionTime last change
     */
    public record ConditionView(
            @Schema(description = "Available, Progressing, ReplicaFailure") String type,
            @Schema(description = "True, False, Unknown") String status,
            @Schema(description = "reason") String reason,
            @Schema(description = "message") String message,
            @Schema(description = "last update") String lastUpdateTime,
            @Schema(description = "last change") String lastTransitionTime) {
    }

    /**
     * @param name            name
     * @param revision        revision annotation
     * @param desired         spec.replicas
     * @param current         status.replicas
     * @param ready           ready
     * @param available       available
     * @param podTemplateHash pod-template-hash
     * @param isCurrent       whether its revision is the deployment's
     * @param age             age
     * @param createdAt       creationTimestamp
     */
    public record ReplicaSetView(
            @Schema(description = "name") String name,
            @Schema(description = "revision annotation") String revision,
            @Schema(description = "spec.replicas") int desired,
            @Schema(description = "status.replicas") int current,
            @Schema(description = "ready") int ready,
            @Schema(description = "available") int available,
            @Schema(description = "pod-template-hash") String podTemplateHash,
            @Schema(description = "whether its revision is the deployment's") boolean isCurrent,
            @Schema(description = "age") String age,
            @Schema(description = "creationTimestamp") String createdAt) {
    }
}
