package io.cloudpilot.dist;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.cloudpilot.sandbox.SandboxCluster;
import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.SecretLedger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembled distribution (server mode, the embedded SQLite registry) is killed with SIGKILL in the middle of a
 * concurrent burst of {@code cluster/add} and {@code cluster/remove} calls against real (sandbox) clusters, then
 * started again on the same data directory: every acknowledged add that was not removed is listed, every
 * acknowledged remove is gone, the store opens cleanly, and the credentials stored before the crash still decrypt
 * (each listed cluster answers through them).
 */
class RegistryCrashTest {

    private static final int WRITERS = 6;

    private static Path distDir;
    private static Path work;
    private static final List<SandboxCluster> clusters = new ArrayList<>();
    private static Process process;
    private static int port;

    /** What the burst knows about each name; each name is added at most once and removed at most once. */
    enum Outcome { ADD_IN_FLIGHT, ADDED, ADD_REFUSED, REMOVE_IN_FLIGHT, REMOVED, REMOVE_REFUSED }

    @BeforeAll
    static void start() throws Exception {
        distDir = Path.of(System.getProperty("cloudpilot.dist.dir")).toAbsolutePath();
        work = Files.createTempDirectory("cloudpilot-crash-");
        for (int i = 0; i < 3; i++) {
            SandboxCluster cluster = SandboxCluster.start();
            SecretLedger.record("crash test sandbox token", cluster.token());
            clusters.add(cluster);
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        clusters.forEach(SandboxCluster::close);
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkill() throws Exception {
        ApiClient api = startServer("before-kill");
        Map<String, Outcome> names = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            var unused = writers.submit(() -> burst(api, writer, names, stop, acknowledged));
        }
        // kill in the middle of the burst: once enough writes were acknowledged, with more in flight
        Instant deadline = Instant.now().plusSeconds(60);
        while (acknowledged.get() < 60 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        kill9();
        stop.set(true);
        writers.shutdown();
        assertTrue(writers.awaitTermination(60, TimeUnit.SECONDS), "the writers stop once the server is gone");
        assertTrue(acknowledged.get() >= 60, "the burst wrote before the kill: " + acknowledged.get());

        ApiClient again = startServer("after-kill");
        ApiResponse list = again.get("/k8s/cluster/list");
        assertEquals(200, list.status(), list.toString());
        Set<String> listed = new HashSet<>();
        list.data().path("clusters").forEach(c -> listed.add(c.path("name").asString()));

        List<String> problems = new ArrayList<>();
        int added = 0;
        int removed = 0;
        int inFlight = 0;
        for (Map.Entry<String, Outcome> e : names.entrySet()) {
            switch (e.getValue()) {
                case ADDED, REMOVE_REFUSED -> {
                    added++;
                    if (!listed.contains(e.getKey())) {
                        problems.add("acknowledged add lost: " + e.getKey());
                    }
                }
                case REMOVED, ADD_REFUSED -> {
                    removed += e.getValue() == Outcome.REMOVED ? 1 : 0;
                    if (listed.contains(e.getKey())) {
                        problems.add((e.getValue() == Outcome.REMOVED ? "acknowledged remove undone: "
                                : "refused add stored: ") + e.getKey());
                    }
                }
                default -> inFlight++;
            }
        }
        for (String name : listed) {
            if (!names.containsKey(name)) {
                problems.add("listed but never added: " + name);
            }
        }
        System.out.printf("registry crash: %d acknowledged adds kept, %d acknowledged removes, %d in flight at the "
                + "kill, %d listed after restart%n", added, removed, inFlight, listed.size());
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(added > 0 && removed > 0, "the burst both added and removed: " + names.values());

        // the store opened cleanly and every credential stored before the crash still decrypts
        for (String name : listed) {
            ApiResponse info = again.get("/k8s/cluster/info?cluster_name=" + name);
            assertEquals(200, info.status(), name + ": " + info);
            assertEquals(4, info.data().path("node_count").asInt(), info.toString());
        }
        ApiResponse ready = again.get("/health/ready");
        assertEquals(200, ready.status(), ready.raw());
        String log = Files.readString(SecretLedger.directory().resolve("registry-crash-after-kill.log"));
        assertFalse(log.contains("SEVERE") || log.contains("corrupt") || log.contains("Cannot decrypt"),
                "the restart logged no error:\n" + log);
    }

    private static void burst(ApiClient api, int writer, Map<String, Outcome> names, AtomicBoolean stop,
                              AtomicInteger acknowledged) {
        List<String> mine = new ArrayList<>();
        for (int i = 0; !stop.get(); i++) {
            try {
                if (i % 3 == 2 && !mine.isEmpty()) {
                    String name = mine.remove(0);
                    names.put(name, Outcome.REMOVE_IN_FLIGHT);
                    ApiResponse r = api.delete("/k8s/cluster/remove?cluster_name=" + name);
                    names.put(name, r.status() == 200 ? Outcome.REMOVED : Outcome.REMOVE_REFUSED);
                    acknowledged.incrementAndGet();
                } else {
                    String name = "w" + writer + "-c" + i;
                    SandboxCluster target = clusters.get(i % clusters.size());
                    names.put(name, Outcome.ADD_IN_FLIGHT);
                    ApiResponse r = api.post("/k8s/cluster/add", """
                            {"name": "%s", "api_server": "%s", "token": "%s", "insecure": true,
                             "description": "crash test"}""".formatted(name, target.url(), target.token()));
                    if (r.status() == 200) {
                        names.put(name, Outcome.ADDED);
                        mine.add(name);
                    } else {
                        names.put(name, Outcome.ADD_REFUSED);
                    }
                    acknowledged.incrementAndGet();
                }
            } catch (RuntimeException e) {
                return; // the server died with this call in flight: its outcome stays unknown
            }
        }
    }

    private static ApiClient startServer(String logName) throws Exception {
        // under target/, where the secret scan reads it
        Path log = SecretLedger.directory().resolve("registry-crash-" + logName + ".log");
        Files.createDirectories(log.getParent());
        process = new ProcessBuilder(distDir.resolve("bin/cloudpilot").toString(),
                "--port", Integer.toString(port), "--data-dir", work.resolve("data").toString())
                .directory(work.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ApiClient api = new ApiClient("http://127.0.0.1:" + port);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("cloudpilot exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (api.get("/health/ready").status() == 200) {
                    return api;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("cloudpilot not ready in 120 s:\n" + Files.readString(log));
            }
            Thread.sleep(250);
        }
    }

    private static void kill9() throws Exception {
        // the launcher execs java, so this is the JVM; destroyForcibly is SIGKILL on Unix
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server died");
        assertEquals(137, process.exitValue(), "killed by SIGKILL");
    }
}
