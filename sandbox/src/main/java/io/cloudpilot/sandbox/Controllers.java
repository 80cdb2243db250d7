package io.cloudpilot.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The bits of controller behaviour the sandbox simulates: endpoints derived from pods, and events recorded by
 * controllers. Callers hold the sandbox's write lock.
 */
final class Controllers {

    private Controllers() {
    }

    static String podsPath(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/pods";
    }

    static List<Map<String, Object>> pods(ObjectStore store, String namespace) {
        return store.list(podsPath(namespace)).items();
    }

    static boolean isReady(Map<String, Object> pod) {
        return Json.mapsAt(pod, "status", "conditions").stream()
                .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
    }

    static boolean ownedBy(Map<String, Object> object, String uid) {
        return Json.mapsAt(object, "metadata", "ownerReferences").stream().anyMatch(r -> uid.equals(r.get("uid")));
    }

    static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        if (selector == null || selector.isEmpty()) {
            return false;
        }
        for (Map.Entry<String, String> e : selector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    static Map<String, String> stringMap(Map<String, Object> map) {
        Map<String, String> result = new LinkedHashMap<>();
        if (map != null) {
            map.forEach((k, v) -> result.put(k, String.valueOf(v)));
        }
        return result;
    }

    /**
     * Recomputes the Endpoints of every Service with a selector in a namespace from the pods, as the endpoints
     * controller does: ready pods in {@code addresses}, others with an IP in {@code notReadyAddresses}.
     *
     * @param store     the store
     * @param namespace the namespace
     * @param now       the time of the change
     */
    static void reconcileEndpoints(ObjectStore store, String namespace, Instant now) {
        List<Map<String, Object>> pods = pods(store, namespace);
        String servicesPath = "/api/v1/namespaces/" + namespace + "/services";
        String endpointsPath = "/api/v1/namespaces/" + namespace + "/endpoints";
        for (Map<String, Object> service : store.list(servicesPath).items()) {
            Map<String, String> selector = stringMap(Json.mapAt(service, "spec", "selector"));
            if (selector.isEmpty()) {
                continue;
            }
            Map<String, Object> endpoints = endpointsFor(service, selector, pods, now);
            String path = endpointsPath + "/" + Json.name(service);
            var existing = store.get(path);
            if (existing.isPresent()) {
                if (Json.write(existing.get().get("subsets")).equals(Json.write(endpoints.get("subsets")))) {
                    continue;
                }
                Map<String, Object> updated = existing.get();
                if (endpoints.get("subsets") == null) {
                    updated.remove("subsets");
                } else {
                    updated.put("subsets", endpoints.get("subsets"));
                }
                Json.child(updated, "metadata", "annotations").put("endpoints.kubernetes.io/last-change-trigger-time",
                        now.truncatedTo(ChronoUnit.SECONDS).toString());
                store.replace(path, updated);
            } else {
                Map<String, Object> metadata = Json.metadata(endpoints);
                metadata.put("uid", UUID.randomUUID().toString());
                metadata.put("creationTimestamp", Json.string(service, "metadata", "creationTimestamp"));
                store.insert(endpointsPath, endpoints);
            }
        }
    }

    static Map<String, Object> endpointsFor(Map<String, Object> service, Map<String, String> selector,
                                            List<Map<String, Object>> pods, Instant now) {
        List<Map<String, Object>> ready = new ArrayList<>();
        List<Map<String, Object>> notReady = new ArrayList<>();
        Map<String, Object> samplePod = null;
        for (Map<String, Object> pod : pods) {
            String phase = Json.string(pod, "status", "phase");
            String ip = Json.string(pod, "status", "podIP");
            if (!matches(selector, Json.labels(pod)) || ip == null || "Succeeded".equals(phase)
                    || "Failed".equals(phase) || Json.at(pod, "metadata", "deletionTimestamp") != null) {
                continue;
            }
            Map<String, Object> address = new LinkedHashMap<>();
            address.put("ip", ip);
            String node = Json.string(pod, "spec", "nodeName");
            if (node != null) {
                address.put("nodeName", node);
            }
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("kind", "Pod");
            ref.put("namespace", Json.namespace(pod));
            ref.put("name", Json.name(pod));
            ref.put("uid", Json.string(pod, "metadata", "uid"));
            address.put("targetRef", ref);
            (isReady(pod) ? ready : notReady).add(address);
            if (samplePod == null) {
                samplePod = pod;
            }
        }
        Map<String, Object> endpoints = new LinkedHashMap<>();
        endpoints.put("apiVersion", "v1");
        endpoints.put("kind", "Endpoints");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", Json.name(service));
        metadata.put("namespace", Json.namespace(service));
        Map<String, String> labels = Json.labels(service);
        if (!labels.isEmpty()) {
            metadata.put("labels", new LinkedHashMap<>(labels));
        }
        metadata.put("annotations", new LinkedHashMap<>(Map.of("endpoints.kubernetes.io/last-change-trigger-time",
                now.truncatedTo(ChronoUnit.SECONDS).toString())));
        endpoints.put("metadata", metadata);
        if (!ready.isEmpty() || !notReady.isEmpty()) {
            Map<String, Object> subset = new LinkedHashMap<>();
            if (!ready.isEmpty()) {
                subset.put("addresses", ready);
            }
            if (!notReady.isEmpty()) {
                subset.put("notReadyAddresses", notReady);
            }
            subset.put("ports", endpointPorts(service, samplePod));
            endpoints.put("subsets", List.of(subset));
        }
        return endpoints;
    }

    private static List<Map<String, Object>> endpointPorts(Map<String, Object> service, Map<String, Object> pod) {
        List<Map<String, Object>> ports = new ArrayList<>();
        for (Map<String, Object> port : Json.mapsAt(service, "spec", "ports")) {
            Map<String, Object> ep = new LinkedHashMap<>();
            if (port.get("name") != null) {
                ep.put("name", port.get("name"));
            }
            Object target = port.get("targetPort") == null ? port.get("port") : port.get("targetPort");
            ep.put("port", target instanceof Number ? target : containerPort(pod, String.valueOf(target),
                    port.get("port")));
            ep.put("protocol", port.get("protocol") == null ? "TCP" : port.get("protocol"));
            if (port.get("appProtocol") != null) {
                ep.put("appProtocol", port.get("appProtocol"));
            }
            ports.add(ep);
        }
        return ports;
    }

    private static Object containerPort(Map<String, Object> pod, String name, Object fallback) {
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException ignored) {
            // a named port
        }
        for (Map<String, Object> c : Json.mapsAt(pod, "spec", "containers")) {
            for (Map<String, Object> p : Json.mapsAt(c, "ports")) {
                if (name.equals(p.get("name"))) {
                    return p.get("containerPort");
                }
            }
        }
        return fallback;
    }

    /**
     * Records a core v1 Event about an object.
     *
     * @param store     the store
     * @param clock     the clock
     * @param regarding the object the event is about
     * @param type      Normal or Warning
     * @param reason    the reason
     * @param message   the message
     * @param component the reporting controller
     */
    static void recordEvent(ObjectStore store, Clock clock, Map<String, Object> regarding, String type,
                            String reason, String message, String component) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String namespace = Json.namespace(regarding) == null ? "default" : Json.namespace(regarding);
        Map<String, Object> involved = new LinkedHashMap<>();
        involved.put("kind", regarding.get("kind"));
        involved.put("namespace", Json.namespace(regarding));
        involved.put("name", Json.name(regarding));
        involved.put("uid", Json.string(regarding, "metadata", "uid"));
        involved.put("apiVersion", regarding.get("apiVersion"));
        involved.put("resourceVersion", Json.string(regarding, "metadata", "resourceVersion"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", Json.name(regarding) + "." + Long.toHexString(System.nanoTime() ^ Instant.now(clock)
                .toEpochMilli() * 1_000_000L));
        metadata.put("namespace", namespace);
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", now);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("apiVersion", "v1");
        event.put("kind", "Event");
        event.put("metadata", metadata);
        event.put("involvedObject", involved);
        event.put("reason", reason);
        event.put("message", message);
        event.put("source", Map.of("component", component));
        event.put("firstTimestamp", now);
        event.put("lastTimestamp", now);
        event.put("count", 1);
        event.put("type", type);
        event.put("eventTime", null);
        event.put("reportingComponent", component);
        event.put("reportingInstance", "");
        store.insert("/api/v1/namespaces/" + namespace + "/events", event);
    }
}
