package io.cloudpilot.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.cloudpilot.k8s.syntax.LabelSelector;
import io.cloudpilot.k8s.syntax.LabelSelector.Operator;
import io.cloudpilot.k8s.syntax.LabelSelector.Requirement;

/**
 * The {@code scale} subresource ({@code autoscaling/v1 Scale}) of deployments, replicasets, statefulsets and
 * replicationcontrollers, and the controllers' reaction to a scale: a Deployment's current ReplicaSet gets the new
 * replica count, pods are created (cloned from a healthy sibling) or deleted (unhealthy ones first), the status
 * counts and conditions are recomputed from the pods, endpoints follow, and ScalingReplicaSet / SuccessfulCreate /
 * SuccessfulDelete events are recorded. A dry-run answers as if scaled and changes nothing.
 */
final class Scaler {

    private final ObjectStore store;
    private final Clock clock;
    private final AtomicLong podSequence = new AtomicLong();

    Scaler(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    Map<String, Object> handle(ApiRequest req, ResourcePath rp) {
        String path = rp.pathAt(rp.groupVersion().version());
        Map<String, Object> object = store.get(path).orElseThrow(rp::notFound);
        Map<String, Object> scale = toScale(object);
        switch (req.method()) {
            case "GET":
                return scale;
            case "PUT":
                return apply(req, rp, path, object, scaleBody(req));
            case "PATCH":
                Object patch = Json.parse(req.body());
                Object patched = switch (req.contentType()) {
                    case "application/json-patch+json" -> Json.jsonPatch(scale, patch);
                    case "application/merge-patch+json" -> Json.mergePatch(scale, patch);
                    case "application/strategic-merge-patch+json" -> Json.strategicMergePatch(scale, patch);
                    default -> throw ApiException.unsupportedMediaType(req.contentType());
                };
                return apply(req, rp, path, object, Json.map(patched));
            default:
                throw ApiException.methodNotAllowed();
        }
    }

    private static Map<String, Object> scaleBody(ApiRequest req) {
        try {
            Map<String, Object> body = Json.parseObject(req.body());
            if (body.get("kind") != null && !"Scale".equals(body.get("kind"))) {
                throw ApiException.badRequest("the kind in the data (" + body.get("kind") + ") does not match the "
                        + "expected kind (Scale)");
            }
            return body;
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the request body is not a valid Scale: " + e.getMessage());
        }
    }

    static Map<String, Object> toScale(Map<String, Object> object) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", Json.name(object));
        metadata.put("namespace", Json.namespace(object));
        metadata.put("uid", Json.string(object, "metadata", "uid"));
        metadata.put("resourceVersion", Json.string(object, "metadata", "resourceVersion"));
        metadata.put("creationTimestamp", Json.string(object, "metadata", "creationTimestamp"));
        Map<String, Object> scale = new LinkedHashMap<>();
        scale.put("kind", "Scale");
        scale.put("apiVersion", "autoscaling/v1");
        scale.put("metadata", metadata);
        scale.put("spec", new LinkedHashMap<>(Map.of("replicas", Json.number(object, 1, "spec", "replicas"))));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("replicas", Json.number(object, 0, "status", "replicas"));
        status.put("selector", selectorString(object));
        scale.put("status", status);
        return scale;
    }

    /** The label selector in its string form, as Kubernetes prints a {@code metav1.LabelSelector}. */
    static String selectorString(Map<String, Object> object) {
        Map<String, Object> selector = Json.mapAt(object, "spec", "selector");
        if (selector == null) {
            return "";
        }
        List<Requirement> requirements = new ArrayList<>();
        Map<String, Object> matchLabels = Json.map(selector.get("matchLabels"));
        if (matchLabels == null && selector.get("matchExpressions") == null) {
            matchLabels = selector;
        }
        if (matchLabels != null) {
            matchLabels.forEach((k, v) -> requirements.add(new Requirement(k, Operator.EQUALS,
                    List.of(String.valueOf(v)))));
        }
        for (Map<String, Object> e : Json.mapsAt(selector, "matchExpressions")) {
            List<Object> values = Json.list(e.get("values"));
            List<String> strings = values == null ? List.of() : values.stream().map(String::valueOf).toList();
            Operator op = switch (String.valueOf(e.get("operator"))) {
                case "In" -> Operator.IN;
                case "NotIn" -> Operator.NOT_IN;
                case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                default -> Operator.EXISTS;
            };
            requirements.add(new Requirement(String.valueOf(e.get("key")), op,
                    op == Operator.IN || op == Operator.NOT_IN ? strings : List.of()));
        }
        return LabelSelector.of(requirements).toString();
    }

    private Map<String, Object> apply(ApiRequest req, ResourcePath rp, String path, Map<String, Object> object,
                                      Map<String, Object> scale) {
        if (scale == null) {
            throw ApiException.badRequest("the request body is not a valid Scale");
        }
        String name = Json.name(scale);
        if (name != null && !name.isEmpty() && !name.equals(rp.name())) {
            throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
                    + rp.name() + ")");
        }
        String expected = Json.string(scale, "metadata", "resourceVersion");
        if (expected != null && !expected.isEmpty()
                && !expected.equals(Json.string(object, "metadata", "resourceVersion"))) {
            throw ApiException.conflict(rp.resource().plural(), rp.group(), rp.name());
        }
        Object value = Json.at(scale, "spec", "replicas");
        long replicas = value == null ? 0 : Json.number(scale, -1, "spec", "replicas");
        if (replicas < 0 || (value != null && !(value instanceof Number))) {
            throw ApiException.invalid("Scale.autoscaling \"" + rp.name() + "\" is invalid: spec.replicas: Invalid "
                    + "value: " + value + ": must be greater than or equal to 0");
        }
        long before = Json.number(object, 1, "spec", "replicas");
        if (req.dryRun() || replicas == before) {
            Map<String, Object> result = toScale(object);
            Json.child(result, "spec").put("replicas", replicas);
            return result;
        }
        Json.child(object, "spec").put("replicas", replicas);
        Map<String, Object> stored = store.replace(path, object);
        Map<String, Object> updated = switch (rp.resource().plural()) {
            case "deployments" -> reconcileDeployment(path, stored, (int) before, (int) replicas);
            case "replicasets" -> reconcileReplicaSet(path, stored, (int) replicas, null);
            default -> simpleStatus(path, stored, (int) replicas);
        };
        Controllers.reconcileEndpoints(store, Json.namespace(updated), Instant.now(clock));
        return toScale(updated);
    }

    private Map<String, Object> simpleStatus(String path, Map<String, Object> object, int replicas) {
        Map<String, Object> status = Json.child(object, "status");
        long ready = Math.min(Json.number(object, 0, "status", "readyReplicas"), replicas);
        status.put("replicas", replicas);
        putCount(status, "readyReplicas", ready);
        putCount(status, "availableReplicas", Math.min(Json.number(object, 0, "status", "availableReplicas"),
                replicas));
        if (status.containsKey("currentReplicas")) {
            status.put("currentReplicas", replicas);
        }
        if (status.containsKey("updatedReplicas")) {
            status.put("updatedReplicas", replicas);
        }
        status.put("observedGeneration", Json.number(object, 1, "metadata", "generation"));
        return store.replace(path + "/status", object);
    }

    private Map<String, Object> reconcileDeployment(String path, Map<String, Object> deployment, int before,
                                                    int replicas) {
        String namespace = Json.namespace(deployment);
        String uid = Json.string(deployment, "metadata", "uid");
        String rsCollection = "/apis/apps/v1/namespaces/" + namespace + "/replicasets";
        List<Map<String, Object>> owned = store.list(rsCollection).items().stream()
                .filter(rs -> Controllers.ownedBy(rs, uid))
                .sorted(Comparator.comparingLong(Scaler::revision))
                .toList();
        if (owned.isEmpty()) {
            return simpleStatus(path, deployment, replicas);
        }
        Map<String, Object> current = owned.get(owned.size() - 1);
        current = reconcileReplicaSet(rsCollection + "/" + Json.name(current), current, replicas,
                String.valueOf(replicas));
        String message = "Scaled " + (replicas > before ? "up" : "down") + " replica set " + Json.name(current)
                + " to " + replicas + " from " + before;
        Controllers.recordEvent(store, clock, deployment, "Normal", "ScalingReplicaSet", message,
                "deployment-controller");

        List<Map<String, Object>> pods = Controllers.pods(store, namespace);
        int total = 0;
        int updated = 0;
        int ready = 0;
        for (Map<String, Object> rs : owned) {
            String rsUid = Json.string(rs, "metadata", "uid");
            for (Map<String, Object> pod : pods) {
                if (Controllers.ownedBy(pod, rsUid)) {
                    total++;
                    if (rsUid.equals(Json.string(current, "metadata", "uid"))) {
                        updated++;
                    }
                    if (Controllers.isReady(pod)) {
                        ready++;
                    }
                }
            }
        }
        Map<String, Object> status = Json.child(deployment, "status");
        status.put("observedGeneration", Json.number(deployment, 1, "metadata", "generation"));
        status.put("replicas", total);
        status.put("updatedReplicas", updated);
        putCount(status, "readyReplicas", ready);
        putCount(status, "availableReplicas", ready);
        putCount(status, "unavailableReplicas", Math.max(0, replicas - ready));
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        boolean available = ready >= replicas - maxUnavailable(deployment, replicas);
        condition(status, "Available", available ? "True" : "False",
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                now);
        if (updated == replicas && ready == replicas) {
            condition(status, "Progressing", "True", "NewReplicaSetAvailable",
                    "ReplicaSet \"" + Json.name(current) + "\" has successfully progressed.", now);
        }
        return store.replace(path + "/status", deployment);
    }

    private static long revision(Map<String, Object> rs) {
        Object v = Json.at(rs, "metadata", "annotations", "deployment.kubernetes.io/revision");
        try {
            return v == null ? 0 : Long.parseLong(String.valueOf(v));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int maxUnavailable(Map<String, Object> deployment, int replicas) {
        Object v = Json.at(deployment, "spec", "strategy", "rollingUpdate", "maxUnavailable");
        if (v instanceof Number n) {
            return n.intValue();
        }
        String s = v == null ? "25%" : String.valueOf(v);
        if (s.endsWith("%")) {
            return (int) Math.floor(replicas * Double.parseDouble(s.substring(0, s.length() - 1)) / 100.0);
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void condition(Map<String, Object> status, String type, String value, String reason,
                                  String message, String now) {
        List<Object> conditions = Json.list(status.get("conditions"));
        if (conditions == null) {
            conditions = new ArrayList<>();
            status.put("conditions", conditions);
        }
        for (Object o : conditions) {
            Map<String, Object> c = Json.map(o);
            if (c != null && type.equals(c.get("type"))) {
                if (!value.equals(c.get("status"))) {
                    c.put("lastTransitionTime", now);
                }
                c.put("status", value);
                c.put("reason", reason);
                c.put("message", message);
                c.put("lastUpdateTime", now);
                return;
            }
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", value);
        c.put("lastUpdateTime", now);
        c.put("lastTransitionTime", now);
        c.put("reason", reason);
        c.put("message", message);
        conditions.add(c);
    }

    private static void putCount(Map<String, Object> status, String key, long value) {
        if (value > 0) {
            status.put(key, value);
        } else {
            status.remove(key);
        }
    }

    /**
     * Brings a ReplicaSet to {@code replicas} pods and recomputes its status.
     *
     * @param path            the ReplicaSet path
     * @param rs              the ReplicaSet
     * @param replicas        the desired count
     * @param desiredReplicas the owning Deployment's replicas (annotation), or {@code null}
     * @return the updated ReplicaSet
     */
    private Map<String, Object> reconcileReplicaSet(String path, Map<String, Object> rs, int replicas,
                                                    String desiredReplicas) {
        String namespace = Json.namespace(rs);
        String uid = Json.string(rs, "metadata", "uid");
        if (Json.number(rs, -1, "spec", "replicas") != replicas || desiredReplicas != null) {
            Json.child(rs, "spec").put("replicas", replicas);
            if (desiredReplicas != null) {
                Json.child(rs, "metadata", "annotations").put("deployment.kubernetes.io/desired-replicas",
                        desiredReplicas);
            }
            rs = store.replace(path, rs);
        }
        List<Map<String, Object>> pods = new ArrayList<>(Controllers.pods(store, namespace).stream()
                .filter(p -> Controllers.ownedBy(p, uid))
                .filter(p -> Json.at(p, "metadata", "deletionTimestamp") == null)
                .toList());
        String podsPath = Controllers.podsPath(namespace);
        if (pods.size() < replicas) {
            Map<String, Object> template = pods.stream().filter(Controllers::isReady).findFirst()
                    .orElse(pods.isEmpty() ? null : pods.get(0));
            for (int i = pods.size(); i < replicas; i++) {
                Map<String, Object> pod = template == null ? fromTemplate(rs) : clone(template, Json.name(rs));
                store.insert(podsPath, pod);
                pods.add(pod);
                Controllers.recordEvent(store, clock, rs, "Normal", "SuccessfulCreate", "Created pod: "
                        + Json.name(pod), "replicaset-controller");
            }
        } else if (pods.size() > replicas) {
            pods.sort(Comparator.comparingInt(Scaler::deletionRank)
                    .thenComparing(Comparator.comparingLong(Scaler::restarts).reversed())
                    .thenComparing(p -> String.valueOf(Json.string(p, "metadata", "creationTimestamp")),
                            Comparator.reverseOrder()));
            while (pods.size() > replicas) {
                Map<String, Object> pod = pods.remove(0);
                store.delete(podsPath + "/" + Json.name(pod));
                Controllers.recordEvent(store, clock, rs, "Normal", "SuccessfulDelete", "Deleted pod: "
                        + Json.name(pod), "replicaset-controller");
            }
        }
        long ready = pods.stream().filter(Controllers::isReady).count();
        Map<String, Object> status = Json.child(rs, "status");
        status.put("replicas", pods.size());
        putCount(status, "fullyLabeledReplicas", pods.size());
        putCount(status, "readyReplicas", ready);
        putCount(status, "availableReplicas", ready);
        status.put("observedGeneration", Json.number(rs, 1, "metadata", "generation"));
        return store.replace(path + "/status", rs);
    }

    private static long restarts(Map<String, Object> pod) {
        return Json.mapsAt(pod, "status", "containerStatuses").stream()
                .mapToLong(c -> Json.number(c, 0, "restartCount"))
                .sum();
    }

    /** Pods deleted first: unscheduled, then pending, then not ready, then most restarted, then newest. */
    private static int deletionRank(Map<String, Object> pod) {
        if (Json.string(pod, "spec", "nodeName") == null) {
            return 0;
        }
        String phase = Json.string(pod, "status", "phase");
        if ("Pending".equals(phase)) {
            return 1;
        }
        if (!"Running".equals(phase)) {
            return 2;
        }
        if (!Controllers.isReady(pod)) {
            return 3;
        }
        return 4;
    }

    private String newPodName(String rsName) {
        return rsName + "-" + Names.suffix(rsName + "/" + podSequence.incrementAndGet() + "/" + System.nanoTime(), 5);
    }

    /** A new pod like a sibling: same spec and node, fresh identity, IP, start time and container ids. */
    private Map<String, Object> clone(Map<String, Object> template, String rsName) {
        Map<String, Object> pod = Json.copy(template);
        String name = newPodName(rsName);
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> metadata = Json.metadata(pod);
        metadata.put("name", name);
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", now);
        metadata.put("generation", 1);
        metadata.remove("resourceVersion");
        metadata.remove("deletionTimestamp");
        metadata.remove("managedFields");
        Map<String, Object> status = Json.mapAt(pod, "status");
        if (status != null) {
            status.put("startTime", now);
            String ip = Json.string(pod, "status", "podIP");
            if (ip != null) {
                String newIp = ip.substring(0, ip.lastIndexOf('.') + 1) + (20 + Math.floorMod(Names.hash(name), 230));
                status.put("podIP", newIp);
                status.put("podIPs", List.of(Map.of("ip", newIp)));
            }
            for (Map<String, Object> c : Json.mapsAt(status, "conditions")) {
                c.put("lastTransitionTime", now);
                if (c.containsKey("lastProbeTime")) {
                    c.put("lastProbeTime", null);
                }
            }
            for (String key : List.of("containerStatuses", "initContainerStatuses")) {
                for (Map<String, Object> cs : Json.mapsAt(status, key)) {
                    cs.put("restartCount", 0);
                    cs.put("lastState", new LinkedHashMap<>());
                    if (cs.get("containerID") != null) {
                        cs.put("containerID", "containerd://" + Names.hex(name + "/" + cs.get("name"), 64));
                    }
                    Map<String, Object> state = Json.map(cs.get("state"));
                    Map<String, Object> running = state == null ? null : Json.map(state.get("running"));
                    Map<String, Object> terminated = state == null ? null : Json.map(state.get("terminated"));
                    if (running != null) {
                        running.put("startedAt", now);
                    }
                    if (terminated != null) {
                        terminated.put("startedAt", now);
                        terminated.put("finishedAt", now);
                        if (terminated.get("containerID") != null) {
                            terminated.put("containerID", cs.get("containerID"));
                        }
                    }
                }
            }
        }
        return pod;
    }

    /**
     * A pod from the ReplicaSet's template, for a ReplicaSet without pods to copy: scheduled on the first ready,
     * schedulable node without a NoSchedule taint and running (or Pending when there is no such node). Admission
     * webhooks are not simulated, so no sidecar is injected.
     */
    private Map<String, Object> fromTemplate(Map<String, Object> rs) {
        String name = newPodName(Json.name(rs));
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Map<String, Object> template = Json.copy(Json.mapAt(rs, "spec", "template"));
        Map<String, Object> pod = new LinkedHashMap<>();
        pod.put("apiVersion", "v1");
        pod.put("kind", "Pod");
        Map<String, Object> metadata = template == null || Json.mapAt(template, "metadata") == null
                ? new LinkedHashMap<>() : Json.mapAt(template, "metadata");
        metadata.put("name", name);
        metadata.put("namespace", Json.namespace(rs));
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", now);
        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("apiVersion", "apps/v1");
        owner.put("kind", "ReplicaSet");
        owner.put("name", Json.name(rs));
        owner.put("uid", Json.string(rs, "metadata", "uid"));
        owner.put("controller", true);
        owner.put("blockOwnerDeletion", true);
        metadata.put("ownerReferences", List.of(owner));
        pod.put("metadata", metadata);
        Map<String, Object> spec = template == null || Json.mapAt(template, "spec") == null ? new LinkedHashMap<>()
                : Json.mapAt(template, "spec");
        pod.put("spec", spec);
        Map<String, Object> status = new LinkedHashMap<>();
        Map<String, Object> node = schedulableNode();
        if (node == null) {
            status.put("phase", "Pending");
            status.put("conditions", List.of(podCondition("PodScheduled", "False", now)));
        } else {
            spec.put("nodeName", Json.name(node));
            String cidr = Json.string(node, "spec", "podCIDR");
            String ip = cidr == null ? "10.244.9." + (20 + Math.floorMod(Names.hash(name), 230))
                    : cidr.substring(0, cidr.lastIndexOf('.') + 1) + (20 + Math.floorMod(Names.hash(name), 230));
            status.put("phase", "Running");
            status.put("conditions", List.of(podCondition("PodReadyToStartContainers", "True", now),
                    podCondition("Initialized", "True", now), podCondition("Ready", "True", now),
                    podCondition("ContainersReady", "True", now), podCondition("PodScheduled", "True", now)));
            List<Map<String, Object>> statuses = new ArrayList<>();
            for (Map<String, Object> c : Json.mapsAt(spec, "containers")) {
                Map<String, Object> cs = new LinkedHashMap<>();
                cs.put("name", c.get("name"));
                cs.put("image", c.get("image"));
                cs.put("imageID", "");
                cs.put("containerID", "containerd://" + Names.hex(name + "/" + c.get("name"), 64));
                cs.put("ready", true);
                cs.put("started", true);
                cs.put("restartCount", 0);
                cs.put("state", Map.of("running", Map.of("startedAt", now)));
                cs.put("lastState", Map.of());
                statuses.add(cs);
            }
            status.put("containerStatuses", statuses);
            for (Map<String, Object> a : Json.mapsAt(node, "status", "addresses")) {
                if ("InternalIP".equals(a.get("type"))) {
                    status.put("hostIP", a.get("address"));
                }
            }
            status.put("podIP", ip);
            status.put("podIPs", List.of(Map.of("ip", ip)));
            status.put("startTime", now);
        }
        status.put("qosClass", "Burstable");
        pod.put("status", status);
        return pod;
    }

    private static Map<String, Object> podCondition(String type, String value, String now) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("type", type);
        c.put("status", value);
        c.put("lastProbeTime", null);
        c.put("lastTransitionTime", now);
        return c;
    }

    private Map<String, Object> schedulableNode() {
        List<Map<String, Object>> nodes = new ArrayList<>(store.list("/api/v1/nodes").items());
        nodes.sort(Comparator.comparing(Json::name));
        for (Map<String, Object> node : nodes) {
            boolean ready = Json.mapsAt(node, "status", "conditions").stream()
                    .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
            boolean cordoned = Boolean.TRUE.equals(Json.at(node, "spec", "unschedulable"));
            boolean tainted = Json.mapsAt(node, "spec", "taints").stream()
                    .anyMatch(t -> "NoSchedule".equals(t.get("effect")) || "NoExecute".equals(t.get("effect")));
            if (ready && !cordoned && !tainted) {
                return node;
            }
        }
        return null;
    }
}
