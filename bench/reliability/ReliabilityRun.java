import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cloudpilot.sandbox.FaultProxy;
import io.cloudpilot.sandbox.FaultProxy.Fault;
import io.cloudpilot.sandbox.SandboxCluster;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The load and fault run behind {@code bench/reliability/run.sh}: the assembled distribution in its own JVM (server
 * mode), two sandbox clusters in this JVM, each behind a {@link FaultProxy}, and N concurrent clients (closed loop,
 * one request after another) over every cluster-scoped GET endpoint of the server's {@code /openapi}, on both
 * clusters, with ~10% {@code force_refresh=true}. Phases: warm-up, normal, one cluster faulty (the faults in turn),
 * recovery. Reports latency per cluster and phase, errors by cause, and the server's threads and heap (from
 * {@code /metrics}, heap after a full GC requested with jcmd) before and after, as Markdown.
 *
 * <p>Arguments: {@code --dist DIR --out FILE [--clients 200] [--seconds 60] [--fault-seconds 60] [--warmup 15]}.
 */
public final class ReliabilityRun {

    record Sample(String phase, String cluster, String endpoint, int status, String errorType, String cache, long micros) {
    }

    private static final Map<String, String> IDENTITY = Map.ofEntries(
            Map.entry("namespace", "shop"),
            Map.entry("pod_name", "frontend-7d4b9c8f6-x2k9p"),
            Map.entry("container", "istio-proxy"),
            Map.entry("deployment_name", "frontend"),
            Map.entry("service_name", "frontend"),
            Map.entry("node_name", "worker-1"),
            Map.entry("gateway_name", "broken-gateway"),
            Map.entry("virtualservice_name", "frontend"),
            Map.entry("destinationrule_name", "frontend"),
            Map.entry("resource_kind", "Deployment"),
            Map.entry("resource_name", "frontend"));

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path dist = Path.of(a.get("dist")).toAbsolutePath();
        Path out = Path.of(a.get("out")).toAbsolutePath();
        int clients = Integer.parseInt(a.getOrDefault("clients", "200"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        int faultSeconds = Integer.parseInt(a.getOrDefault("fault-seconds", "60"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "15"));

        Path work = Files.createTempDirectory("cloudpilot-reliability-");
        SandboxCluster alphaCluster = SandboxCluster.start();
        SandboxCluster betaCluster = SandboxCluster.start();
        FaultProxy alpha = FaultProxy.start(alphaCluster);
        FaultProxy beta = FaultProxy.start(betaCluster);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = work.resolve("server.log");
        ProcessBuilder pb = new ProcessBuilder(dist.resolve("bin/cloudpilot").toString(), "--port", Integer.toString(port),
                "--data-dir", work.resolve("data").toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        Process server = pb.start();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        try {
            waitReady(http, base, server, log);
            register(http, base, "alpha", alpha.url(), alphaCluster.token());
            register(http, base, "beta", beta.url(), betaCluster.token());
            List<String> endpoints = endpoints(get(http, base + "/openapi").body());
            System.out.println("endpoints: " + endpoints.size() + " cluster-scoped GETs, " + clients + " clients");

            List<Sample> samples = java.util.Collections.synchronizedList(new ArrayList<>(1 << 20));
            Map<String, Long> before = new TreeMap<>();
            Map<String, Long> peak = new ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicReference<String> phase = new java.util.concurrent.atomic.AtomicReference<>("warmup");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean paused = new AtomicBoolean();
            LongAdder done = new LongAdder();
            List<Thread> loops = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                loops.add(Thread.ofVirtual().start(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    while (!stop.get()) {
                        if (paused.get()) {
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                            continue;
                        }
                        String cluster = r.nextBoolean() ? "alpha" : "beta";
                        String endpoint = endpoints.get(r.nextInt(endpoints.size()));
                        String url = base + endpoint + (endpoint.contains("?") ? "&" : "?") + "cluster_name=" + cluster
                                + (r.nextInt(10) == 0 ? "&force_refresh=true" : "");
                        String p = phase.get();
                        long t0 = System.nanoTime();
                        int status;
                        String type = "";
                        String cache = "";
                        try {
                            HttpResponse<String> resp = http.send(HttpRequest.newBuilder(URI.create(url))
                                    .timeout(Duration.ofSeconds(90)).GET().build(), HttpResponse.BodyHandlers.ofString());
                            status = resp.statusCode();
                            cache = resp.headers().firstValue("X-Cache").orElse("");
                            if (status >= 400) {
                                Matcher m = Pattern.compile("\"error_type\"\\s*:\\s*\"(\\w+)\"").matcher(resp.body());
                                type = m.find() ? m.group(1) : "(no envelope)";
                            }
                        } catch (IOException | InterruptedException e) {
                            status = -1;
                            type = e.getClass().getSimpleName();
                        }
                        samples.add(new Sample(p, cluster, endpoint.replaceFirst("\\?.*", ""), status, type, cache,
                                (System.nanoTime() - t0) / 1000));
                        done.increment();
                    }
                }));
            }
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!stop.get()) {
                    try {
                        Map<String, Long> m = metrics(http, base);
                        peak.merge("thread_count", m.getOrDefault("thread_count", 0L), Math::max);
                        peak.merge("memory_usedHeap_bytes", m.getOrDefault("memory_usedHeap_bytes", 0L), Math::max);
                        Thread.sleep(1000);
                    } catch (Exception e) {
                        return;
                    }
                }
            });

            Thread.sleep(warmup * 1000L);
            // the baseline is taken idle, as the end is: clients paused, 10 s for requests in flight to finish
            paused.set(true);
            Thread.sleep(10_000);
            before.putAll(settledMetrics(http, base, server.pid()));
            Map<String, Long> threadsBefore = threadNames(server.pid());
            Map<String, Long> classesBefore = classBytes(server.pid());
            phase.set("normal");
            paused.set(false);
            Thread.sleep(seconds * 1000L);

            phase.set("beta faulty");
            List<Fault> faults = List.of(Fault.HANG, Fault.SLOW, Fault.DROP_MID_RESPONSE, Fault.SERVER_ERROR,
                    Fault.GARBAGE, Fault.REFUSE);
            beta.delay(Duration.ofSeconds(20));
            long slice = faultSeconds * 1000L / faults.size();
            for (Fault f : faults) {
                beta.set(f);
                System.out.println("beta: " + f);
                Thread.sleep(slice);
            }
            beta.set(Fault.NONE);
            phase.set("recovery");
            Thread.sleep(20_000);
            stop.set(true);
            for (Thread t : loops) {
                t.join(Duration.ofSeconds(120));
            }
            sampler.join(Duration.ofSeconds(5));
            Thread.sleep(10_000); // idle: let the server's request threads finish
            Map<String, Long> after = settledMetrics(http, base, server.pid());
            Thread.sleep(60_000); // idle past the 60 s keep-alive of the JDK's and the common pool's workers
            Map<String, Long> afterIdle = settledMetrics(http, base, server.pid());
            Map<String, Long> threadsAfter = threadNames(server.pid());
            Map<String, Long> classesAfter = classBytes(server.pid());

            String report = report(samples, endpoints.size(), clients, seconds, faultSeconds, faults, before, peak,
                    after, afterIdle, done.sum())
                    + growth("Server threads by name (digits folded), after warm-up (idle) → 70 s after the run", threadsBefore,
                    threadsAfter, 1, "")
                    + growth("Live heap by class (after a full GC), after warm-up (idle) → 70 s after the run, the largest changes",
                    classesBefore, classesAfter, 1 << 10, " KiB");
            Files.createDirectories(out.getParent());
            Files.writeString(out, report);
            System.out.println(report);
            System.out.println("written to " + out);
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            alpha.close();
            beta.close();
            alphaCluster.close();
            betaCluster.close();
        }
    }

    private static void waitReady(HttpClient http, String base, Process server, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited:\n" + Files.readString(log));
            }
            try {
                if (get(http, base + "/health/ready").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the server is not ready after 120 s");
    }

    private static void register(HttpClient http, String base, String name, String url, String token) throws Exception {
        String body = "{\"name\":\"" + name + "\",\"api_server\":\"" + url + "\",\"token\":\"" + token
                + "\",\"insecure\":true,\"description\":\"reliability run\"}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/k8s/cluster/add"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("registering " + name + " failed: HTTP " + r.statusCode());
        }
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json")
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every GET of the OpenAPI document that takes cluster_name, with its required parameters filled in. */
    private static List<String> endpoints(String openapi) {
        List<String> list = new ArrayList<>();
        JsonNode doc = JsonMapper.builder().build().readTree(openapi);
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            JsonNode get = path.getValue().path("get");
            if (get.isMissingNode()) {
                continue;
            }
            StringBuilder q = new StringBuilder();
            boolean clusterScoped = false;
            for (JsonNode p : get.path("parameters")) {
                String name = p.path("name").asString();
                clusterScoped |= name.equals("cluster_name");
                boolean wanted = p.path("required").asBoolean(false)
                        || name.equals("container") && path.getKey().endsWith("/logs/container");
                if (wanted && IDENTITY.containsKey(name)) {
                    q.append(q.isEmpty() ? "?" : "&").append(name).append('=')
                            .append(URLEncoder.encode(IDENTITY.get(name), StandardCharsets.UTF_8));
                }
            }
            boolean hasNamespace = false;
            for (JsonNode p : get.path("parameters")) {
                hasNamespace |= p.path("name").asString().equals("namespace");
            }
            if (hasNamespace && !q.isEmpty() && !q.toString().contains("namespace=")) {
                q.append("&namespace=shop"); // a named object is looked up in its namespace
            }
            if (clusterScoped) {
                list.add(path.getKey() + q);
            }
        }
        return list;
    }

    private static Map<String, Long> metrics(HttpClient http, String base) throws IOException, InterruptedException {
        Map<String, Long> m = new TreeMap<>();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                .header("Accept", "text/plain").timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            for (String name : List.of("thread_count", "thread_daemon_count", "memory_usedHeap_bytes",
                    "memory_committedHeap_bytes")) {
                if (line.startsWith(name + "{")) {
                    m.put(name, (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
        }
        return m;
    }

    /** The server's metrics after asking its JVM for a full GC (jcmd), so heap figures compare live data. */
    private static Map<String, Long> settledMetrics(HttpClient http, String base, long pid) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (Files.isExecutable(jcmd)) {
            new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(30, TimeUnit.SECONDS);
        }
        Thread.sleep(500);
        return metrics(http, base);
    }

    private static String report(List<Sample> all, int endpoints, int clients, int seconds, int faultSeconds,
                                 List<Fault> faults, Map<String, Long> before, Map<String, Long> peak,
                                 Map<String, Long> after, Map<String, Long> afterIdle, long total) {
        List<Sample> samples;
        synchronized (all) {
            samples = new ArrayList<>(all);
        }
        StringBuilder s = new StringBuilder();
        s.append("Run of ").append(Instant.now()).append(": ").append(clients).append(" clients, ").append(endpoints)
                .append(" cluster-scoped GET endpoints × 2 clusters, ~10% force_refresh; phases: normal ").append(seconds)
                .append(" s, beta faulty ").append(faultSeconds).append(" s (").append(faults).append(" in turn), recovery 20 s. ")
                .append(total).append(" requests in all (warm-up included), ")
                .append(Runtime.getRuntime().availableProcessors()).append(" CPUs shared by server, clusters and clients.\n\n");
        s.append("| phase | cluster | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | errors |\n");
        s.append("|---|---|---|---|---|---|---|---|---|\n");
        for (String phase : List.of("normal", "beta faulty", "recovery")) {
            for (String cluster : List.of("alpha", "beta")) {
                List<Sample> l = samples.stream().filter(x -> x.phase().equals(phase) && x.cluster().equals(cluster)).toList();
                if (l.isEmpty()) {
                    continue;
                }
                long[] lat = l.stream().mapToLong(Sample::micros).sorted().toArray();
                long errors = l.stream().filter(x -> x.status() >= 400 || x.status() < 0).count();
                double duration = phase.equals("normal") ? seconds : phase.equals("recovery") ? 20 : faultSeconds;
                s.append("| ").append(phase).append(" | ").append(cluster).append(" | ").append(l.size()).append(" | ")
                        .append(String.format("%.0f", l.size() / duration)).append(" | ")
                        .append(ms(pct(lat, 50))).append(" | ").append(ms(pct(lat, 90))).append(" | ")
                        .append(ms(pct(lat, 99))).append(" | ").append(ms(lat[lat.length - 1])).append(" | ")
                        .append(errors).append(" |\n");
            }
        }
        s.append("\nErrors by cause:\n\n| phase | cluster | status | error_type | endpoint | count |\n|---|---|---|---|---|---|\n");
        Map<String, Long> causes = new TreeMap<>();
        for (Sample x : samples) {
            if (!x.phase().equals("warmup") && (x.status() >= 400 || x.status() < 0)) {
                causes.merge(x.phase() + " | " + x.cluster() + " | " + x.status() + " | " + x.errorType() + " | "
                        + x.endpoint(), 1L, Long::sum);
            }
        }
        if (causes.isEmpty()) {
            s.append("| — | — | — | none | — | 0 |\n");
        }
        causes.forEach((k, v) -> s.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        s.append("\nCache outcomes (X-Cache of the 2xx answers):\n\n| phase | cluster | HIT | MISS | BYPASS | STALE |\n|---|---|---|---|---|---|\n");
        for (String phase : List.of("normal", "beta faulty", "recovery")) {
            for (String cluster : List.of("alpha", "beta")) {
                Map<String, Long> c = new TreeMap<>();
                samples.stream().filter(x -> x.phase().equals(phase) && x.cluster().equals(cluster) && x.status() < 300)
                        .forEach(x -> c.merge(x.cache(), 1L, Long::sum));
                s.append("| ").append(phase).append(" | ").append(cluster);
                for (String k : List.of("HIT", "MISS", "BYPASS", "STALE")) {
                    s.append(" | ").append(c.getOrDefault(k, 0L));
                }
                s.append(" |\n");
            }
        }
        s.append("\nServer JVM (from /metrics; heap after a full GC via jcmd):\n\n| measure | after warm-up, 10 s idle | peak during run | 10 s after | 70 s after |\n|---|---|---|---|---|\n");
        s.append("| threads | ").append(before.get("thread_count")).append(" | ").append(peak.get("thread_count"))
                .append(" | ").append(after.get("thread_count")).append(" | ").append(afterIdle.get("thread_count")).append(" |\n");
        s.append("| heap used (MiB) | ").append(mib(before.get("memory_usedHeap_bytes"))).append(" | ")
                .append(mib(peak.get("memory_usedHeap_bytes"))).append(" | ").append(mib(after.get("memory_usedHeap_bytes")))
                .append(" | ").append(mib(afterIdle.get("memory_usedHeap_bytes"))).append(" |\n");
        s.append("| heap committed (MiB) | ").append(mib(before.get("memory_committedHeap_bytes"))).append(" | — | ")
                .append(mib(after.get("memory_committedHeap_bytes"))).append(" | ")
                .append(mib(afterIdle.get("memory_committedHeap_bytes"))).append(" |\n");
        return s.toString();
    }

    private static String jcmd(long pid, String... command) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return "";
        }
        List<String> cmd = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(Arrays.asList(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /** Thread counts by name with digits folded ("pool-#-thread-#"). */
    private static Map<String, Long> threadNames(long pid) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        for (String line : jcmd(pid, "Thread.print").split("\n")) {
            if (line.startsWith("\"")) {
                String name = line.substring(1, Math.max(1, line.indexOf('"', 1))).replaceAll("\\d+", "#");
                m.merge(name, 1L, Long::sum);
            }
        }
        return m;
    }

    /** Live bytes by class (the histogram forces a full GC). */
    private static Map<String, Long> classBytes(long pid) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        for (String line : jcmd(pid, "GC.class_histogram").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].endsWith(":")) {
                m.put(f[3], Long.parseLong(f[2]));
            }
        }
        return m;
    }

    private static String growth(String title, Map<String, Long> before, Map<String, Long> after, long unit, String suffix) {
        Map<String, Long> delta = new TreeMap<>();
        before.keySet().forEach(k -> delta.put(k, after.getOrDefault(k, 0L) - before.get(k)));
        after.keySet().forEach(k -> delta.putIfAbsent(k, after.get(k)));
        StringBuilder s = new StringBuilder("\n" + title + ":\n\n| name | before | after | change |\n|---|---|---|---|\n");
        delta.entrySet().stream().filter(e -> e.getValue() != 0)
                .sorted((x, y) -> Long.compare(Math.abs(y.getValue()), Math.abs(x.getValue()))).limit(12)
                .forEach(e -> s.append("| ").append(e.getKey()).append(" | ")
                        .append(before.getOrDefault(e.getKey(), 0L) / unit).append(suffix).append(" | ")
                        .append(after.getOrDefault(e.getKey(), 0L) / unit).append(suffix).append(" | ")
                        .append(e.getValue() / unit).append(suffix).append(" |\n"));
        if (delta.values().stream().allMatch(v -> v == 0)) {
            s.append("| (no change) | | | |\n");
        }
        return s.toString();
    }

    private static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String ms(long micros) {
        return String.format("%.1f", micros / 1000.0);
    }

    private static String mib(Long bytes) {
        return bytes == null ? "?" : Long.toString(bytes >> 20);
    }
}
