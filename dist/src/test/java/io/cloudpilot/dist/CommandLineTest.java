package io.cloudpilot.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import io.cloudpilot.testkit.PluginJars;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's commands that do not serve ({@code version}, {@code plugins}, the imports), their parsing and
 * help, and the order in which flags, environment variables and {@code conf/cloudpilot.yaml} override each other, run as
 * {@code bin/cloudpilot} of an installed copy of the distribution.
 */
class CommandLineTest {

    private static Installation installation;

    @BeforeAll
    static void install() throws Exception {
        installation = Installation.copy();
        Files.copy(Installation.examplePluginJar(), installation.home().resolve("plugins/cloudpilot-hello-plugin.jar"));
        // a plugin built for a newer SPI than this platform's
        PluginJars.build(installation.home().resolve("plugins/future.jar"), PluginJars.helloPlugin("ext.future", "future", ""),
                Map.of("Plugin-Id", "future", "Plugin-Spi-Version", "2"), "ext.future.HelloPlugin");
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Installation.Result r = installation.run(Map.of(), "version");
        assertEquals(0, r.exitCode(), r.output());
        assertThat(r.output()).as(r.output()).contains("cloudpilot 0.1.0-SNAPSHOT");
    }

    @Test
    void pluginsSaysWhatWouldLoadAndWhyNot() {
        Installation.Result r = installation.run(Map.of(), "plugins", "-D", "plugins.istio-health.enabled=false");
        assertEquals(1, r.exitCode(), "a plugin would be refused: " + r.output());
        String out = r.output();
        assertTrue(out.lines().anyMatch(l -> l.matches("loads\\s+hello\\s+1\\.0\\.0\\s+from .*cloudpilot-hello-plugin\\.jar")),
                out);
        assertThat(out).as(out).contains("GET /hello/namespaces");
        assertTrue(out.lines().anyMatch(l -> l.matches("loads\\s+k8s-resources\\s.*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("disabled\\s+istio-health\\s.*")), out);
        assertThat(out).as(out).contains("disabled by plugins.istio-health.enabled=false");
        assertTrue(out.lines().anyMatch(l -> l.matches("REFUSED\\s+future\\s.*future\\.jar")), out);
        assertThat(out).as(out).contains("built for SPI version 2, but this platform implements SPI version 1");
        assertThat(out).as(out).contains("4 would load, 1 disabled, 1 refused.");
        assertFalse(out.lines().anyMatch(l -> l.matches("\\w+\\s+(sandbox|demo)\\s.*")),
                "production lists neither the sandbox nor the demo plugin: " + out);
    }

    @Test
    void demoWithoutItsPluginSaysSo() {
        Installation.Result r = installation.run(Map.of(), "demo", "--port", "0", "--data-dir",
                installation.work().resolve("demo-without-plugin").toString(), "-D", "plugins.demo.enabled=false");
        assertEquals(1, r.exitCode(), r.output());
        assertThat(r.output()).as(r.output()).contains("the demo plugin did not start the sandbox cluster");
    }

    @Test
    void flagsBeatEnvironmentBeatConfigFileBeatDefaults() throws Exception {
        Path conf = installation.home().resolve("conf/cloudpilot.yaml");
        Path fromFile = installation.work().resolve("from-file");
        Path fromEnv = installation.work().resolve("from-env");
        Path fromFlag = installation.work().resolve("from-flag");
        Path custom = installation.work().resolve("custom.yaml");
        Files.writeString(custom, Files.readString(conf) + "\nplugins:\n  dirs: " + fromFile + "\n");

        String defaults = installation.run(Map.of(), "plugins").output();
        assertThat(defaults).as("default: " + defaults).contains("  " + installation.home().resolve("plugins") + "\n");

        String file = installation.run(Map.of(), "plugins", "--config", custom.toString()).output();
        assertThat(file).as("the file beats the defaults: " + file).contains(fromFile + "  (does not exist)");
        assertThat(file).as(file).doesNotContain(installation.home().resolve("plugins") + "\n");

        String env = installation.run(Map.of("PLUGINS_DIRS", fromEnv.toString()), "plugins", "--config",
                custom.toString()).output();
        assertThat(env).as("the environment beats the file: " + env).contains(fromEnv + "  (does not exist)");
        assertThat(env).as(env).doesNotContain(fromFile.toString());

        String flag = installation.run(Map.of("PLUGINS_DIRS", fromEnv.toString()), "plugins", "--config",
                custom.toString(), "-D", "plugins.dirs=" + fromFlag).output();
        assertThat(flag).as("a flag beats the environment: " + flag).contains(fromFlag + "  (does not exist)");
        assertThat(flag).as(flag).doesNotContain(fromEnv.toString());
    }

    @Test
    void aRelativePluginDirectoryIsRefusedWithTheReason() {
        Installation.Result plugins = installation.run(Map.of(), "plugins", "-D", "plugins.dirs=plugins");
        assertEquals(1, plugins.exitCode(), plugins.output());
        assertThat(plugins.output()).as(plugins.output()).contains("plugins.dirs entry 'plugins' is a relative path");
        Installation.Result serve = installation.run(Map.of(), "serve", "--port", "0", "-D", "plugins.dirs=plugins",
                "--data-dir", installation.work().resolve("relative-data").toString());
        assertEquals(1, serve.exitCode(), serve.output());
        assertThat(serve.output()).as(serve.output()).contains("cannot start: plugins.dirs entry 'plugins' is a relative path");
    }

    @Test
    void importClustersFromThePythonToolsDatabase() throws Exception {
        Path legacy = installation.work().resolve("legacy.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE clusters (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE NOT NULL, "
                    + "api_server TEXT NOT NULL, token TEXT, kubeconfig TEXT, description TEXT)");
            s.execute("INSERT INTO clusters (name, api_server, token, description) VALUES "
                    + "('prod', 'https://k8s.example.com:6443', 'tok-3f9a8b7c6d5e4f3a2b1c', 'production'), "
                    + "('Old Cluster', 'https://old.example.com', 'tok-0a1b2c3d4e5f6a7b8c9d', NULL)");
        }
        Path data = installation.work().resolve("import-data");
        Installation.Result r = installation.run(Map.of(), "import-clusters", legacy.toString(),
                "--data-dir", data.toString());
        assertEquals(3, r.exitCode(), "one row skipped: " + r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.matches("\\s+imported\\s+prod\\s+token, TLS verified-system-trust.*")),
                r.output());
        assertTrue(r.output().lines().anyMatch(l -> l.matches("\\s+skipped\\s+Old Cluster\\s+.*name.*")), r.output());
        assertThat(r.output()).as(r.output()).contains("Imported 1, skipped 1 of 2 row(s).");
        assertThat(r.output()).as("no token is printed: " + r.output()).doesNotContain("tok-");
        assertTrue(Files.exists(data.resolve("cloudpilot.db")) && Files.exists(data.resolve("secret.key")),
                "the registry and its key are where serve would find them");
    }

    @Test
    void unknownCommandsAndMisplacedOptionsAreUsageErrors() {
        assertEquals(2, installation.run(Map.of(), "frobnicate").exitCode());
        assertEquals(2, installation.run(Map.of(), "serve", "--replace").exitCode());
        assertEquals(2, installation.run(Map.of(), "serve", "--log-format", "xml").exitCode());
    }

    @Test
    void conventionalParsingVersionAndHelpPerCommand() {
        Installation.Result version = installation.run(Map.of(), "--version");
        assertEquals(0, version.exitCode(), version.output());
        assertEquals("cloudpilot 0.1.0-SNAPSHOT", version.stdout().strip());
        assertEquals(0, installation.run(Map.of(), "-V").exitCode());

        Installation.Result help = installation.run(Map.of(), "import-kubeconfig", "--help");
        assertEquals(0, help.exitCode(), help.output());
        assertTrue(help.stdout().contains("Usage: cloudpilot import-kubeconfig") && help.stdout().contains("--all-contexts")
                && !help.stdout().contains("--insecure-skip-tls-verify"), "the command's own help: " + help.stdout());
        Installation.Result helpCommand = installation.run(Map.of(), "help", "import-clusters");
        assertEquals(0, helpCommand.exitCode(), helpCommand.output());
        assertThat(helpCommand.stdout()).as(helpCommand.stdout()).contains("--insecure-skip-tls-verify");

        // --option=value as well as --option value; a value out of range is a usage error naming the option
        Installation.Result equals = installation.run(Map.of(), "plugins", "--port=8081", "--log-format=text",
                "-Dplugins.istio-health.enabled=false");
        assertEquals(1, equals.exitCode(), "parsed, and the future plugin would be refused: " + equals.output());
        assertThat(equals.stdout()).as(equals.stdout()).contains("disabled by plugins.istio-health.enabled=false");
        Installation.Result range = installation.run(Map.of(), "serve", "--port=70000");
        assertEquals(2, range.exitCode(), range.output());
        assertThat(range.stderr()).as(range.stderr()).contains("--port takes a number from 0 to 65535");
    }

    @Test
    void insecureAppliesToHttpRowsAndSkipVerifyToHttpsRowsOnly() throws Exception {
        Path legacy = installation.work().resolve("schemes.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE clusters (name TEXT, api_server TEXT, token TEXT, kubeconfig TEXT, description TEXT)");
            s.execute("INSERT INTO clusters (name, api_server, token) VALUES "
                    + "('tls', 'https://k8s.example.com:6443', 'tok-1f2e3d4c5b6a7f8e9d0c'), "
                    + "('plain', 'http://10.0.0.7:8080', 'tok-9a8b7c6d5e4f3a2b1c0d')");
        }
        Path data = installation.work().resolve("schemes-data");
        Installation.Result both = installation.run(Map.of(), "import-clusters", legacy.toString(), "--insecure",
                "--insecure-skip-tls-verify", "--data-dir", data.toString());
        assertEquals(0, both.exitCode(), "every row imported: " + both.output());
        assertTrue(both.stdout().lines().anyMatch(l -> l.matches("\\s+imported\\s+tls\\s+token, TLS insecure-skip-verify.*")),
                both.stdout());
        assertTrue(both.stdout().lines().anyMatch(l -> l.matches("\\s+imported\\s+plain\\s+token, TLS plain-http.*")),
                both.stdout());
        Installation.Result onlyInsecure = installation.run(Map.of(), "import-clusters", legacy.toString(),
                "--insecure", "--replace", "--data-dir", installation.work().resolve("schemes-2").toString());
        assertEquals(0, onlyInsecure.exitCode(), onlyInsecure.output());
        assertTrue(onlyInsecure.stdout().lines().anyMatch(l -> l.matches(
                "\\s+imported\\s+tls\\s+token, TLS verified-system-trust.*")), "https stays verified: " + onlyInsecure.stdout());
    }

    @Test
    void importReportsAloneOnStandardOutput() throws Exception {
        Path legacy = installation.work().resolve("quiet.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + legacy); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE clusters (name TEXT, api_server TEXT, token TEXT, kubeconfig TEXT, description TEXT)");
            s.execute("INSERT INTO clusters (name, api_server, token) VALUES ('a', 'https://a.example.com', 'tok-aaaaaaaaaaaa')");
        }
        for (String format : new String[] {"text", "json"}) {
            Installation.Result r = installation.run(Map.of(), "import-clusters", legacy.toString(), "--log-format",
                    format, "--data-dir", installation.work().resolve("quiet-" + format).toString());
            assertEquals(0, r.exitCode(), r.output());
            List<String> lines = r.stdout().lines().toList();
            assertEquals(3, lines.size(), "the header, one line per row, the counts and nothing else: " + r.stdout());
            assertTrue(lines.get(0).startsWith("Importing clusters from "), lines.get(0));
            assertTrue(lines.get(1).matches("\\s+imported\\s+a\\s+.*"), lines.get(1));
            assertTrue(lines.get(2).startsWith("Imported 1, skipped 0 of 1 row(s)."), lines.get(2));
            // what an operator must act on still shows, on standard error
            assertThat(r.stderr()).as(r.stderr()).contains("Created a new secret key", "Back it up");
            assertThat(r.stderr()).as("INFO only with --verbose: " + r.stderr()).doesNotContain("Registry schema: applied");
            Installation.Result verbose = installation.run(Map.of(), "import-clusters", legacy.toString(), "--verbose",
                    "--log-format", format, "--data-dir", installation.work().resolve("verbose-" + format).toString());
            assertEquals(3, verbose.stdout().lines().count(), verbose.stdout());
            assertTrue(verbose.stderr().contains("Registry schema: applied"), "--verbose: INFO records on standard "
                    + "error: " + verbose.stderr());
        }
    }

    @Test
    void importKubeconfigRegistersContextsAndSaysWhyNot() throws Exception {
        Path kubeconfig = installation.work().resolve("ops-kubeconfig.yaml");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                current-context: prod
                clusters:
                - name: prod
                  cluster: {server: "https://prod.example.com:6443"}
                - name: eks
                  cluster: {server: "https://ABC.gr7.eu-west-1.eks.amazonaws.com"}
                users:
                - name: ops
                  user: {token: tok-5e6f7a8b9c0d1e2f3a4b}
                - name: aws
                  user:
                    exec:
                      apiVersion: client.authentication.k8s.io/v1beta1
                      command: aws
                      args: [eks, get-token, --cluster-name, shop]
                contexts:
                - name: prod
                  context: {cluster: prod, user: ops}
                - name: arn:aws:eks:eu-west-1:123456789012:cluster/shop
                  context: {cluster: eks, user: aws}
                - name: Staging_EU
                  context: {cluster: prod, user: ops}
                """);
        Path data = installation.work().resolve("kube-data");
        Installation.Result current = installation.run(Map.of(), "import-kubeconfig", kubeconfig.toString(),
                "--data-dir", data.toString());
        assertEquals(0, current.exitCode(), current.output());
        assertTrue(current.stdout().lines().anyMatch(l -> l.matches("\\s+imported\\s+prod\\s+as 'prod': token, TLS "
                + "verified-system-trust, not checked")), current.stdout());

        Installation.Result all = installation.run(Map.of(), "import-kubeconfig", kubeconfig.toString(),
                "--all-contexts", "--data-dir", data.toString());
        assertEquals(3, all.exitCode(), all.output());
        assertTrue(all.stdout().lines().anyMatch(l -> l.matches("\\s+skipped\\s+prod\\s+already registered as 'prod' "
                + "\\(--replace replaces it\\)")), all.stdout());
        assertTrue(all.stdout().lines().anyMatch(l -> l.contains("arn:aws:eks:eu-west-1:123456789012:cluster/shop")
                && l.contains("exec credential plugin ('aws')") && l.contains("registry.kubeconfig-dir")), all.stdout());
        assertTrue(all.stdout().lines().anyMatch(l -> l.matches("\\s+imported\\s+Staging_EU\\s+as 'staging-eu': token.*")),
                all.stdout());
        assertThat(all.stdout()).as(all.stdout()).contains("Imported 1, skipped 2 of 3 context(s).");
        assertThat(all.output()).as("no token is printed").doesNotContain("tok-5e6f");

        Installation.Result missing = installation.run(Map.of(), "import-kubeconfig", kubeconfig.toString(),
                "--context", "nope", "--data-dir", data.toString());
        assertEquals(3, missing.exitCode(), missing.output());
        assertTrue(missing.stdout().contains("the file has no context of this name (it has: prod, arn:aws:eks"),
                missing.stdout());
        Installation.Result both = installation.run(Map.of(), "import-kubeconfig", kubeconfig.toString(),
                "--context", "prod", "--all-contexts");
        assertEquals(2, both.exitCode(), "mutually exclusive: " + both.output());
        Installation.Result notAFile = installation.run(Map.of(), "import-kubeconfig",
                installation.work().resolve("none.yaml").toString(), "--data-dir", data.toString());
        assertEquals(1, notAFile.exitCode(), notAFile.output());
        assertThat(notAFile.stderr()).as(notAFile.stderr()).contains("cannot be read");
    }
}
