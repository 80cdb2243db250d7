package io.cloudpilot.sandbox;

import io.cloudpilot.sandbox.PodLogs.Instance;
import io.cloudpilot.sandbox.PodLogs.Line;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Log text in the formats of the real components: istiod and istio-proxy (Istio's tab-separated format and Envoy
 * access logs), istio-init, CoreDNS, Prometheus, etcd, the klog control-plane components, and three application
 * styles (JSON, Spring Boot, logrus). Lines echo the fixture's deliberate problems (a 503 NC for the cart's missing
 * subset, a rejected listener for the duplicate gateway, the secret without tls.key, worker-3 unreachable, the
 * unschedulable ledger pod) so that the logs tell the same story as the objects.
 */
final class LogProfiles {

    private static final DateTimeFormatter KLOG_TIME = DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private static final String ISTIO_VERSION_SUFFIX = "-e2ab2ba1b0d7b6a2c2f8e4e1b2aa0c5e6f7a8b9c-Clean";

    private LogProfiles() {
    }

    /**
     * What a profile knows about the container whose log it writes; lookups of other objects are made once.
     */
    static final class Context {
        private final Map<String, Object> pod;
        private final Map<String, Object> container;
        private final Instance instance;
        private final ObjectStore store;
        private List<Map<String, Object>> allPods;
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

        List<Map<String, Object>> allPods() {
            if (allPods == null) {
                allPods = store.list("/api/v1/pods").items();
            }
            return allPods;
        }

        /** Names {@code pod.namespace} of the pods with an istio-proxy container, for xDS log lines. */
        List<String> meshProxies() {
            if (meshProxies == null) {
                meshProxies = findMeshProxies();
            }
            return meshProxies;
        }

        private List<String> findMeshProxies() {
            List<String> names = new ArrayList<>();
            for (Map<String, Object> p : allPods()) {
                if (Json.mapsAt(p, "spec", "containers").stream().anyMatch(c -> "istio-proxy".equals(c.get("name")))) {
                    names.add(Json.name(p) + "." + Json.namespace(p));
                }
            }
            return names.isEmpty() ? List.of(podName() + "." + namespace()) : names;
        }

        /** Pod IPs of the pods labelled {@code app=<app>} in a namespace. */
        List<String> ips(String ns, String app) {
            return ips(ns, app, null);
        }

        /** Pod IPs of the pods labelled {@code app=<app>} (and {@code version=<version>} unless null). */
        List<String> ips(String ns, String app, String version) {
            return ips.computeIfAbsent(ns + "/" + app + "/" + version, k -> findIps(ns, app, version));
        }

        private List<String> findIps(String ns, String app, String version) {
            List<String> ips = new ArrayList<>();
            for (Map<String, Object> p : allPods()) {
                String ip = Json.string(p, "status", "podIP");
                Map<String, String> labels = Json.labels(p);
                if (ns.equals(Json.namespace(p)) && app.equals(labels.get("app")) && ip != null
                        && (version == null || version.equals(labels.get("version")))) {
                    ips.add(ip);
                }
            }
            return ips.isEmpty() ? List.of("10.244.1.50") : ips;
        }

        List<String> pendingPodMessages() {
            if (pending == null) {
                pending = findPending();
            }
            return pending;
        }

        private List<String> findPending() {
            List<String> messages = new ArrayList<>();
            for (Map<String, Object> p : allPods()) {
                if ("Pending".equals(Json.string(p, "status", "phase")) && Json.string(p, "spec", "nodeName") == null) {
                    for (Map<String, Object> c : Json.mapsAt(p, "status", "conditions")) {
                        if ("PodScheduled".equals(c.get("type")) && c.get("message") != null) {
                            messages.add("pod=\"" + Json.namespace(p) + "/" + Json.name(p) + "\" err=\""
                                    + c.get("message") + "\"");
                        }
                    }
                }
            }
            return messages;
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

    /**
     * One message before formatting.
     *
     * @param level info, warn, error, or raw (no prefix; {@code {ts}} is replaced by the time)
     * @param text  the text
     */
    record Msg(String level, String text) {
    }

    static Msg info(String text) {
        return new Msg("info", text);
    }

    static Msg warn(String text) {
        return new Msg("warn", text);
    }

    static Msg error(String text) {
        return new Msg("error", text);
    }

    static Msg raw(String text) {
        return new Msg("raw", text);
    }

    /** A log format and what a component writes: at start, periodically, and when it exits. */
    static final class Profile {
        private final BiFunction<Instant, Msg, String> format;
        private final long intervalMillis;
        private final Function<Context, List<Msg>> startup;
        private final SteadyLine steady;
        private final Function<Context, List<Msg>> failure;
        private final Function<Context, List<Msg>> completion;

        Profile(BiFunction<Instant, Msg, String> format, long intervalMillis, Function<Context, List<Msg>> startup,
                SteadyLine steady, Function<Context, List<Msg>> failure, Function<Context, List<Msg>> completion) {
            this.format = format;
            this.intervalMillis = intervalMillis;
            this.startup = startup;
            this.steady = steady;
            this.failure = failure;
            this.completion = completion;
        }

        List<Line> generate(Context c, int retained) {
            Instance in = c.instance();
            long start = in.start().toEpochMilli();
            long end = in.end().toEpochMilli();
            SplittableRandom rnd = new SplittableRandom(Names.hash(c.seed()));
            List<Line> startLines = new ArrayList<>();
            List<Msg> startMessages = startup.apply(c);
            // a run shorter than its startup (an init container) still wrote its startup lines: squeeze them in
            long step = in.terminated() && end - start < 120 + 63L * startMessages.size()
                    ? Math.max(0, (end - start) / (startMessages.size() + 2)) : -1;
            long t = step >= 0 ? start : start + 120;
            for (int i = 0; i < startMessages.size(); i++) {
                Msg m = startMessages.get(i);
                if (step >= 0) {
                    t += step;
                    startLines.add(line(Instant.ofEpochMilli(t).plusNanos(1000L * (i + 1)), m));
                } else {
                    t += 3 + rnd.nextInt(60);
                    if (t <= end) {
                        startLines.add(line(t, m, rnd));
                    }
                }
            }
            List<Line> lines = new ArrayList<>();
            long base = t;
            boolean rotated = false;
            if (steady != null && intervalMillis > 0 && end > base) {
                long slots = (end - base) / intervalMillis;
                long first = Math.max(1, slots - retained + 1);
                rotated = first > 1;
                for (long s = first; s <= slots; s++) {
                    SplittableRandom r = new SplittableRandom(Names.hash(c.seed() + "#" + s));
                    long at = base + s * intervalMillis - r.nextInt((int) Math.max(1, intervalMillis / 2));
                    if (at > base && at <= end) {
                        lines.add(line(at, steady.line(c, s, r), r));
                    }
                }
            }
            if (!rotated) {
                lines.addAll(0, startLines);
            }
            if (in.terminated()) {
                List<Msg> tail = (in.exitCode() == 0 ? completion : failure).apply(c);
                for (int i = 0; i < tail.size(); i++) {
                    lines.add(line(end - (tail.size() - i) * 9L, tail.get(i), rnd));
                }
            }
            lines.sort(Comparator.comparing(Line::time));
            return lines;
        }

        private Line line(long epochMillis, Msg m, SplittableRandom rnd) {
            return line(Instant.ofEpochMilli(epochMillis).plusNanos(rnd.nextInt(999_999) + 1), m);
        }

        private Line line(Instant time, Msg m) {
            String text = m.level().equals("raw")
                    ? m.text().replace("{ts}", millis(time)).replace("{tsu}", micros(time)) : format.apply(time, m);
            return new Line(time, text);
        }
    }

    /** One periodic line. */
    @FunctionalInterface
    interface SteadyLine {
        Msg line(Context c, long slot, SplittableRandom rnd);
    }

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    static String millis(Instant t) {
        return MILLIS.format(t);
    }

    static String micros(Instant t) {
        return MICROS.format(t);
    }

    private static final BiFunction<Instant, Msg, String> ISTIO = (t, m) -> micros(t) + "\t" + m.level() + "\t"
            + m.text();
    private static final BiFunction<Instant, Msg, String> PLAIN = (t, m) -> m.text();
    private static final BiFunction<Instant, Msg, String> KLOG = (t, m) ->
            (m.level().equals("error") ? "E" : m.level().equals("warn") ? "W" : "I") + KLOG_TIME.format(t)
                    + "       1 " + m.text();
    private static final BiFunction<Instant, Msg, String> JSON_APP = (t, m) -> "{\"time\":\"" + millis(t)
            + "\",\"level\":\"" + m.level() + "\"," + m.text() + "}";
    private static final BiFunction<Instant, Msg, String> ETCD = (t, m) -> "{\"level\":\"" + m.level()
            + "\",\"ts\":\"" + micros(t) + "\"," + m.text() + "}";
    private static final BiFunction<Instant, Msg, String> LOGRUS = (t, m) -> "time=\"" + DateTimeFormatter
            .ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS)) + "\" level=" + (m.level().equals("warn")
            ? "warning" : m.level()) + " " + m.text();
    private static final BiFunction<Instant, Msg, String> PROMETHEUS = (t, m) -> "ts=" + millis(t) + " "
            + m.text().replaceFirst(" ", " level=" + m.level() + " ");

    private static BiFunction<Instant, Msg, String> spring(String app) {
        return (t, m) -> millis(t) + " " + String.format("%5s", m.level().equals("warn") ? "WARN"
                : m.level().toUpperCase(Locale.ROOT)) + " 1 --- [" + app + "] " + m.text();
    }

    /** Envoy's access log lines are raw; everything else in an istio-proxy log is Istio's format. */
    private static final BiFunction<Instant, Msg, String> PROXY = ISTIO;

    static Profile forContainer(Context c) {
        String name = c.name();
        String image = c.image();
        boolean init = Json.mapsAt(c.pod(), "spec", "initContainers").stream()
                .anyMatch(x -> name.equals(x.get("name")));
        if (name.equals("istio-init") || (init && image.contains("proxyv2"))) {
            return istioInit();
        }
        if (image.contains("/pilot") || name.equals("discovery")) {
            return istiod();
        }
        if (name.equals("istio-proxy") || image.contains("proxyv2")) {
            boolean gateway = c.label("istio") != null && c.label("istio").contains("gateway");
            return gateway ? gateway() : sidecar();
        }
        if (image.contains("coredns")) {
            return coredns();
        }
        if (image.contains("prometheus/prometheus")) {
            return prometheus();
        }
        if (image.contains("etcd")) {
            return etcd();
        }
        for (String component : List.of("kube-apiserver", "kube-controller-manager", "kube-scheduler", "kube-proxy")) {
            if (image.contains(component)) {
                return klog(component);
            }
        }
        if (name.contains("migrate")) {
            return migration();
        }
        if (name.contains("reconcile")) {
            return reconcile();
        }
        return switch (name) {
            case "cart", "payments-api", "ledger" -> spring(c);
            case "catalog" -> catalog();
            default -> jsonApp();
        };
    }

    private static <T> T pick(SplittableRandom r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    private static String uuid(SplittableRandom r) {
        return String.format("%08x-%04x-4%03x-%04x-%012x", r.nextInt() & 0xffffffffL, r.nextInt(0x10000),
                r.nextInt(0x1000), 0x8000 | r.nextInt(0x4000), r.nextLong() & 0xffffffffffffL);
    }

    // --- Istio ------------------------------------------------------------------------------------------------

    private static Profile istiod() {
        return new Profile(ISTIO, 12_000, c -> List.of(
                info("FLAG: --caCertFile=\"\""),
                info("FLAG: --clusterID=\"Kubernetes\""),
                info("FLAG: --domain=\"cluster.local\""),
                info("FLAG: --grpcAddr=\":15010\""),
                info("FLAG: --httpsAddr=\":15017\""),
                info("FLAG: --monitoringAddr=\":15014\""),
                info("klog\tConfig not found: /var/run/secrets/remote/config"),
                info("initializing mesh configuration ./etc/istio/config/mesh"),
                info("Loaded MeshNetworks config from Kubernetes API server."),
                info("mesh configuration: {\"defaultConfig\":{\"discoveryAddress\":\"istiod.istio-system.svc:15012\"},"
                        + "\"trustDomain\":\"cluster.local\",\"rootNamespace\":\"istio-system\"}"),
                info("version: " + c.version() + ISTIO_VERSION_SUFFIX),
                info("ads\tStarting ADS server"),
                info("starting discovery service at [::]:15010"),
                info("starting webhook service at [::]:15017"),
                info("validationController\tcontroller started"),
                info("ads\tAll caches have been synced up in 1.524s, marking server ready")),
            (c, slot, r) -> {
                List<String> proxies = c.meshProxies();
                String node = pick(r, proxies);
                int roll = r.nextInt(100);
                if (roll < 4) {
                    return error("ads\tfailed to fetch key and certificate for kubernetes://broken-tls: found secret, "
                            + "but didn't have expected keys (cert and key) or (tls.crt and tls.key); found: tls.crt");
                }
                if (roll < 7) {
                    return warn("model\tgateway istio-system/duplicate-gateway: server on port 443 for host "
                            + "shop.example.com conflicts with gateway istio-system/shop-gateway, skipping");
                }
                if (roll < 10) {
                    return warn("model\tvirtual service shop/ghost: gateway shop/no-such-gateway not found");
                }
                if (roll < 12) {
                    return warn("model\tduplicate destination rules for host catalog.shop.svc.cluster.local: "
                            + "shop/catalog, shop/catalog-dup; merging");
                }
                if (roll < 30) {
                    return info(String.format("ads\tPush debounce stable[%d] %d for config %s: %d.%02dms since last "
                                    + "change, %d.%02dms since last push, full=%s", slot, 1 + r.nextInt(3),
                            pick(r, List.of("VirtualService/shop/frontend", "DestinationRule/shop/cart",
                                    "ServiceEntry/shop/catalog.shop.svc.cluster.local", "Secret/istio-system/shop-tls")),
                            100 + r.nextInt(9), r.nextInt(100), 100 + r.nextInt(500), r.nextInt(100), r.nextBoolean()));
                }
                if (roll < 42) {
                    return info(String.format("ads\tXDS: Pushing Services:%d ConnectedEndpoints:%d Version:%s/%d",
                            14 + r.nextInt(3), proxies.size(), DateTimeFormatter.ISO_INSTANT.format(c.instance()
                                    .start().truncatedTo(ChronoUnit.SECONDS)), slot));
                }
                if (roll < 80) {
                    String type = pick(r, List.of("CDS", "LDS", "RDS", "EDS"));
                    return info(String.format("ads\t%s: PUSH for node:%s resources:%d size:%.1fkB%s", type, node,
                            4 + r.nextInt(40), 1 + r.nextDouble() * 60, type.equals("EDS")
                                    ? " empty:0 cached:" + (10 + r.nextInt(20)) + "/" + (12 + r.nextInt(20)) : ""));
                }
                if (roll < 90) {
                    return info(String.format("ads\tADS: new connection for node:%s-%d", node, slot));
                }
                return info(String.format("ads\tADS: \"%s:%d\" %s-%d terminated", "10.244." + (1 + r.nextInt(2)) + "."
                        + (10 + r.nextInt(40)), 30000 + r.nextInt(30000), node, slot - 1));
            },
            c -> List.of(error("ads\tfatal error: failed to start discovery server")), c -> List.of());
    }

    private static List<Msg> proxyStartup(Context c, boolean gateway) {
        String domain = c.namespace() + ".svc.cluster.local";
        List<Msg> lines = new ArrayList<>(List.of(
                info("FLAG: --concurrency=\"" + (gateway ? "0" : "2") + "\""),
                info("FLAG: --domain=\"" + domain + "\""),
                info("FLAG: --proxyLogLevel=\"warning\""),
                info("Version " + c.version() + ISTIO_VERSION_SUFFIX),
                info("Maximum file descriptors (ulimit -n): 1048576"),
                info("Proxy role\tips=[" + c.podIp() + "] type=" + (gateway ? "router" : "sidecar") + " id="
                        + c.podName() + "." + c.namespace() + " domain=" + domain),
                info("Apply proxy config from env {}"),
                info("cache\tgenerated new workload certificate\tlatency=102.47ms ttl=23h59m59.1s"),
                info("xdsproxy\tInitializing with upstream address \"istiod.istio-system.svc:15012\" and cluster "
                        + "\"Kubernetes\""),
                info("sds\tStarting SDS grpc server"),
                info("Starting proxy agent"),
                info("Envoy command: [-c etc/istio/proxy/envoy-rev.json --drain-time-s 45 --drain-strategy immediate "
                        + "--local-address-ip-version v4 --file-flush-interval-msec 1000 --disable-hot-restart "
                        + "--allow-unknown-static-fields -l warning --component-log-level misc:error]"),
                info("xdsproxy\tconnected to delta upstream XDS server: istiod.istio-system.svc:15012\tid=1"),
                info("ads\tADS: new connection for node:" + c.podName() + "." + c.namespace() + "-1"),
                info("cache\treturned workload certificate from cache\tttl=23h59m58.9s"),
                info("ads\tSDS: PUSH request for node:" + c.podName() + "." + c.namespace()
                        + " resources:1 size:4.0kB resource:default"),
                info("ads\tSDS: PUSH request for node:" + c.podName() + "." + c.namespace()
                        + " resources:1 size:1.1kB resource:ROOTCA")));
        if (gateway) {
            lines.add(info("ads\tSDS: PUSH request for node:" + c.podName() + "." + c.namespace()
                    + " resources:1 size:2.6kB resource:kubernetes://shop-tls"));
            lines.add(warn("sds\tfailed to get certificate for kubernetes://broken-tls: found secret, but didn't have "
                    + "expected keys (cert and key) or (tls.crt and tls.key); found: tls.crt"));
        }
        if (!c.version().startsWith("1.22")) {
            lines.add(warn("xdsproxy\tproxy version " + c.version() + " is older than the control plane version 1.22.1;"
                    + " upgrade the sidecar by restarting the workload"));
        }
        lines.add(info("Readiness succeeded in 1.084s"));
        lines.add(info("Envoy proxy is ready"));
        return lines;
    }

    private static Profile gateway() {
        return new Profile(PROXY, 4_000, c -> proxyStartup(c, true), (c, slot, r) -> {
            int roll = r.nextInt(100);
            if (roll < 3) {
                return error("envoy config\tgRPC config for type.googleapis.com/envoy.config.listener.v3.Listener "
                        + "rejected: Error adding/updating listener(s) 0.0.0.0_8443: error adding listener "
                        + "'0.0.0.0:8443': multiple filter chains with the same matching rules are defined");
            }
            if (roll < 5) {
                return warn("envoy config\tStreamAggregatedResources gRPC config stream to xds-grpc closed since "
                        + (1500 + r.nextInt(400)) + "s ago: 13, ");
            }
            if (roll < 7) {
                return warn("sds\tcertificate for kubernetes://expired-tls expired; serving it anyway for "
                        + "legacy.example.com");
            }
            if (roll < 9) {
                return info("cache\tgenerated new workload certificate\tlatency=" + (80 + r.nextInt(60))
                        + "ms ttl=23h59m59s");
            }
            return raw(accessLog(c, r, true));
        }, c -> List.of(warn("Envoy exited with error: signal: killed"),
                error("Envoy exited with error: signal: killed")), c -> List.of(info("Agent has successfully terminated")));
    }

    private static Profile sidecar() {
        return new Profile(PROXY, 9_000, c -> proxyStartup(c, false), (c, slot, r) -> {
            int roll = r.nextInt(100);
            if (roll < 3) {
                return warn("envoy config\tStreamAggregatedResources gRPC config stream to xds-grpc closed since "
                        + (1500 + r.nextInt(400)) + "s ago: 13, ");
            }
            if (roll < 5) {
                return info("cache\tgenerated new workload certificate\tlatency=" + (80 + r.nextInt(60))
                        + "ms ttl=23h59m59s");
            }
            return raw(accessLog(c, r, false));
        }, c -> List.of(error("Envoy exited with error: signal: killed")),
                c -> List.of(info("Agent has successfully terminated")));
    }

    /** An Envoy access log line in Istio's default text format. */
    private static String accessLog(Context c, SplittableRandom r, boolean gateway) {
        String id = uuid(r);
        String ip = c.podIp();
        if (gateway) {
            String client = "203.0.113." + (20 + r.nextInt(200));
            String agent = pick(r, List.of("Mozilla/5.0 (X11; Linux x86_64; rv:126.0) Gecko/20100101 Firefox/126.0",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/605.1",
                    "curl/8.8.0"));
            int roll = r.nextInt(100);
            if (roll < 6) {
                return String.format("[{ts}] \"GET /healthz HTTP/1.1\" 404 NR route_not_found - \"-\" 0 0 0 - \"%s\" "
                        + "\"%s\" \"%s\" \"legacy.example.com\" \"-\" - - %s:8443 %s:%d legacy.example.com -", client,
                        agent, id, ip, client, 30000 + r.nextInt(30000));
            }
            if (roll < 10) {
                return String.format("[{ts}] \"GET / HTTP/1.1\" 301 - direct_response - \"-\" 0 0 0 - \"%s\" \"%s\" "
                        + "\"%s\" \"shop.example.com\" \"-\" - - %s:8080 %s:%d - -", client, agent, id, ip, client,
                        30000 + r.nextInt(30000));
            }
            boolean canary = r.nextInt(10) == 0;
            String upstream = pick(r, c.ips("shop", "frontend", canary ? "v2" : "v1")) + ":8080";
            String cluster = "outbound|80|" + (canary ? "v2" : "v1") + "|frontend.shop.svc.cluster.local";
            if (roll < 13) {
                return String.format("[{ts}] \"GET /api/recommendations HTTP/2\" 504 UT response_timeout - \"-\" 0 24 "
                        + "10001 - \"%s\" \"%s\" \"%s\" \"shop.example.com\" \"%s\" %s %s:%d %s:8443 %s:%d "
                        + "shop.example.com -", client, agent, id, upstream, cluster, ip, 40000 + r.nextInt(20000), ip,
                        client, 30000 + r.nextInt(30000));
            }
            String[] request = pick(r, List.of(new String[] {"GET", "/"}, new String[] {"GET", "/api/products"},
                    new String[] {"GET", "/api/products/sku-" + (10000 + r.nextInt(900))},
                    new String[] {"GET", "/static/js/app.9f2c1e.js"}, new String[] {"POST", "/api/cart/items"}));
            int status = request[1].equals("/api/cart/items") && r.nextBoolean() ? 503 : 200;
            int duration = 3 + r.nextInt(status == 200 ? 80 : 20);
            return String.format("[{ts}] \"%s %s HTTP/2\" %d - via_upstream - \"-\" %d %d %d %d \"%s\" \"%s\" \"%s\" "
                            + "\"shop.example.com\" \"%s\" %s %s:%d %s:8443 %s:%d shop.example.com -", request[0],
                    request[1], status, request[0].equals("POST") ? 84 : 0, status == 200 ? 300 + r.nextInt(9000) : 19,
                    duration, duration - 1, client, agent, id, upstream, cluster, ip, 40000 + r.nextInt(20000), ip,
                    client, 30000 + r.nextInt(30000));
        }
        String app = c.label("app") == null ? c.podName() : c.label("app");
        String ns = c.namespace();
        int port = 8080;
        if (app.equals("frontend") && r.nextInt(4) == 0) {
            return String.format("[{ts}] \"POST /api/cart/items HTTP/1.1\" 503 NC cluster_not_found - \"-\" 0 0 0 - "
                    + "\"-\" \"node-fetch/1.0\" \"%s\" \"cart:8080\" \"-\" - - 10.96.12.11:8080 %s:%d - -", id, ip,
                    40000 + r.nextInt(20000));
        }
        if (app.equals("payments-api") && r.nextInt(5) == 0) {
            boolean abort = r.nextInt(5) == 0;
            return abort
                    ? String.format("[{ts}] \"POST /v1/ledger/entries HTTP/1.1\" 503 FI fault_filter_abort - \"-\" 0 18 0 "
                    + "- \"-\" \"Java-http-client/21.0.3\" \"%s\" \"payments-api:8080\" \"-\" - - 10.96.13.10:8080 "
                    + "%s:%d - -", id, ip, 40000 + r.nextInt(20000))
                    : String.format("[{ts}] \"POST /v1/charges HTTP/1.1\" 200 DI via_upstream - \"-\" 212 96 %d %d \"-\" "
                    + "\"Java-http-client/21.0.3\" \"%s\" \"payments-api:8080\" \"%s:8080\" "
                    + "outbound|8080|v1|payments-api.payments.svc.cluster.local %s:%d 10.96.13.10:8080 %s:%d - default",
                    5000 + r.nextInt(40), 4 + r.nextInt(30), id, pick(r, c.ips("payments", "payments-api")), ip,
                    40000 + r.nextInt(20000), ip, 40000 + r.nextInt(20000));
        }
        String path = pick(r, List.of("/", "/api/items", "/healthz/ready", "/api/items/" + (100 + r.nextInt(900))));
        int duration = 1 + r.nextInt(40);
        return String.format("[{ts}] \"GET %s HTTP/1.1\" 200 - via_upstream - \"-\" 0 %d %d %d \"-\" \"%s\" \"%s\" "
                        + "\"%s.%s.svc.cluster.local:%d\" \"%s:%d\" inbound|%d|| 127.0.0.6:%d %s:%d %s:%d "
                        + "outbound_.%d_._.%s.%s.svc.cluster.local default", path, 100 + r.nextInt(4000), duration,
                Math.max(0, duration - 1), pick(r, List.of("Go-http-client/1.1", "node-fetch/1.0",
                        "Java-http-client/21.0.3")), id, app, ns, port, ip, port, port, 40000 + r.nextInt(20000), ip,
                port, "10.244." + (1 + r.nextInt(2)) + "." + (10 + r.nextInt(40)), 40000 + r.nextInt(20000), port,
                app, ns);
    }

    private static Profile istioInit() {
        return new Profile(PLAIN, 0, c -> List.of(
                raw("{tsu}\tinfo\tIstio iptables environment:"),
                raw("ENVOY_PORT="),
                raw("INBOUND_CAPTURE_PORT="),
                raw("ISTIO_INBOUND_INTERCEPTION_MODE="),
                raw("ISTIO_META_DNS_CAPTURE="),
                raw("{tsu}\tinfo\tIstio iptables variables:"),
                raw("PROXY_PORT=15001"),
                raw("PROXY_INBOUND_CAPTURE_PORT=15006"),
                raw("PROXY_TUNNEL_PORT=15008"),
                raw("PROXY_UID=1337"),
                raw("PROXY_GID=1337"),
                raw("INBOUND_INTERCEPTION_MODE=REDIRECT"),
                raw("INBOUND_PORTS_INCLUDE=*"),
                raw("INBOUND_PORTS_EXCLUDE=15090,15021,15020"),
                raw("OUTBOUND_IP_RANGES_INCLUDE=*"),
                raw("{tsu}\tinfo\tRunning iptables-restore with the following input:"),
                raw("* nat"),
                raw("-N ISTIO_INBOUND"),
                raw("-N ISTIO_REDIRECT"),
                raw("-N ISTIO_IN_REDIRECT"),
                raw("-N ISTIO_OUTPUT"),
                raw("-A ISTIO_INBOUND -p tcp --dport 15008 -j RETURN"),
                raw("-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001"),
                raw("-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006"),
                raw("-A PREROUTING -p tcp -j ISTIO_INBOUND"),
                raw("-A ISTIO_INBOUND -p tcp --dport 15020 -j RETURN"),
                raw("-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT"),
                raw("-A OUTPUT -p tcp -j ISTIO_OUTPUT"),
                raw("-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN"),
                raw("-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN"),
                raw("-A ISTIO_OUTPUT -j ISTIO_REDIRECT"),
                raw("COMMIT"),
                raw("{tsu}\tinfo\tRunning command (with wait lock): iptables-restore --noflush --wait=30")),
            null, c -> List.of(raw("{tsu}\terror\tfailed to run iptables-restore: exit status 1")),
            c -> List.of());
    }

    // --- cluster components -----------------------------------------------------------------------------------

    private static Profile coredns() {
        return new Profile(PLAIN, 10_000, c -> List.of(
                info(".:53"),
                info("[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729"
                        + "d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908"),
                info("CoreDNS-1.11.1"),
                info("linux/amd64, go1.20.7, ae2bbc2"),
                warn("[WARNING] No files matching import glob pattern: custom/*.override")),
            (c, slot, r) -> {
                int roll = r.nextInt(100);
                String client = "10.244." + (1 + r.nextInt(2)) + "." + (10 + r.nextInt(40)) + ":"
                        + (30000 + r.nextInt(30000));
                if (roll < 3) {
                    return error("[ERROR] plugin/errors: 2 registry.example.com. A: read udp " + c.podIp()
                            + ":41022->10.0.0.2:53: i/o timeout");
                }
                if (roll < 20) {
                    String name = pick(r, List.of("ghost.shop.svc.cluster.local.", "cart-redis.shop.svc.cluster.local."));
                    return info(String.format("[INFO] %s - %d \"A IN %s udp %d false 512\" NXDOMAIN qr,aa,rd %d "
                            + "0.000%03ds", client, r.nextInt(65536), name, 40 + name.length(), 140 + r.nextInt(20),
                            50 + r.nextInt(400)));
                }
                String name = pick(r, List.of("catalog.shop.svc.cluster.local.", "cart.shop.svc.cluster.local.",
                        "frontend.shop.svc.cluster.local.", "payments-api.payments.svc.cluster.local.",
                        "ledger.payments.svc.cluster.local.", "istiod.istio-system.svc.cluster.local.",
                        "prometheus.monitoring.svc.cluster.local."));
                return info(String.format("[INFO] %s - %d \"%s IN %s udp %d false 512\" NOERROR qr,aa,rd %d 0.000%03ds",
                        client, r.nextInt(65536), r.nextBoolean() ? "A" : "AAAA", name, 30 + name.length(),
                        90 + r.nextInt(60), 40 + r.nextInt(400)));
            }, c -> List.of(error("[ERROR] plugin/kubernetes: failed to connect to the API server")), c -> List.of());
    }

    private static Profile prometheus() {
        return new Profile(PROMETHEUS, 45_000, c -> List.of(
                info("caller=main.go:589 msg=\"No time or size retention was set so using the default time "
                        + "retention\" duration=15d"),
                info("caller=main.go:633 msg=\"Starting Prometheus Server\" mode=server version=\"(version="
                        + c.version() + ", branch=HEAD, revision=4c35b9250afefede41c5f5acd76191f90f625898)\""),
                info("caller=main.go:638 build_context=\"(go=go1.22.4, platform=linux/amd64, user=root@7f9a3d, "
                        + "date=20240616-08:12:41, tags=netgo,builtinassets,stringlabels)\""),
                info("caller=web.go:568 component=web msg=\"Start listening for connections\" address=0.0.0.0:9090"),
                info("caller=main.go:1148 msg=\"Starting TSDB ...\""),
                info("caller=main.go:1169 msg=\"TSDB started\""),
                info("caller=main.go:1351 msg=\"Loading configuration file\" filename=/etc/prometheus/prometheus.yml"),
                info("caller=main.go:1388 msg=\"Completed loading of configuration file\" "
                        + "filename=/etc/prometheus/prometheus.yml totalDuration=12.481ms"),
                info("caller=main.go:1112 msg=\"Server is ready to receive web requests.\"")),
            (c, slot, r) -> {
                int roll = r.nextInt(100);
                if (roll < 25) {
                    List<String> down = c.unreadyNodeAddresses();
                    if (!down.isEmpty()) {
                        return error("caller=scrape.go:1372 component=\"scrape manager\" scrape_pool=kubernetes-nodes "
                                + "target=https://" + down.get(0) + ":10250/metrics msg=\"Scrape failed\" "
                                + "err=\"Get \\\"https://" + down.get(0) + ":10250/metrics\\\": context deadline "
                                + "exceeded\"");
                    }
                }
                if (roll < 35) {
                    return warn("caller=scrape.go:1729 component=\"scrape manager\" scrape_pool=kubernetes-pods "
                            + "target=http://" + pick(r, c.ips("shop", "cart")) + ":15020/stats/prometheus "
                            + "msg=\"Error on ingesting samples that are too old or are too far into the future\" "
                            + "num_dropped=" + (1 + r.nextInt(9)));
                }
                if (roll < 70) {
                    return info("caller=head.go:1302 component=tsdb msg=\"Head GC completed\" "
                            + "duration=" + (2 + r.nextInt(9)) + "." + r.nextInt(1000) + "ms");
                }
                return info("caller=compact.go:576 component=tsdb msg=\"write block\" mint=" + (slot * 7_200_000L)
                        + " maxt=" + (slot * 7_200_000L + 7_200_000L) + " ulid=01J" + Names.hex(c.seed() + slot, 23)
                        .toUpperCase(Locale.ROOT) + " duration=" + (300 + r.nextInt(700)) + "ms");
            }, c -> List.of(error("caller=main.go:1090 err=\"opening storage failed: lock DB directory: resource "
                + "temporarily unavailable\"")), c -> List.of(info("caller=main.go:1210 msg=\"See you next time!\"")));
    }

    private static Profile etcd() {
        return new Profile(ETCD, 60_000, c -> List.of(
                info("\"caller\":\"etcdmain/etcd.go:73\",\"msg\":\"Running: \",\"args\":[\"etcd\",\"--advertise-client-urls="
                        + "https://10.0.0.10:2379\",\"--data-dir=/var/lib/etcd\"]"),
                info("\"caller\":\"embed/etcd.go:127\",\"msg\":\"configuring peer listeners\",\"listen-peer-urls\":"
                        + "[\"https://10.0.0.10:2380\"]"),
                info("\"caller\":\"etcdserver/server.go:2068\",\"msg\":\"published local member to cluster through "
                        + "raft\",\"cluster-id\":\"f5c5b3a2a0d3e4c1\""),
                info("\"caller\":\"embed/serve.go:250\",\"msg\":\"serving client traffic securely\",\"traffic\":"
                        + "\"grpc+http\",\"address\":\"10.0.0.10:2379\"")),
            (c, slot, r) -> {
                int roll = r.nextInt(100);
                long revision = 120_000 + slot * 311;
                if (roll < 10) {
                    return warn("\"caller\":\"etcdserver/util.go:170\",\"msg\":\"apply request took too long\","
                            + "\"took\":\"" + (101 + r.nextInt(150)) + "." + r.nextInt(1000) + "ms\","
                            + "\"expected-duration\":\"100ms\",\"prefix\":\"read-only range \",\"request\":"
                            + "\"key:\\\"/registry/pods/\\\" range_end:\\\"/registry/pods0\\\" \"");
                }
                if (roll < 55) {
                    return info("\"caller\":\"mvcc/index.go:214\",\"msg\":\"compact tree index\",\"revision\":"
                            + revision);
                }
                return info("\"caller\":\"mvcc/kvstore_compaction.go:68\",\"msg\":\"finished scheduled compaction\","
                        + "\"compact-revision\":" + revision + ",\"took\":\"" + (4 + r.nextInt(20)) + "."
                        + r.nextInt(1000) + "ms\",\"hash\":" + (r.nextLong() & 0xffffffffL));
            }, c -> List.of(error("\"caller\":\"etcdmain/etcd.go:204\",\"msg\":\"discovery failed\"")),
            c -> List.of());
    }

    private static Profile klog(String component) {
        return new Profile(KLOG, 30_000, c -> List.of(
                info("flags.go:64] FLAG: --v=\"2\""),
                info("server.go:" + (100 + component.length()) + "] \"Version info\" version=\"v1.30.2\""),
                info("leaderelection.go:250] attempting to acquire leader lease kube-system/" + component + "..."),
                info("leaderelection.go:260] successfully acquired lease kube-system/" + component)),
            (c, slot, r) -> switch (component) {
                case "kube-proxy" -> r.nextInt(20) == 0
                        ? warn("reflector.go:547] k8s.io/client-go/informers/factory.go:160: watch of *v1.EndpointSlice"
                        + " ended with: an error on the server (\"unable to decode an event from the watch stream: "
                        + "http2: client connection lost\") has prevented the request from succeeding")
                        : info("proxier.go:805] \"SyncProxyRules complete\" elapsed=\"" + (5 + r.nextInt(20)) + "."
                        + r.nextInt(1000) + "ms\"");
                case "kube-scheduler" -> {
                    List<String> pending = c.pendingPodMessages();
                    yield pending.isEmpty() || r.nextInt(3) == 0
                            ? info("schedule_one.go:314] \"Successfully bound pod to node\" pod=\"monitoring/"
                            + "prometheus\" evaluatedNodes=4 feasibleNodes=2")
                            : info("schedule_one.go:1050] \"Unable to schedule pod; no fit; waiting\" "
                            + pick(r, pending));
                }
                case "kube-controller-manager" -> {
                    List<String> down = c.unreadyNodes();
                    int roll = r.nextInt(10);
                    if (!down.isEmpty() && roll < 4) {
                        yield info("node_lifecycle_controller.go:1058] \"Node is unresponsive. Adding it to the Taint "
                                + "queue\" node=\"" + down.get(0) + "\"");
                    }
                    if (roll < 6) {
                        yield error("job_controller.go:631] \"Job has reached the specified backoff limit\" "
                                + "job=\"payments/ledger-reconcile-28871234\"");
                    }
                    yield info("event.go:389] \"Event occurred\" object=\"shop/cart-5b7f9d6c8-z9x8c\" fieldPath=\"spec."
                            + "containers{cart}\" kind=\"Pod\" apiVersion=\"v1\" type=\"Warning\" reason=\"BackOff\" "
                            + "message=\"Back-off restarting failed container cart in pod cart-5b7f9d6c8-z9x8c_shop\"");
                }
                default -> r.nextInt(15) == 0
                        ? warn("watcher.go:338] watch chan error: etcdserver: mvcc: required revision has been compacted")
                        : info("httplog.go:132] \"HTTP\" verb=\"" + pick(r, List.of("LIST", "GET", "WATCH")) + "\" URI=\""
                        + pick(r, List.of("/api/v1/namespaces/shop/pods?limit=500", "/apis/apps/v1/deployments",
                        "/apis/networking.istio.io/v1/virtualservices", "/api/v1/nodes/worker-1")) + "\" latency=\""
                        + (1 + r.nextInt(30)) + "." + r.nextInt(1000) + "ms\" userAgent=\"cloudpilot/0.1.0\" "
                        + "audit-ID=\"" + uuid(r) + "\" srcIP=\"10.0.0.1:" + (40000 + r.nextInt(20000)) + "\" resp=200");
            }, c -> List.of(error("server.go:302] \"command failed\" err=\"failed to start\"")), c -> List.of());
    }

    // --- applications -----------------------------------------------------------------------------------------

    private static Profile jsonApp() {
        return new Profile(JSON_APP, 6_000, c -> List.of(
                info("\"msg\":\"starting " + c.name() + "\",\"version\":\"" + c.version() + "\",\"port\":8080"),
                info("\"msg\":\"loaded configuration\",\"source\":\"/etc/" + c.name() + "/config.yaml\""),
                info("\"msg\":\"listening\",\"addr\":\":8080\"")),
            (c, slot, r) -> {
                int roll = r.nextInt(100);
                if (c.name().startsWith("frontend")) {
                    if (roll < 8) {
                        return error("\"msg\":\"upstream request failed\",\"upstream\":\"cart\",\"status\":503,"
                                + "\"error\":\"no healthy upstream\",\"path\":\"/api/cart/items\"");
                    }
                    if (roll < 15) {
                        return warn("\"msg\":\"slow upstream response\",\"upstream\":\"catalog\",\"durationMs\":"
                                + (1200 + r.nextInt(900)));
                    }
                    String path = pick(r, List.of("/", "/api/products", "/api/products/sku-" + (10000 + r.nextInt(900)),
                            "/api/recommendations"));
                    return info("\"msg\":\"request completed\",\"method\":\"GET\",\"path\":\"" + path
                            + "\",\"status\":200,\"durationMs\":" + (2 + r.nextInt(60)));
                }
                if (roll < 4) {
                    return error("\"msg\":\"operation failed\",\"error\":\"context deadline exceeded\"");
                }
                if (roll < 10) {
                    return warn("\"msg\":\"retrying operation\",\"attempt\":" + (1 + r.nextInt(3)));
                }
                return info("\"msg\":\"heartbeat\",\"uptimeSeconds\":" + (slot * 6));
            },
            c -> List.of(error("\"msg\":\"fatal error, exiting\",\"error\":\"unrecoverable state\"")),
            c -> List.of(info("\"msg\":\"shutdown complete\"")));
    }

    private static Profile spring(Context context) {
        String app = context.name();
        String appClass = switch (app) {
            case "cart" -> "CartApplication";
            case "payments-api" -> "PaymentsApplication";
            default -> "LedgerApplication";
        };
        String pkg = "c.a." + app.replace("-api", "").replace("-", "");
        return new Profile(spring(app), 6_000, c -> List.of(
                info("[           main] " + pkg + "." + appClass + padTo(pkg + "." + appClass) + ": Starting " + appClass
                        + " v" + c.version() + " using Java 21.0.3 with PID 1 (/app/app.jar started by app in /app)"),
                info("[           main] " + pkg + "." + appClass + padTo(pkg + "." + appClass) + ": No active profile "
                        + "set, falling back to 1 default profile: \"default\""),
                info("[           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port 8080 "
                        + "(http)"),
                info("[           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat started on port 8080 (http) "
                        + "with context path '/'"),
                info("[           main] " + pkg + "." + appClass + padTo(pkg + "." + appClass) + ": Started " + appClass
                        + " in 6.412 seconds (process running for 7.108)")),
            (c, slot, r) -> {
                int roll = r.nextInt(100);
                String thread = "[nio-8080-exec-" + (1 + r.nextInt(10)) + "] ";
                if (app.equals("cart")) {
                    if (roll < 6) {
                        return error(thread + "c.a.cart.CartRepository                : Failed to persist cart c-"
                                + Names.hex(c.seed() + slot, 4) + ": Unable to connect to cart-redis.shop.svc.cluster"
                                + ".local:6379");
                    }
                    if (roll < 14) {
                        return warn(thread + "c.a.cart.CartRepository                : Redis connection lost; retrying"
                                + " in 2000 ms (attempt " + (1 + r.nextInt(5)) + "/5)");
                    }
                    return info(thread + "c.a.cart.CartController                : "
                            + (r.nextBoolean() ? "Added item sku-" + (10000 + r.nextInt(900)) + " to cart c-"
                            + Names.hex(c.seed() + slot, 4) : "Fetched cart c-" + Names.hex(c.seed() + slot, 4)));
                }
                if (roll < 6) {
                    return error(thread + "c.a.payments.ChargeService             : Charge ch_" + Names.hex(c.seed()
                            + slot, 10) + " failed: 503 Service Unavailable from ledger");
                }
                if (roll < 16) {
                    return warn(thread + "c.a.payments.LedgerClient              : Ledger call took " + (5000
                            + r.nextInt(40)) + " ms (threshold 2000 ms)");
                }
                return info(thread + "c.a.payments.ChargeService             : Charge ch_" + Names.hex(c.seed() + slot,
                        10) + " authorized amount=" + (5 + r.nextInt(200)) + "." + (10 + r.nextInt(89)) + " EUR");
            },
            c -> app.equals("cart") ? List.of(
                    info("[           main] .s.d.r.c.RepositoryConfigurationDelegate : Bootstrapping Spring Data Redis "
                            + "repositories in DEFAULT mode."),
                    warn("[           main] ConfigServletWebServerApplicationContext : Exception encountered during "
                            + "context initialization - cancelling refresh attempt: org.springframework.beans.factory."
                            + "BeanCreationException: Error creating bean with name 'redisConnectionFactory'"),
                    error("[           main] o.s.boot.SpringApplication               : Application run failed"),
                    raw("org.springframework.beans.factory.BeanCreationException: Error creating bean with name "
                            + "'redisConnectionFactory': Could not connect to Redis at cart-redis.shop.svc.cluster"
                            + ".local:6379"),
                    raw("\tat org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory"
                            + ".initializeBean(AbstractAutowireCapableBeanFactory.java:1806)"),
                    raw("\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:335)"),
                    raw("\tat com.acme.shop.cart.CartApplication.main(CartApplication.java:12)"),
                    raw("Caused by: io.lettuce.core.RedisConnectionException: Unable to connect to "
                            + "cart-redis.shop.svc.cluster.local/<unresolved>:6379"),
                    raw("\tat io.lettuce.core.RedisConnectionException.create(RedisConnectionException.java:78)"),
                    raw("Caused by: java.net.UnknownHostException: cart-redis.shop.svc.cluster.local"),
                    raw("\t... 12 common frames omitted"))
                    : List.of(error("[           main] o.s.boot.SpringApplication               : Application run "
                    + "failed"), raw("java.lang.IllegalStateException: Failed to execute CommandLineRunner")),
            c -> List.of(info("[ionShutdownHook] o.s.b.w.e.tomcat.GracefulShutdown        : Graceful shutdown "
                    + "complete")));
    }

    private static String padTo(String logger) {
        return " ".repeat(Math.max(1, 40 - logger.length()));
    }

    private static Profile catalog() {
        return new Profile(LOGRUS, 6_000, c -> List.of(
                info("msg=\"catalog service starting\" version=" + c.version()),
                info("msg=\"connected to database\" host=catalog-db.shop.svc.cluster.local"),
                info("msg=\"listening\" addr=\":8080\"")),
            (c, slot, r) -> {
                int roll = r.nextInt(100);
                if (roll < 3) {
                    return error("msg=\"query failed\" error=\"pq: canceling statement due to statement timeout\" "
                            + "query=search");
                }
                if (roll < 9) {
                    return warn("msg=\"slow query\" duration=" + (1100 + r.nextInt(900)) + "ms query=list_products");
                }
                return info("msg=\"GET /products" + (r.nextBoolean() ? "" : "/sku-" + (10000 + r.nextInt(900)))
                        + "\" status=200 duration=" + (1 + r.nextInt(30)) + "." + r.nextInt(10) + "ms");
            }, c -> List.of(error("msg=\"fatal\" error=\"database unavailable\"")), c -> List.of());
    }

    private static Profile migration() {
        return new Profile(LOGRUS, 0, c -> List.of(
                info("msg=\"connecting to database\" host=catalog-db.shop.svc.cluster.local"),
                info("msg=\"current schema version\" version=40"),
                info("msg=\"applying migration\" name=0041_add_product_tags"),
                info("msg=\"applying migration\" name=0042_add_sku_index"),
                info("msg=\"applying migration\" name=0043_backfill_prices")),
            null, c -> List.of(error("msg=\"migration failed\" name=0043_backfill_prices")),
            c -> List.of(info("msg=\"migrations complete\" applied=3 pending=0 version=43")));
    }

    private static Profile reconcile() {
        return new Profile(JSON_APP, 0, c -> List.of(
                info("\"msg\":\"reconciling ledger entries\",\"day\":\"2026-11-24\""),
                info("\"msg\":\"fetching ledger snapshot\",\"url\":\"http://ledger.payments.svc.cluster.local:8080/v1/"
                        + "snapshot\"")),
            null, c -> List.of(
                    error("\"msg\":\"request failed\",\"error\":\"dial tcp 10.96.13.11:8080: connect: connection "
                            + "refused\",\"attempt\":3"),
                    error("\"msg\":\"could not connect to ledger.payments.svc.cluster.local:8080, giving up\"")),
            c -> List.of(info("\"msg\":\"reconciliation complete\"")));
    }

}
