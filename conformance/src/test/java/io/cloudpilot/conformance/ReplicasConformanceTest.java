package io.cloudpilot.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;

import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.SecretLedger;
import io.cloudpilot.testkit.Wait;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two CloudPilot processes of the distribution ({@code bin/cloudpilot}, server mode) on one PostgreSQL registry with
 * one secret key, as the {@code overlays/server} Deployment runs them: a cluster added through one is served by the
 * other, a removal through one is seen by the other within {@code registry.refresh-interval}, both answer the same
 * audit log, and restarting each in turn (SIGTERM, start again) while writes keep coming loses none that was
 * acknowledged.
 * <p>
 * Needs {@code -Dcloudpilot.test.postgres.url/user/password} ({@code .ci/run} starts a PostgreSQL); runs in a schema
 * of its own, dropped afterwards.
 */
@Order(7)
@ExtendWith(ConformanceCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasConformanceTest {

    static final String PG_URL = "cloudpilot.test.postgres.url";
    static final String HOW_TO = "the replicas test needs a PostgreSQL: -D" + PG_URL + "=jdbc:postgresql://HOST:PORT/DB"
            + " and -Dcloudpilot.test.postgres.user/password (.ci/run starts one and passes them)";
    /** Short, so the test is quick; the guarantee is the same for the default PT10S. */
    private static final Duration REFRESH = Duration.ofSeconds(3);
    /** A request's way through both servers and the API server, on a loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(3);

    private static ControlPlane plane;
    private static String schema;
    private static String adminToken;
    private static String secretKey;
    private static Path work;
    private static final Replica[] replicas = new Replica[2];

    /** One {@code bin/cloudpilot} process, its port and its log. */
    private static final class Replica {
        final String name;
        final int port;
        Process process;
        Path log;

        Replica(String name, int port) {
            this.name = name;
            this.port = port;
        }

        ApiClient api() {
            return new ApiClient("http://127.0.0.1:" + port).withToken(adminToken);
        }

        void start() throws IOException {
            String dist = System.getProperty("cloudpilot.dist.dir");
            // with the test servers' logs, which SecretScanTest reads
            log = Files.createTempFile(Files.createDirectories(SecretLedger.directory()), name + "-", ".log");
            Path data = Files.createDirectories(work.resolve(name + "-data"));
            ProcessBuilder builder = new ProcessBuilder(Path.of(dist, "bin", "cloudpilot").toString(),
                    "--mode", "server", "--host", "127.0.0.1", "--port", String.valueOf(port),
                    "--data-dir", data.toString(), "-D", "registry.refresh-interval=" + REFRESH)
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("KUBE") || k.startsWith("CLOUDPILOT_") || k.startsWith("DB_"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("JAVA_OPTS", "-Xmx256m");
            // the overlay's environment: the registry and its key from Secrets, an admin API token
            env.put("DB_URL", System.getProperty(PG_URL) + (System.getProperty(PG_URL).contains("?") ? "&" : "?")
                    + "currentSchema=" + schema);
            env.put("DB_USER", System.getProperty("cloudpilot.test.postgres.user", ""));
            env.put("DB_PASSWORD", System.getProperty("cloudpilot.test.postgres.password", ""));
            env.put("CLOUDPILOT_SECRET_KEY", secretKey);
            env.put("CLOUDPILOT_AUTH_TOKENS_0_NAME", "platform-team");
            env.put("CLOUDPILOT_AUTH_TOKENS_0_ROLE", "admin");
            env.put("CLOUDPILOT_AUTH_TOKENS_0_HASH", "sha256:" + sha256(adminToken));
            process = builder.start();
        }

        void awaitReady() {
            Wait.until(name + " is ready", Duration.ofMinutes(3), () -> {
                assertTrue(process.isAlive(), name + " exited:\n" + logTail());
                return api().get("/health/ready").status() == 200;
            }, this::logTail);
        }

        /** SIGTERM, as the kubelet sends it, and the wait for the process to end. */
        void stop() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), name + " did not stop in 60 s:\n" + logTail());
        }

        String logTail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        Prerequisite.require(!System.getProperty(PG_URL, "").isBlank(), HOW_TO);
        plane = ConformanceCluster.plane();
        schema = "cp_replicas_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql("CREATE SCHEMA " + schema);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        secretKey = Base64.getEncoder().encodeToString(key);
        adminToken = HexFormat.of().formatHex(key, 0, 16) + UUID.randomUUID().toString().replace("-", "");
        SecretLedger.record("the replicas' secret key", secretKey);
        SecretLedger.record("the replicas' admin API token", adminToken);
        work = Files.createTempDirectory("cloudpilot-replicas-");
        replicas[0] = new Replica("replica-a", ControlPlane.freePort());
        replicas[1] = new Replica("replica-b", ControlPlane.freePort());
        for (Replica r : replicas) {
            r.start(); // both at once: they migrate the one schema together
        }
        for (Replica r : replicas) {
            r.awaitReady();
        }
    }

    @AfterAll
    static void stopAndDrop() throws Exception {
        for (Replica r : replicas) {
            if (r != null && r.process != null && r.process.isAlive()) {
                r.process.destroy();
                if (!r.process.waitFor(60, TimeUnit.SECONDS)) {
                    r.process.destroyForcibly();
                }
            }
        }
        if (schema != null) {
            sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
        if (work != null) {
            try (var paths = Files.walk(work)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static ApiClient a() {
        return replicas[0].api();
    }

    private static ApiClient b() {
        return replicas[1].api();
    }

    private static String registration(String name) {
        return """
                {"name": "%s", "api_server": "%s", "token": "%s", "ca_data": "%s"}"""
                .formatted(name, plane.url(), plane.adminToken(), plane.caData());
    }

    @Test
    @Order(1)
    void aClusterAddedThroughOneIsServedByTheOtherAndARemovalLikewise() {
        ApiResponse before = b().get("/k8s/cluster/info?cluster_name=shared");
        assertEquals(404, before.status(), "not registered yet: " + before);

        ApiResponse added = a().post("/k8s/cluster/add", registration("shared"));
        assertEquals(200, added.status(), added + "\n" + replicas[0].logTail());
        long addedAt = System.nanoTime();
        Wait.until("B serves the cluster A added", REFRESH.plus(SLACK),
                () -> b().get("/k8s/cluster/info?cluster_name=shared").status() == 200,
                () -> b().get("/k8s/cluster/info?cluster_name=shared"));
        long servedAfter = (System.nanoTime() - addedAt) / 1_000_000;
        ApiResponse info = b().get("/k8s/cluster/info?cluster_name=shared&force_refresh=true");
        assertEquals(plane.admin().getKubernetesVersion().getGitVersion(),
                info.data().path("cluster_version").asString(), info.toString());
        assertThat(names(b())).contains("shared");

        // A now holds a client for it; B removes it
        assertEquals(200, a().get("/k8s/cluster/info?cluster_name=shared").status());
        ApiResponse removed = b().delete("/k8s/cluster/remove?cluster_name=shared");
        assertEquals(200, removed.status(), removed.toString());
        long removedAt = System.nanoTime();
        Wait.until("A stops serving the cluster B removed", REFRESH.plus(SLACK),
                () -> a().get("/k8s/cluster/info?cluster_name=shared").status() == 404,
                () -> a().get("/k8s/cluster/info?cluster_name=shared"));
        System.err.printf("conformance: replicas: an addition served by the other after %d ms, a removal after %d ms"
                + " (registry.refresh-interval %s)%n", servedAfter, (System.nanoTime() - removedAt) / 1_000_000, REFRESH);
        assertTrue(!names(a()).contains("shared"), "A lists it no more");
    }

    @Test
    @Order(2)
    void bothAnswerTheOneAuditLog() {
        List<String> fromA = auditIds(a());
        List<String> fromB = auditIds(b());
        assertEquals(fromA, fromB, "the same entries, in the same order, from either replica");
        JsonNode entries = a().get("/audit?cluster_name=shared&sort_order=asc").data().path("entries");
        List<String> actions = StreamSupport.stream(entries.spliterator(), false)
                .map(e -> e.path("action").asString() + " " + e.path("result").asString()).toList();
        assertEquals(List.of("clusters.add ok", "clusters.remove ok"), actions,
                "the addition through A and the removal through B, each once: " + entries);
        assertTrue(StreamSupport.stream(entries.spliterator(), false)
                .allMatch(e -> e.path("principal").asString().equals("token:platform-team")), entries.toString());
    }

    @Test
    @Order(3)
    void aRollingRestartOfEitherLosesNoAcknowledgedWrite() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        AtomicBoolean writing = new AtomicBoolean(true);
        java.util.concurrent.atomic.AtomicInteger redirected = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            int n = 0;
            while (writing.get()) {
                String name = "w-" + n++;
                // as a Service would: the next replica first, the other one when that one refuses or is gone
                if (write(replicas[n % 2], name, acknowledged, unexpected)) {
                    continue;
                }
                redirected.incrementAndGet();
                if (!write(replicas[(n + 1) % 2], name, acknowledged, unexpected)) {
                    unexpected.add(name + ": neither replica took it");
                }
            }
        });
        try {
            Thread.sleep(1000);
            for (int i = 0; i < 2; i++) {
                Replica r = replicas[i];
                int before = acknowledged.size();
                r.stop();
                r.start();
                r.awaitReady();
                Wait.until("writes continue after " + r.name + " restarted", Duration.ofSeconds(30),
                        () -> acknowledged.size() > before + 3, acknowledged::size);
            }
        } finally {
            writing.set(false);
            writer.join(Duration.ofSeconds(90));
        }
        assertTrue(unexpected.isEmpty(), "answers a Service would not retry: " + unexpected);
        assertTrue(acknowledged.size() >= 10, "writes were made: " + acknowledged.size());
        for (ApiClient replica : List.of(a(), b())) {
            Set<String> listed = names(replica);
            Set<String> lost = new TreeSet<>(acknowledged);
            lost.removeAll(listed);
            assertTrue(lost.isEmpty(), "acknowledged but not in the registry: " + lost);
        }
        System.err.printf("conformance: replicas: %d writes acknowledged across two restarts (%d sent to the other "
                + "replica while one was stopping or down), none lost%n", acknowledged.size(), redirected.get());
    }

    /**
     * @return true when this replica answered (acknowledged, or refused in a way that is final); false when it is
     *         shutting down or gone, so the write goes to the other one
     */
    private static boolean write(Replica replica, String name, Set<String> acknowledged, List<String> unexpected) {
        ApiResponse r;
        try {
            r = replica.api().post("/k8s/cluster/add", registration(name));
        } catch (UncheckedIOException e) {
            return false; // connection refused or reset: the process is down
        }
        if (r.status() == 200) {
            acknowledged.add(name);
            return true;
        }
        if (r.status() == 503 && "ShuttingDown".equals(r.errorType())) {
            return false;
        }
        unexpected.add(name + " via " + replica.name + ": " + r);
        return true;
    }

    private static Set<String> names(ApiClient api) {
        ApiResponse list = api.get("/k8s/cluster/list"); // every registration: the list has no pages
        assertEquals(200, list.status(), list.toString());
        Set<String> names = new TreeSet<>();
        list.data().path("clusters").forEach(c -> names.add(c.path("name").asString()));
        return names;
    }

    private static List<String> auditIds(ApiClient api) {
        ApiResponse r = api.get("/audit?page_size=1000");
        assertEquals(200, r.status(), r.toString());
        List<String> ids = new ArrayList<>();
        r.data().path("entries").forEach(e -> ids.add(e.path("id").asString() + " " + e.path("action").asString()));
        assertTrue(!ids.isEmpty(), r.toString());
        return ids;
    }

    private static void sql(String statement) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", System.getProperty("cloudpilot.test.postgres.user", ""));
        p.setProperty("password", System.getProperty("cloudpilot.test.postgres.password", ""));
        try (Connection c = DriverManager.getConnection(System.getProperty(PG_URL), p);
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
