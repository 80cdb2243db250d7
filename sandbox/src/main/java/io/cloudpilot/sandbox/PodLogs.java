package io.cloudpilot.sandbox;

import io.fabric8.mockwebserver.http.MockResponse;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET pods/{name}/log}: the checks and error wording of the API server and the kubelet, and plausible log
 * text generated per pod and container ({@link LogProfiles}).
 *
 * <p>A container instance's log is a startup block, then one line per profile interval up to now (or until the
 * container terminated), then a termination block when it exited. Only the last {@value #RETAINED_LINES} periodic
 * lines are kept, as if the kubelet had rotated the file. Lines depend only on the pod, container, instance and
 * time, so two reads return the same lines. An annotation {@code sandbox.cloudpilot.io/log-<container>} (or
 * {@code sandbox.cloudpilot.io/previous-log-<container>}) replaces the generated text with its own lines, one per
 * second up to now (or the termination time).
 */
final class PodLogs {

    static final int RETAINED_LINES = 600;
    static final String LOG_ANNOTATION = "sandbox.cloudpilot.io/log-";
    static final String PREVIOUS_LOG_ANNOTATION = "sandbox.cloudpilot.io/previous-log-";

    private final ObjectStore store;
    private final Clock clock;

    PodLogs(ObjectStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * One log line.
     *
     * @param time the time the line was written
     * @param text the text
     */
    record Line(Instant time, String text) {
    }

    /**
     * One run of a container.
     *
     * @param start       when it started
     * @param end         when it terminated, or now
     * @param terminated  whether it terminated
     * @param exitCode    its exit code when terminated
     * @param containerId its container id
     */
    record Instance(Instant start, Instant end, boolean terminated, long exitCode, String containerId) {
    }

    MockResponse handle(ApiRequest req, ResourcePath rp) {
        Map<String, Object> pod = store.get(rp.pathAt("v1")).orElseThrow(rp::notFound);
        String podName = rp.name();
        Long sinceSeconds = req.longParam("sinceSeconds");
        Long tailLines = req.longParam("tailLines");
        Long limitBytes = req.longParam("limitBytes");
        String sinceTime = req.param("sinceTime");
        List<String> invalid = new ArrayList<>();
        if (sinceSeconds != null && sinceSeconds < 1) {
            invalid.add("sinceSeconds: Invalid value: " + sinceSeconds + ": must be greater than 0");
        }
        if (tailLines != null && tailLines < 0) {
            invalid.add("tailLines: Invalid value: " + tailLines + ": must be greater than or equal to 0");
        }
        if (limitBytes != null && limitBytes < 1) {
            invalid.add("limitBytes: Invalid value: " + limitBytes + ": must be greater than 0");
        }
        if (sinceSeconds != null && sinceTime != null) {
            invalid.add("sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified");
        }
        if (!invalid.isEmpty()) {
            throw ApiException.invalid("PodLogOptions \"" + podName + "\" is invalid: " + (invalid.size() == 1
                    ? invalid.get(0) : invalid));
        }
        String containerName = container(pod, podName, req.param("container"));
        String nodeName = Json.string(pod, "spec", "nodeName");
        if (nodeName == null || nodeName.isEmpty()) {
            return SandboxDispatcher.text(200, "");
        }
        store.get("/api/v1/nodes/" + nodeName).ifPresent(node -> {
            boolean ready = Json.mapsAt(node, "status", "conditions").stream()
                    .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
            if (!ready) {
                String ip = Json.mapsAt(node, "status", "addresses").stream()
                        .filter(a -> "InternalIP".equals(a.get("type")))
                        .map(a -> String.valueOf(a.get("address"))).findFirst().orElse(nodeName);
                throw ApiException.internal("Get \"https://" + ip + ":10250/containerLogs/" + rp.namespace() + "/"
                        + podName + "/" + containerName + "\": dial tcp " + ip + ":10250: connect: no route to host");
            }
        });
        boolean previous = req.flag("previous");
        Instant now = Instant.now(clock);
        Instance instance = instance(pod, podName, containerName, previous, now);
        List<Line> lines = lines(pod, containerName, instance, previous);
        Instant since = null;
        if (sinceSeconds != null) {
            since = now.minusSeconds(sinceSeconds);
        } else if (sinceTime != null) {
            try {
                since = Instant.parse(sinceTime);
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("invalid sinceTime: " + sinceTime);
            }
        }
        List<Line> selected = new ArrayList<>();
        for (Line line : lines) {
            if (!line.time().isAfter(now) && (since == null || !line.time().isBefore(since))) {
                selected.add(line);
            }
        }
        if (tailLines != null && selected.size() > tailLines) {
            selected = selected.subList(selected.size() - tailLines.intValue(), selected.size());
        }
        boolean timestamps = req.flag("timestamps");
        StringBuilder out = new StringBuilder();
        for (Line line : selected) {
            if (timestamps) {
                out.append(rfc3339Nano(line.time())).append(' ');
            }
            out.append(line.text()).append('\n');
        }
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        if (limitBytes != null && bytes.length > limitBytes) {
            bytes = Arrays.copyOf(bytes, limitBytes.intValue());
        }
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
                .setBody(bytes);
    }

    /** Validates or defaults the container name, with the API server's messages. */
    private static String container(Map<String, Object> pod, String podName, String requested) {
        List<String> containers = names(pod, "containers");
        List<String> init = names(pod, "initContainers");
        List<String> ephemeral = names(pod, "ephemeralContainers");
        if (requested == null || requested.isEmpty()) {
            if (containers.size() == 1) {
                return containers.get(0);
            }
            String message = "a container name must be specified for pod " + podName + ", choose one of: "
                    + bracketed(containers);
            if (!init.isEmpty()) {
                message += " or one of the init containers: " + bracketed(init);
            }
            if (!ephemeral.isEmpty()) {
                message += " or one of the ephemeral containers: " + bracketed(ephemeral);
            }
            throw ApiException.badRequest(message);
        }
        if (!containers.contains(requested) && !init.contains(requested) && !ephemeral.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + podName);
        }
        return requested;
    }

    private static String bracketed(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    private static List<String> names(Map<String, Object> pod, String key) {
        return Json.mapsAt(pod, "spec", key).stream().map(c -> String.valueOf(c.get("name"))).toList();
    }

    /** Picks the container instance whose log is read, with the kubelet's errors. */
    private static Instance instance(Map<String, Object> pod, String podName, String container, boolean previous,
                                     Instant now) {
        Map<String, Object> status = null;
        for (String key : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
            for (Map<String, Object> cs : Json.mapsAt(pod, "status", key)) {
                if (container.equals(cs.get("name"))) {
                    status = cs;
                }
            }
        }
        String quoted = "\"" + container + "\" in pod \"" + podName + "\"";
        if (status == null) {
            throw ApiException.badRequest("container " + quoted + " is not available");
        }
        Map<String, Object> last = Json.mapAt(status, "lastState", "terminated");
        Map<String, Object> waiting = Json.mapAt(status, "state", "waiting");
        Map<String, Object> running = Json.mapAt(status, "state", "running");
        Map<String, Object> terminated = Json.mapAt(status, "state", "terminated");
        if (previous) {
            if (last == null || isEmpty(last.get("containerID"))) {
                throw ApiException.badRequest("previous terminated container " + quoted + " not found");
            }
            return terminatedInstance(last, now);
        }
        if (running != null) {
            Instant start = time(running.get("startedAt"), now);
            return new Instance(start, now, false, 0, String.valueOf(status.get("containerID")));
        }
        if (terminated != null) {
            if (isEmpty(terminated.get("containerID"))) {
                if (last != null && !isEmpty(last.get("containerID"))) {
                    return terminatedInstance(last, now);
                }
                throw ApiException.badRequest("container " + quoted + " is terminated");
            }
            return terminatedInstance(terminated, now);
        }
        if (last != null) {
            if (isEmpty(last.get("containerID"))) {
                throw ApiException.badRequest("container " + quoted + " is terminated");
            }
            return terminatedInstance(last, now);
        }
        if (waiting != null) {
            String reason = String.valueOf(waiting.get("reason"));
            throw ApiException.badRequest("container " + quoted + " is waiting to start: " + switch (reason) {
                case "ErrImagePull" -> "image can't be pulled";
                case "ImagePullBackOff" -> "trying and failing to pull image";
                default -> reason;
            });
        }
        throw ApiException.badRequest("container " + quoted + " is waiting to start - no logs yet");
    }

    private static Instance terminatedInstance(Map<String, Object> t, Instant now) {
        Instant end = time(t.get("finishedAt"), now);
        Instant start = time(t.get("startedAt"), end.minusSeconds(5));
        return new Instance(start, end, true, Json.number(t, 0, "exitCode"), String.valueOf(t.get("containerID")));
    }

    private static boolean isEmpty(Object o) {
        return o == null || String.valueOf(o).isEmpty();
    }

    private static Instant time(Object value, Instant fallback) {
        if (value == null) {
            return fallback;
        }
        try {
            return Instant.parse(String.valueOf(value));
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private List<Line> lines(Map<String, Object> pod, String container, Instance instance, boolean previous) {
        Map<String, Object> annotations = Json.mapAt(pod, "metadata", "annotations");
        String key = (previous ? PREVIOUS_LOG_ANNOTATION : LOG_ANNOTATION) + container;
        if (annotations != null && annotations.get(key) != null) {
            List<String> texts = String.valueOf(annotations.get(key)).lines().toList();
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < texts.size(); i++) {
                lines.add(new Line(instance.end().minusSeconds(texts.size() - 1L - i), texts.get(i)));
            }
            return lines;
        }
        Map<String, Object> spec = null;
        for (String k : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (Map<String, Object> c : Json.mapsAt(pod, "spec", k)) {
                if (container.equals(c.get("name"))) {
                    spec = c;
                }
            }
        }
        LogProfiles.Context context = new LogProfiles.Context(pod, Objects.requireNonNull(spec), instance, store);
        return LogProfiles.forContainer(context).generate(context, RETAINED_LINES);
    }

    /** RFC 3339 with nanoseconds, trailing zeros trimmed, as the kubelet writes with {@code timestamps=true}. */
    static String rfc3339Nano(Instant t) {
        String seconds = java.time.format.DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS));
        int nanos = t.get(java.time.temporal.ChronoField.NANO_OF_SECOND);
        if (nanos == 0) {
            return seconds;
        }
        String fraction = String.format("%09d", nanos).replaceAll("0+$", "");
        return seconds.substring(0, seconds.length() - 1) + "." + fraction + "Z";
    }
}
