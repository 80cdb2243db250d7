package io.cloudpilot.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.cloudpilot.platform.cli.Main;
import io.cloudpilot.sandbox.SandboxCluster;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cloudpilot import-clusters FILE} on a database file in the earlier Python tool's schema, created here with
 * good and bad rows; then a server on the same data directory serves the imported clusters.
 */
class ImportClustersTest {

    private static final String OTHER_TOKEN = "legacy-token-0123456789abcdef";

    private static SandboxCluster sandbox;
    private static Path dir;
    private static Path legacy;
    private static Path dataDir;
    private static Run first;

    @BeforeAll
    static void importOnce() throws Exception {
        sandbox = SandboxCluster.start();
        dir = Files.createTempDirectory("import-clusters-");
        dataDir = dir.resolve("data");
        String kubeconfig = Files.readString(sandbox.writeKubeconfig(dir.resolve("sandbox-kubeconfig.yaml")));
        legacy = dir.resolve("cloudpilot.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy)) {
            try (Statement s = c.createStatement()) {
                // the Python tool's schema (shared/reference/original-k8s.md §2.1)
                s.execute("""
                        CREATE TABLE clusters (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE NOT NULL,
                          api_server TEXT NOT NULL, token TEXT, kubeconfig TEXT, description TEXT,
                          created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)""");
            }
            insert(c, "prod", sandbox.url(), sandbox.token(), null, "production");
            insert(c, "no-credentials", "https://k8s.example.com:6443", null, null, "never had a token");
            insert(c, "bad-url", "k8s.example.com:6443", OTHER_TOKEN, null, null);
            insert(c, "Staging_EU", "https://staging.example.com:6443", OTHER_TOKEN, null, null);
            insert(c, "kube-only", "", null, kubeconfig, "registered with a kubeconfig");
            insert(c, "empty-token", "https://k8s.example.com:6443", "  ", "", null);
        }
        first = importClusters(legacy.toString(), "--insecure");
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void reportsWhatItImportedAndWhyItSkippedTheRest() {
        assertEquals(3, first.code, "some rows were skipped: " + first);
        assertThat(first.out).as(first.out).contains("Imported 2, skipped 4 of 6 row(s).");
        assertEquals("imported", status("prod"), first.out);
        assertThat(line("prod")).as(line("prod")).contains("token");
        assertEquals("imported", status("kube-only"), first.out);
        assertThat(line("kube-only")).as(line("kube-only")).contains("kubeconfig");
        assertEquals("skipped", status("no-credentials"));
        assertThat(line("no-credentials")).as(line("no-credentials")).contains("no token and no kubeconfig");
        assertEquals("skipped", status("empty-token"), "a blank token is no token");
        assertEquals("skipped", status("bad-url"));
        assertThat(line("bad-url")).as("the reason names the column: " + line("bad-url")).contains("api_server");
        assertEquals("skipped", status("Staging_EU"));
        assertThat(line("Staging_EU")).as(line("Staging_EU")).contains("name");
    }

    @Test
    void neverPrintsATokenAndStoresThemEncrypted() throws Exception {
        String db = SqliteFiles.text(dataDir.resolve("cloudpilot.db"));
        assertThat(db).as("control: the imported row 'prod' is in the database files read (the "
                + "WAL included), with its api_server in clear").contains(sandbox.url());
        for (String secret : List.of(sandbox.token(), OTHER_TOKEN)) {
            assertFalse(first.out.contains(secret) || first.err.contains(secret), "a token was printed");
            assertThat(db).as("a token is in plain text in the registry database").doesNotContain(secret);
        }
    }

    @Test
    void importedClustersAreServedWithTheirCredentials() throws Exception {
        // the test plugin's /hello/nodes reads the cluster's nodes with the registered credentials
        try (CloudPilotTestServer server = CloudPilotTestServer.builder().mode("server").sandbox(false)
                .pluginDirs(PluginJars.helloPluginDirectory()).config("cloudpilot.data-dir", dataDir.toString())
                .start()) {
            ApiResponse list = server.client().get("/k8s/cluster/list");
            assertEquals(200, list.status(), list.toString());
            List<String> names = new ArrayList<>();
            list.data().path("clusters").forEach(c -> names.add(c.path("name").asString()));
            assertTrue(names.containsAll(List.of("prod", "kube-only")), names.toString());
            assertThat(names).as(names.toString()).doesNotContain("bad-url", "no-credentials");
            assertEquals("production", list.data().path("clusters").path(names.indexOf("prod")).path("description")
                    .asString());
            for (String name : List.of("prod", "kube-only")) {
                ApiResponse nodes = server.client().get("/hello/nodes?cluster_name=" + name);
                assertEquals(200, nodes.status(), nodes.toString());
                assertEquals(4, nodes.data().path("nodes").asInt(), "the decrypted credentials work: " + nodes);
            }
        }
    }

    @Test
    void aSecondRunSkipsWhatIsRegisteredUnlessReplaceIsGiven() {
        Run again = importClusters(legacy.toString(), "--insecure");
        assertEquals(3, again.code);
        assertThat(again.out).as(again.out).contains("Imported 0, skipped 6");
        assertTrue(again.out.lines().anyMatch(l -> l.contains(" prod ") && l.contains("already registered")), again.out);
        Run replace = importClusters(legacy.toString(), "--insecure", "--replace");
        assertTrue(replace.out.lines().anyMatch(l -> l.contains("imported") && l.contains(" prod ")
                && l.contains("replaced")), replace.out);
    }

    @Test
    void verifyChecksEachClusterBeforeStoringIt() throws Exception {
        Path other = dir.resolve("verify.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE clusters (name TEXT, api_server TEXT, token TEXT, kubeconfig TEXT, description TEXT)");
            }
            insert(c, "checked", sandbox.url(), sandbox.token(), null, null);
            insert(c, "wrong-token", sandbox.url(), OTHER_TOKEN, null, null);
        }
        Run run = importClusters(other.toString(), "--insecure", "--verify");
        assertTrue(run.out.lines().anyMatch(l -> l.contains("imported") && l.contains("checked")
                && l.contains("reachable")), run.out);
        assertTrue(run.out.lines().anyMatch(l -> l.contains("skipped") && l.contains("wrong-token")
                && l.contains("rejected the credentials")), run.out);
        assertThat(run.out).doesNotContain(OTHER_TOKEN);
    }

    @Test
    void aFileThatIsNotThePythonToolsDatabaseIsRefused() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a database");
        Run notSqlite = importClusters(text.toString());
        assertEquals(1, notSqlite.code, notSqlite.toString());
        assertThat(notSqlite.err).as(notSqlite.err).contains("cannot import");
        Path empty = dir.resolve("empty.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + empty); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE other (x TEXT)");
        }
        Run noTable = importClusters(empty.toString());
        assertEquals(1, noTable.code);
        assertThat(noTable.err).as(noTable.err).contains("no table 'clusters'");
        Run missing = importClusters(dir.resolve("missing.db").toString());
        assertEquals(1, missing.code);
        assertFalse(Files.exists(dir.resolve("missing.db")), "the source file is never created");
        Run usage = run("import-clusters");
        assertEquals(2, usage.code, "a FILE is required");
    }

    private static String line(String name) {
        return first.out.lines().filter(l -> l.matches("\\s+(imported|skipped)\\s+" + java.util.regex.Pattern.quote(name)
                + "\\s.*")).findFirst().orElseThrow(() -> new AssertionError("no line for " + name + ":\n" + first.out));
    }

    private static String status(String name) {
        return line(name).trim().split("\\s+")[0];
    }

    private static void insert(Connection c, String name, String apiServer, String token, String kubeconfig,
                               String description) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO clusters (name, api_server, token, kubeconfig, description) VALUES (?, ?, ?, ?, ?)")) {
            p.setString(1, name);
            p.setString(2, apiServer);
            p.setString(3, token);
            p.setString(4, kubeconfig);
            p.setString(5, description);
            p.executeUpdate();
        }
    }

    private static Run importClusters(String file, String... options) {
        List<String> args = new ArrayList<>(List.of("import-clusters", file, "--data-dir", dataDir.toString()));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
    }
}
