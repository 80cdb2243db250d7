package io.cloudpilot.plugin.istioworkloads;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import io.cloudpilot.plugin.istioworkloads.WorkloadReader.Workload;
import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.spi.ClusterContext;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;

/**
 * The events of a workload: those of its Deployment, its ReplicaSets and its pods (current ones, and earlier pods
 * of its ReplicaSets, recognised by name), newest first.
 */
final class WorkloadEvents {

    /** Events returned unless {@code limit} says otherwise. */
    static final int DEFAULT_LIMIT = 100;

    private WorkloadEvents() {
    }

    /**
     * The answer of an events endpoint.
     *
     * @param clusterName   the cluster
     * @param namespace     the namespace
     * @param component     istiod or gateway
     * @param workloads     the Deployments whose events these are
     * @param sinceSeconds  the time window, or null for every event the cluster still holds
     * @param limit         events returned at most
     * @param totalEvents   events returned
     * @param warningEvents returned events of type Warning
     * @param errorEvents   returned events whose reason says something failed (Failed*, *Error*, BackOff, OOM)
     * @param summary       counts over every matching event, before the limit
     * @param events        the events, newest first
     */
    public record Events(String clusterName, String namespace, String component, List<String> workloads,
                         Long sinceSeconds, int limit, int totalEvents, int warningEvents, int errorEvents,
                         EventSummary summary, List<EventView> events) {
    }

    static Events read(WorkloadReader reader, ClusterContext cluster, String namespace,
                       IstioComponent component, Long sinceSeconds, int limit, boolean forceRefresh) {
        List<Object> parts = reader.all(List.<Callable<Object>>of(
                () -> reader.find(cluster, namespace, component, forceRefresh),
                () -> reader.events(cluster, namespace, forceRefresh)));
        @SuppressWarnings("unchecked") List<Workload> workloads = (List<Workload>) parts.get(0);
        @SuppressWarnings("unchecked") List<Event> events = (List<Event>) parts.get(1);
        Instant now = Instant.now();
        Instant from = sinceSeconds == null ? null : now.minusSeconds(sinceSeconds);
        List<EventView> all = new ArrayList<>();
        for (Workload w : workloads) {
            for (Event e : of(w, events)) {
                Instant t = instant(time(e));
                if (from == null || t == null || !t.isBefore(from)) {
                    all.add(view(w.name(), e, now));
                }
            }
        }
        all.sort(Comparator.comparing((EventView e) -> instant(e.time()), Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(e -> instant(e.firstTimestamp()), Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(EventView::name));
        List<EventView> page = List.copyOf(all.subList(0, Math.min(limit, all.size())));
        return new Events(cluster.name(), namespace, component.id(), workloads.stream().map(Workload::name).toList(),
                sinceSeconds, limit, page.size(), (int) page.stream().filter(e -> "Warning".equals(e.type())).count(),
                (int) page.stream().filter(WorkloadEvents::isError).count(), summary(all), page);
    }

    /**
     * One event.
     *
     * @param name           the event's name
     * @param namespace      its namespace
     * @param workload       the Deployment it belongs to
     * @param type           Normal or Warning
     * @param reason         e.g. Unhealthy
     * @param message        what happened
     * @param count          how often it happened (series count for events.k8s.io events)
     * @param firstTimestamp first occurrence, or null
     * @param lastTimestamp  last occurrence, or null (null for events written through events.k8s.io)
     * @param eventTime      the events.k8s.io time, or null
     * @param time           the time used for ordering: last observed, else last, else event time, else first
     * @param age            age of {@code time}, as kubectl shows it
     * @param source         the component that reported it
     * @param involvedObject the object it is about
     */
    public record EventView(String name, String namespace, String workload, String type, String reason, String message,
                            int count, String firstTimestamp, String lastTimestamp, String eventTime, String time,
                            String age, String source, ObjectRef involvedObject) {
    }

    /**
     * @param kind      e.g. Pod
     * @param name      its name
     * @param namespace its namespace
     * @param fieldPath the part of it, e.g. {@code spec.containers{istio-proxy}}, or null
     */
    public record ObjectRef(String kind, String name, String namespace, String fieldPath) {
    }

    /**
     * Counts over all matching events (before any limit).
     *
     * @param total    events matched
     * @param byType   count per type
     * @param byReason count per reason
     * @param byKind   count per involved object kind
     * @param newest   time of the newest event, or null
     * @param oldest   time of the oldest event, or null
     */
    public record EventSummary(int total, Map<String, Integer> byType, Map<String, Integer> byReason,
                               Map<String, Integer> byKind, String newest, String oldest) {
    }

    /**
     * @param w      a workload
     * @param events the events of its namespace
     * @return the workload's events, newest first
     */
    static List<Event> of(Workload w, List<Event> events) {
        String deploymentUid = w.deployment().getMetadata().getUid();
        String deploymentName = w.name();
        Set<String> rsUids = new HashSet<>();
        Set<String> rsNames = new HashSet<>();
        for (ReplicaSet rs : w.replicaSets()) {
            rsUids.add(rs.getMetadata().getUid());
            rsNames.add(rs.getMetadata().getName());
        }
        Set<String> podUids = new HashSet<>();
        Set<String> podNames = new HashSet<>();
        for (Pod p : w.pods()) {
            podUids.add(p.getMetadata().getUid());
            podNames.add(p.getMetadata().getName());
        }
        List<Event> out = new ArrayList<>();
        for (Event e : events) {
            ObjectReference o = e.getInvolvedObject();
            if (o == null || o.getKind() == null) {
                continue;
            }
            boolean mine = switch (o.getKind()) {
                case "Deployment" -> (deploymentUid != null && deploymentUid.equals(o.getUid()))
                        || ((o.getUid() == null || o.getUid().isEmpty()) && deploymentName.equals(o.getName()));
                case "ReplicaSet" -> rsUids.contains(o.getUid()) || rsNames.contains(o.getName());
                // earlier pods of the ReplicaSets are gone but their events remain: <replicaset>-<suffix>
                case "Pod" -> podUids.contains(o.getUid()) || podNames.contains(o.getName())
                        || rsNames.stream().anyMatch(rs -> o.getName() != null && o.getName().startsWith(rs + "-")
                        && o.getName().indexOf('-', rs.length() + 1) < 0);
                default -> false;
            };
            if (mine) {
                out.add(e);
            }
        }
        out.sort(NEWEST_FIRST);
        return out;
    }

    /** Newest first by last observation; ties by first occurrence, then name. */
    static final Comparator<Event> NEWEST_FIRST = Comparator
            .comparing((Event e) -> instant(time(e)), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(e -> instant(e.getFirstTimestamp()), Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(e -> e.getMetadata() == null ? "" : String.valueOf(e.getMetadata().getName()));

    /** @return the time an event was last seen: series, last timestamp, event time, first timestamp, creation */
    static String time(Event e) {
        if (e.getSeries() != null && e.getSeries().getLastObservedTime() != null
                && e.getSeries().getLastObservedTime().getTime() != null) {
            return e.getSeries().getLastObservedTime().getTime();
        }
        if (e.getLastTimestamp() != null) {
            return e.getLastTimestamp();
        }
        if (e.getEventTime() != null && e.getEventTime().getTime() != null) {
            return e.getEventTime().getTime();
        }
        if (e.getFirstTimestamp() != null) {
            return e.getFirstTimestamp();
        }
        return e.getMetadata() == null ? null : e.getMetadata().getCreationTimestamp();
    }

    private static Instant instant(String t) {
        return Ages.parse(t);
    }

    static int count(Event e) {
        if (e.getSeries() != null && e.getSeries().getCount() != null) {
            return e.getSeries().getCount();
        }
        return e.getCount() == null ? 1 : e.getCount();
    }

    static EventView view(String workload, Event e, Instant now) {
        ObjectReference o = e.getInvolvedObject();
        String source = e.getSource() != null && e.getSource().getComponent() != null ? e.getSource().getComponent()
                : e.getReportingComponent();
        String time = time(e);
        return new EventView(e.getMetadata().getName(), e.getMetadata().getNamespace(), workload,
                e.getType() == null ? "Normal" : e.getType(), e.getReason() == null ? "" : e.getReason(),
                e.getMessage() == null ? "" : e.getMessage(), count(e), e.getFirstTimestamp(), e.getLastTimestamp(),
                e.getEventTime() == null ? null : e.getEventTime().getTime(), time, Ages.format(time, now), source,
                new ObjectRef(o.getKind(), o.getName(), o.getNamespace(), o.getFieldPath()));
    }

    /** An event counts as an error when its reason says something failed. */
    static boolean isError(EventView e) {
        String r = e.reason().toLowerCase(Locale.ROOT);
        return r.contains("error") || r.contains("fail") || r.contains("backoff") || r.contains("oom");
    }

    static EventSummary summary(List<EventView> events) {
        Map<String, Integer> byType = new TreeMap<>();
        Map<String, Integer> byReason = new TreeMap<>();
        Map<String, Integer> byKind = new TreeMap<>();
        for (EventView e : events) {
            byType.merge(e.type(), 1, Integer::sum);
            byReason.merge(e.reason(), 1, Integer::sum);
            byKind.merge(e.involvedObject().kind(), 1, Integer::sum);
        }
        return new EventSummary(events.size(), byType, byReason, byKind,
                events.isEmpty() ? null : events.getFirst().time(), events.isEmpty() ? null : events.getLast().time());
    }
}
