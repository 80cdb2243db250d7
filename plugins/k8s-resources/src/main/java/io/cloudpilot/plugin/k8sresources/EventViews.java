package io.cloudpilot.plugin.k8sresources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.plugin.toolkit.ListQuery;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Events, newest first, with a summary by type and reason. Events of a Deployment include those of its ReplicaSets
 * and their pods. One events list per request (namespace or cluster), filtered in memory.
 */
final class EventViews {

    /** Kinds callers may name in resource_kind, by lower-case name. */
    static final Map<String, String> KINDS = kinds("Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
            "CronJob", "Node", "Service", "Endpoints", "HorizontalPodAutoscaler", "PersistentVolumeClaim",
            "PersistentVolume", "Namespace", "ConfigMap", "Secret", "Ingress", "ServiceAccount", "PodDisruptionBudget");
    private static final List<String> CLUSTER_SCOPED = List.of("Node", "PersistentVolume", "Namespace");

    static final Map<String, Function<EventView, ? extends Comparable<?>>> SORT_KEYS = Map.of(
            "last_seen", e -> Ages.parse(e.lastSeen()), "first_seen", e -> Ages.parse(e.firstSeen()),
            "type", EventView::type, "reason", EventView::reason, "count", EventView::count,
            "namespace", EventView::namespace);

    private final ClusterReads reads;
    private final Derived<Sorted> sorted;
    private final Instant now = Instant.now();

    /**
     * @param reads  the cluster's reads
     * @param sorted sorted events per cached list and variant (the plugin's, {@link Views})
     */
    EventViews(ClusterReads reads, Derived<Sorted> sorted) {
        this.reads = reads;
        this.sorted = sorted;
    }

    private static Map<String, String> kinds(String... kinds) {
        Map<String, String> m = new TreeMap<>();
        for (String k : kinds) {
            m.put(k.toLowerCase(Locale.ROOT), k);
        }
        return m;
    }

    /** @return the canonical kind; 400 naming the accepted ones otherwise */
    static String kind(String resourceKind) {
        if (resourceKind == null || resourceKind.isBlank()) {
            throw new ApiException.ValidationError("Query parameter 'resource_kind' is required: give the kind of the "
                    + "object, one of " + KINDS.values() + ".");
        }
        String kind = KINDS.get(resourceKind.trim().toLowerCase(Locale.ROOT));
        if (kind == null) {
            throw new ApiException.ValidationError("Query parameter 'resource_kind' cannot be "
                    + ApiException.quote(resourceKind) + ": use one of " + KINDS.values() + ".");
        }
        return kind;
    }

    /** The events of a variant, sorted, and their counts; ages are computed per page. */
    record Sorted(List<EventView> views, Summary summary) {
    }

    EventList forResource(String kind, String namespace, String name, ListQuery query) {
        if (CLUSTER_SCOPED.contains(kind)) {
            List<Event> events = reads.events(namespace);
            Predicate<ObjectReference> match = ref -> kind.equals(ref.getKind()) && name.equals(ref.getName());
            return page(List.of(events), events, match, namespace, kind, name, query);
        }
        if (namespace == null) {
            throw new ApiException.ValidationError("Query parameter 'namespace' is required for events of a "
                    + kind + ".");
        }
        List<Event> events = reads.events(namespace);
        if (!"Deployment".equals(kind)) {
            Predicate<ObjectReference> match = ref -> kind.equals(ref.getKind()) && name.equals(ref.getName());
            return page(List.of(events), events, match, namespace, kind, name, query);
        }
        Deployment d = reads.deployment(namespace, name);
        List<ReplicaSet> allReplicaSets = reads.replicaSets(namespace);
        List<Pod> allPods = reads.pods(namespace);
        Supplier<Predicate<ObjectReference>> match = () -> {
            List<ReplicaSet> rs = DeploymentViews.ownedReplicaSets(d, allReplicaSets);
            List<Pod> pods = DeploymentViews.ownedPods(rs, allPods);
            Set<String> names = new HashSet<>();
            names.add("Deployment/" + name);
            rs.forEach(r -> names.add("ReplicaSet/" + r.getMetadata().getName()));
            pods.forEach(p -> names.add("Pod/" + p.getMetadata().getName()));
            return ref -> names.contains(ref.getKind() + "/" + ref.getName());
        };
        return page(Arrays.asList(events, d, allReplicaSets, allPods), events, match, namespace, kind, name, query);
    }

    EventList forNamespace(String namespace, ListQuery query) {
        List<Event> events = reads.events(namespace, query.labelSelector(), query.fieldSelector());
        return page(List.of(events), events, (Predicate<ObjectReference>) null, namespace, null, null, query);
    }

    EventList forCluster(ListQuery query) {
        List<Event> events = reads.events(null, query.labelSelector(), query.fieldSelector());
        return page(List.of(events), events, (Predicate<ObjectReference>) null, null, null, null, query);
    }

    private EventList page(List<?> sources, List<Event> events, Predicate<ObjectReference> match, String namespace,
                           String kind, String name, ListQuery query) {
        return page(sources, events, () -> match, namespace, kind, name, query);
    }

    private EventList page(List<?> sources, List<Event> events, Supplier<Predicate<ObjectReference>> match,
                           String namespace, String kind, String name, ListQuery query) {
        Sorted view = sorted.get(sources, Arrays.asList(reads.clusterName(), namespace, kind, name,
                query.labelSelector(), query.fieldSelector(), query.sortVariant()), () -> {
            Predicate<ObjectReference> m = match.get();
            List<EventView> views = new ArrayList<>();
            Map<String, Integer> byType = new TreeMap<>();
            Map<String, Integer> byReason = new TreeMap<>();
            for (Event e : events) {
                if (m != null && (e.getInvolvedObject() == null || !m.test(e.getInvolvedObject()))) {
                    continue;
                }
                EventView v = view(e);
                views.add(v);
                byType.merge(String.valueOf(v.type()), 1, Integer::sum);
                byReason.merge(String.valueOf(v.reason()), 1, Integer::sum);
            }
            return new Sorted(query.sort(views, SORT_KEYS, "last_seen"), new Summary(views.size(),
                    byType.getOrDefault("Warning", 0), byType.getOrDefault("Normal", 0), Collections.unmodifiableMap(byType),
                    Collections.unmodifiableMap(byReason)));
        });
        ListQuery.Page<EventView> page = query.page(view.views());
        // ages move with the clock, not with the cached list
        List<EventView> items = page.items().stream().map(e -> e.aged(now)).toList();
        return new EventList(reads.clusterName(), namespace, kind, name, items, page.count(), page.total(),
                page.page(), page.pageSize(), view.summary());
    }

    EventView view(Event e) {
        String first = e.getFirstTimestamp();
        String eventTime = e.getEventTime() == null ? null : e.getEventTime().getTime();
        String seriesLast = e.getSeries() == null || e.getSeries().getLastObservedTime() == null ? null
                : e.getSeries().getLastObservedTime().getTime();
        String last = latest(seriesLast, e.getLastTimestamp(), eventTime, first);
        String firstSeen = first != null ? first : eventTime != null ? eventTime : last;
        int count = e.getSeries() != null && e.getSeries().getCount() != null ? e.getSeries().getCount()
                : e.getCount() == null ? 1 : e.getCount();
        String source = e.getSource() != null && e.getSource().getComponent() != null ? e.getSource().getComponent()
                : e.getReportingComponent();
        ObjectReference ref = e.getInvolvedObject();
        return new EventView(e.getMetadata().getNamespace(), e.getMetadata().getName(), e.getType(), e.getReason(),
                e.getMessage() == null ? "" : e.getMessage(), count, firstSeen, last,
                last == null ? null : Ages.format(last, now), eventTime, e.getFirstTimestamp(), e.getLastTimestamp(),
                source, e.getSource() == null ? null : e.getSource().getHost(), e.getAction(),
                ref == null ? null : new InvolvedObject(ref.getKind(), ref.getNamespace(), ref.getName(), ref.getUid(),
                        ref.getFieldPath()));
    }

    /** The latest of some timestamps, by instant (they mix second and microsecond precision). */
    private static String latest(String... times) {
        Instant bestAt = null;
        for (String t : times) {
            Instant at = Ages.parse(t);
            if (at != null && (bestAt == null || at.isAfter(bestAt))) {
                bestAt = at;
            }
        }
        return bestAt == null ? null : bestAt.toString();
    }

    /**
     * Events, newest first.
     *
     * @param clusterName  the cluster
     * @param namespace    the namespace, or null for all
     * @param resourceKind the object's kind, for resource events
     * @param resourceName the object's name, for resource events
     * @param events       the page
     * @param count        items in the page
     * @param total        events matching
     * @param page         the page
     * @param pageSize     the page size
     * @param summary      counts over all matching events
     */
    public record EventList(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "the namespace, or null for all") String namespace,
            @Schema(description = "the object's kind, for resource events") String resourceKind,
            @Schema(description = "the object's name, for resource events") String resourceName,
            @Schema(description = "the page") List<EventView> events,
            @Schema(description = "items in the page") int count,
            @Schema(description = "events matching") int total,
            @Schema(description = "the page") int page,
            @Schema(description = "the page size") int pageSize,
            @Schema(description = "counts over all matching events") Summary summary) {
    }

    /**
     * @param total    events matching
     * @param warnings Warning events
     * @param normal   Normal events
     * @param byType   events per type
     * @param byReason events per reason
     */
    public record Summary(
            @Schema(description = "events matching") int total,
            @Schema(description = "Warning events") int warnings,
            @Schema(description = "Normal events") int normal,
            @Schema(description = "events per type") Map<String, Integer> byType,
            @Schema(description = "events per reason") Map<String, Integer> byReason) {
    }

    /**
     * One event.
     *
     * @param namespace      namespace
     * @param name           event name
     * @param type           Normal or Warning
     * @param reason         e.g. BackOff
     * @param message        message
     * @param count          occurrences (series count for events.k8s.io events)
     * @param firstSeen      first occurrence
     * @param lastSeen       last occurrence (the newest of series, lastTimestamp, eventTime, firstTimestamp), UTC
     * @param age            age of the last occurrence
     * @param eventTime      eventTime (events.k8s.io style), or null
     * @param firstTimestamp firstTimestamp, or null
     * @param lastTimestamp  lastTimestamp, or null
     * @param source         reporting component, e.g. kubelet, default-scheduler
     * @param sourceHost     reporting host
     * @param action         action (events.k8s.io style)
     * @param involvedObject what the event is about
     */
    public record EventView(
            @Schema(description = "namespace") String namespace,
            @Schema(description = "event name") String name,
            @Schema(description = "Normal or Warning") String type,
            @Schema(description = "e.g. BackOff") String reason,
            @Schema(description = "message") String message,
            @Schema(description = "occurrences (series count for events.k8s.io events)") int count,
            @Schema(description = "first occurrence") String firstSeen,
            @Schema(description = "last occurrence (the newest of series, lastTimestamp, eventTime, firstTimestamp), UTC") String lastSeen,
            @Schema(description = "age of the last occurrence") String age,
            @Schema(description = "eventTime (events.k8s.io style), or null") String eventTime,
            @Schema(description = "firstTimestamp, or null") String firstTimestamp,
            @Schema(description = "lastTimestamp, or null") String lastTimestamp,
            @Schema(description = "reporting component, e.g. kubelet, default-scheduler") String source,
            @Schema(description = "reporting host") String sourceHost,
            @Schema(description = "action (events.k8s.io style)") String action,
            @Schema(description = "what the event is about") InvolvedObject involvedObject) {

        /** @param now the current time @return this event with the age of its last occurrence at {@code now} */
        EventView aged(Instant now) {
            return new EventView(namespace, name, type, reason, message, count, firstSeen, lastSeen,
                    lastSeen == null ? null : Ages.format(lastSeen, now), eventTime, firstTimestamp, lastTimestamp,
                    source, sourceHost, action, involvedObject);
        }
    }

    /**
     * @param kind kind
     * @param namespace namespace
     * @param name name
     * @param uid uid
     * @param fieldPath e.g. spec.containers{cart}
     */
    public record InvolvedObject(
            @Schema(description = "kind") String kind,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "name") String name,
            @Schema(description = "uid") String uid,
            @Schema(description = "e.g. spec.containers{cart}") String fieldPath) {
    }
}
