package io.cloudpilot.sandbox;

import io.cloudpilot.sandbox.PodLogs.Instance;
import io.cloudpilot.sandbox.PodLogs.Line;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Log text in the formats of the real components (istiod and istio-proxy, istio-init, CoreDNS, Prometheus, etcd, the
 * klog control-plane components, three application styles), read from the data files under {@code logs/}:
 * {@code profiles.txt} says which profile a container gets, each {@code <profile>.txt} what it writes at start,
 * periodically and when it exits ({@link LogTemplate} for the syntax). Lines echo the fixture's deliberate problems
 * (a 503 NC for the cart's missing subset, the rejected listener of the duplicate gateway, the secret without
 * tls.key, worker-3 unreachable, the unschedulable ledger pod) so that the logs tell the same story as the objects.
 */
final class LogProfiles {

    static final String DIRECTORY = "/io/cloudpilot/sandbox/logs/";

    private static final List<Rule> RULES = Rule.readAll(lines("profiles.txt"));
    private static final Map<String, Profile> PROFILES = new ConcurrentHashMap<>();

    private LogProfiles() {
    }

    /**
     * One message before formatting.
     *
     * @param level info, warn, error, or raw (no prefix; {@code {ts}} and {@code {tsu}} are replaced by the time)
     * @param text  the text
     */
    record Msg(String level, String text) {
    }

    /**
     * @param c the container
     * @return the profile of the first rule of {@code profiles.txt} the container matches
     */
    static Profile forContainer(Context c) {
        for (Rule rule : RULES) {
            if (rule.matches(c)) {
                c.variables.putAll(rule.variables());
                return PROFILES.computeIfAbsent(rule.profile(), name -> Profile.read(name, lines(name + ".txt")));
            }
        }
        throw new IllegalStateException("no log profile in " + DIRECTORY + "profiles.txt for container " + c.name());
    }

    /** @return the lines of a data file, {@code include FILE} lines replaced by that file's lines */
    static List<String> lines(String file) {
        List<String> out = new ArrayList<>();
        try (InputStream in = LogProfiles.class.getResourceAsStream(DIRECTORY + file)) {
            if (in == null) {
                throw new IllegalStateException("missing log data file " + DIRECTORY + file);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("include ")) {
                    out.addAll(lines(line.substring("include ".length()).trim()));
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * A line of {@code profiles.txt}: {@code CONDITION... -> PROFILE [NAME=VALUE...]}; conditions are
     * {@code name=X}, {@code name^=X} (starts with), {@code name~X} / {@code image~X} / {@code label:K~X} (contains),
     * {@code init} (an init container) and {@code *}.
     */
    private record Rule(List<String> conditions, String profile, Map<String, String> variables) {

        static List<Rule> readAll(List<String> lines) {
            List<Rule> rules = new ArrayList<>();
            for (String line : lines) {
                int arrow = line.indexOf("->");
                List<String> target = List.of(line.substring(arrow + 2).trim().split("\\s+"));
                Map<String, String> variables = new LinkedHashMap<>();
                for (String v : target.subList(1, target.size())) {
                    variables.put(v.substring(0, v.indexOf('=')), v.substring(v.indexOf('=') + 1));
                }
                rules.add(new Rule(List.of(line.substring(0, arrow).trim().split("\\s+")), target.get(0), variables));
            }
            return rules;
        }

        boolean matches(Context c) {
            return conditions.stream().allMatch(condition -> holds(condition, c));
        }

        private static boolean holds(String condition, Context c) {
            if (condition.equals("*")) {
                return true;
            }
            if (condition.equals("init")) {
                return Json.mapsAt(c.pod(), "spec", "initContainers").stream().anyMatch(x -> c.name().equals(x.get("name")));
            }
            if (condition.startsWith("name^=")) {
                return c.name().startsWith(condition.substring(6));
            }
            if (condition.startsWith("name=")) {
                return c.name().equals(condition.substring(5));
            }
            int tilde = condition.indexOf('~');
            String field = condition.substring(0, Math.max(0, tilde));
            String part = condition.substring(tilde + 1);
            String value = switch (field) {
                case "name" -> c.name();
                case "image" -> c.image();
                default -> field.startsWith("label:") ? c.label(field.substring(6)) : null;
            };
            if (tilde < 0 || (value == null && !field.startsWith("label:"))) {
                throw new IllegalStateException("log profile rule: unknown condition '" + condition + "'");
            }
            return value != null && value.contains(part);
        }
    }

    /** What a profile knows about the container whose log it writes; lookups of other objects are made once. */
    static final class Context {
        private final Map<String, Object> pod;
        private final Map<String, Object> container;
        private final Instance instance;
        private final ObjectStore store;
        private final Map<String, String> variables = new HashMap<>();
        private List<ObjectStore.Stored> allPods;
        private List<String> meshProxies;
        private final Map<String, List<String>> ips = new HashMap<>();
        private List<String> pending;
        private List<String> unready;
        private List<String> unreadyAddresses;

        /**
         * @param pod       the pod
         * @param container the container spec
         * @param instance  the container run
         * @param store     the store, for names and IPs of other pods
         */
        Context(Map<String, Object> pod, Map<String, Object> container, Instance instance, ObjectStore store) {
            this.pod = pod;
            this.container = container;
            this.instance = instance;
            this.store = store;
        }

        Map<String, Object> pod() {
            return pod;
        }

        Instance instance() {
            return instance;
        }

        /** @return a value of the matched rule of {@code profiles.txt}, such as the Spring logger name */
        String variable(String name) {
            String value = variables.get(name);
            if (value == null) {
                throw new IllegalStateException("log profile variable " + name + " is not set for " + name());
            }
            return value;
        }

        String podName() {
            return Json.name(pod);
        }

        String namespace() {
            return Json.namespace(pod);
        }

        String podIp() {
            String ip = Json.string(pod, "status", "podIP");
            return ip == null ? "10.244.1.9" : ip;
        }

        String name() {
            return String.valueOf(container.get("name"));
        }

        String image() {
            return String.valueOf(container.get("image"));
        }

        /** The image tag without a leading {@code v}, such as {@code 1.22.1}. */
        String version() {
            String image = image();
            int colon = image.lastIndexOf(':');
            String tag = colon < 0 || colon < image.lastIndexOf('/') ? "1.0.0" : image.substring(colon + 1);
            return tag.startsWith("v") ? tag.substring(1) : tag;
        }

        String label(String key) {
            return Json.labels(pod).get(key);
        }

        String seed() {
            return namespace() + "/" + podName() + "/" + name() + "/" + instance.containerId();
        }

        /** Every pod, parsed one at a time as it is iterated: a scaled cluster's pods do not fit in memory parsed. */
        private Iterable<Map<String, Object>> allPods() {
            if (allPods == null) {
                allPods = store.entries("/api/v1/pods").items();
            }
            List<ObjectStore.Stored> stored = allPods;
            return () -> stored.stream().map(ObjectStore.Stored::object).iterator();
        }

        /** Names {@code pod.namespace} of the pods with an istio-proxy container, for xDS log lines. */
        List<String> meshProxies() {
            if (meshProxies == null) {
                List<String> names = new ArrayList<>();
                for (Map<String, Object> p : allPods()) {
                    if (Json.mapsAt(p, "spec", "containers").stream().anyMatch(x -> "istio-proxy".equals(x.get("name")))) {
                        names.add(Json.name(p) + "." + Json.namespace(p));
                    }
                }
                meshProxies = names.isEmpty() ? List.of(podName() + "." + namespace()) : names;
            }
            return meshProxies;
        }

        /** Pod IPs of the pods labelled {@code app=<app>} (and {@code version=<version>} unless null). */
        List<String> ips(String ns, String app, String version) {
            return ips.computeIfAbsent(ns + "/" + app + "/" + version, k -> findIps(ns, app, version));
        }

        private List<String> findIps(String ns, String app, String version) {
            List<String> found = new ArrayList<>();
            for (Map<String, Object> p : allPods()) {
                String ip = Json.string(p, "status", "podIP");
                Map<String, String> labels = Json.labels(p);
                if (ns.equals(Json.namespace(p)) && app.equals(labels.get("app")) && ip != null
                        && (version == null || version.equals(labels.get("version")))) {
                    found.add(ip);
                }
            }
            return found.isEmpty() ? List.of("10.244.1.50") : found;
        }

        /** {@code pod="ns/name" err="..."} of each pod no node could take. */
        List<String> pendingPodMessages() {
            if (pending == null) {
                List<String> messages = new ArrayList<>();
                for (Map<String, Object> p : allPods()) {
                    if ("Pending".equals(Json.string(p, "status", "phase"))
                            && Json.string(p, "spec", "nodeName") == null) {
                        for (Map<String, Object> c : Json.mapsAt(p, "status", "conditions")) {
                            if ("PodScheduled".equals(c.get("type")) && c.get("message") != null) {
                                messages.add("pod=\"" + Json.namespace(p) + "/" + Json.name(p) + "\" err=\""
                                        + c.get("message") + "\"");
                            }
                        }
                    }
                }
                pending = messages;
            }
            return pending;
        }

        /** Names of the nodes that are not Ready. */
        List<String> unreadyNodes() {
            if (unready == null) {
                unready = findUnready(false);
            }
            return unready;
        }

        /** InternalIPs (or names) of the nodes that are not Ready. */
        List<String> unreadyNodeAddresses() {
            if (unreadyAddresses == null) {
                unreadyAddresses = findUnready(true);
            }
            return unreadyAddresses;
        }

        private List<String> findUnready(boolean addresses) {
            List<String> nodes = new ArrayList<>();
            for (Map<String, Object> n : store.list("/api/v1/nodes").items()) {
                boolean ready = Json.mapsAt(n, "status", "conditions").stream()
                        .anyMatch(c -> "Ready".equals(c.get("type")) && "True".equals(c.get("status")));
                if (!ready) {
                    String address = Json.mapsAt(n, "status", "addresses").stream()
                            .filter(a -> "InternalIP".equals(a.get("type"))).map(a -> String.valueOf(a.get("address")))
                            .findFirst().orElse(Json.name(n));
                    nodes.add(addresses ? address : Json.name(n));
                }
            }
            return nodes;
        }
    }

    /** A log format and what a component writes: at start, periodically, and when it exits. */
    static final class Profile {
        private final LogFormat format;
        private final long intervalMillis;
        private final List<LogTemplate> startup;
        private final List<LogTemplate> steady;
        private final List<LogTemplate> failure;
        private final List<LogTemplate> completion;

        private Profile(LogFormat format, long intervalMillis, Map<String, List<LogTemplate>> sections) {
            this.format = format;
            this.intervalMillis = intervalMillis;
            this.startup = sections.getOrDefault("start", List.of());
            this.steady = sections.getOrDefault("steady", List.of());
            this.failure = sections.getOrDefault("failed", List.of());
            this.completion = sections.getOrDefault("completed", List.of());
        }

        /**
         * @param name  the profile's name, for messages
         * @param lines {@code format NAME}, {@code every MILLIS}, then the sections {@code [start]}, {@code [steady]},
         *              {@code [failed]} and {@code [completed]}, one {@link LogTemplate} a line
         * @return the profile
         */
        static Profile read(String name, List<String> lines) {
            LogFormat format = null;
            long interval = 0;
            Map<String, List<LogTemplate>> sections = new HashMap<>();
            String section = null;
            for (String line : lines) {
                if (line.startsWith("format ")) {
                    format = LogFormat.valueOf(line.substring(7).trim().toUpperCase(Locale.ROOT));
                } else if (line.startsWith("every ")) {
                    interval = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1);
                } else if (section == null) {
                    throw new IllegalStateException("log profile " + name + ": a line before any section: " + line);
                } else {
                    sections.computeIfAbsent(section, s -> new ArrayList<>())
                            .add(LogTemplate.parse(line, section.equals("steady")));
                }
            }
            if (format == null) {
                throw new IllegalStateException("log profile " + name + " names no format");
            }
            return new Profile(format, interval, sections);
        }

        List<Line> generate(Context c, int retained) {
            Instance in = c.instance();
            long start = in.start().toEpochMilli();
            long end = in.end().toEpochMilli();
            SplittableRandom rnd = new SplittableRandom(Names.hash(c.seed()));
            List<Line> startLines = new ArrayList<>();
            List<Msg> startMessages = LogTemplate.expandAll(startup, c, rnd);
            // a run shorter than its startup (an init container) still wrote its startup lines: squeeze them in
            long step = in.terminated() && end - start < 120 + 63L * startMessages.size()
                    ? Math.max(0, (end - start) / (startMessages.size() + 2)) : -1;
            long t = step >= 0 ? start : start + 120;
            for (int i = 0; i < startMessages.size(); i++) {
                Msg m = startMessages.get(i);
                if (step >= 0) {
                    t += step;
                    startLines.add(line(Instant.ofEpochMilli(t).plusNanos(1000L * (i + 1)), m, c));
                } else {
                    t += 3 + rnd.nextInt(60);
                    if (t <= end) {
                        startLines.add(line(t, m, rnd, c));
                    }
                }
            }
            List<Line> lines = new ArrayList<>();
            long base = t;
            boolean rotated = false;
            if (!steady.isEmpty() && intervalMillis > 0 && end > base) {
                long slots = (end - base) / intervalMillis;
                long first = Math.max(1, slots - retained + 1);
                rotated = first > 1;
                for (long s = first; s <= slots; s++) {
                    SplittableRandom r = new SplittableRandom(Names.hash(c.seed() + "#" + s));
                    long at = base + s * intervalMillis - r.nextInt((int) Math.max(1, intervalMillis / 2));
                    if (at > base && at <= end) {
                        lines.add(line(at, LogTemplate.pick(steady, c, s, r), r, c));
                    }
                }
            }
            if (!rotated) {
                lines.addAll(0, startLines);
            }
            if (in.terminated()) {
                List<Msg> tail = LogTemplate.expandAll(in.exitCode() == 0 ? completion : failure, c, rnd);
                for (int i = 0; i < tail.size(); i++) {
                    lines.add(line(end - (tail.size() - i) * 9L, tail.get(i), rnd, c));
                }
            }
            lines.sort(Comparator.comparing(Line::time));
            return lines;
        }

        private Line line(long epochMillis, Msg m, SplittableRandom rnd, Context c) {
            return line(Instant.ofEpochMilli(epochMillis).plusNanos(rnd.nextInt(999_999) + 1), m, c);
        }

        private Line line(Instant time, Msg m, Context c) {
            String text = m.level().equals("raw")
                    ? m.text().replace("{ts}", LogFormat.millis(time)).replace("{tsu}", LogFormat.micros(time))
                    : format.apply(time, m, c.name());
            return new Line(time, text);
        }
    }
}
