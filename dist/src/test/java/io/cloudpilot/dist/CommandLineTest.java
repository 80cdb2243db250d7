package io.cloudpilot.dist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;

import io.cloudpilot.testkit.PluginJars;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's commands that do not serve ({@code version}, {@code plugins}, {@code import-clusters}) and the
 * order in which flags, environment variables and {@code conf/cloudpilot.yaml} override each other, run as
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
        assertTrue(r.output().contains("cloudpilot 0.1.0-SNAPSHOT"), r.output());
    }

    @Test
    void pluginsSaysWhatWouldLoadAndWhyNot() {
        Installation.Result r = installation.run(Map.of(), "plugins", "-D", "plugins.istio-health.enabled=false");
        assertEquals(1, r.exitCode(), "a plugin would be refused: " + r.output());
        String out = r.output();
        assertTrue(out.lines().anyMatch(l -> l.matches("loads\\s+hello\\s+1\\.0\\.0\\s+from .*cloudpilot-hello-plugin\\.jar")),
                out);
        assertTrue(out.contains("GET /hello/namespaces"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("loads\\s+k8s-resources\\s.*")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("disabled\\s+istio-health\\s.*")), out);
        assertTrue(out.contains("disabled by plugins.istio-health.enabled=false"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("REFUSED\\s+future\\s.*future\\.jar")), out);
        assertTrue(out.contains("built for SPI version 2, but this platform implements SPI version 1"), out);
        assertTrue(out.contains("5 would load, 1 disabled, 1 refused."), out);
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
        assertTrue(defaults.contains("  " + installation.home().resolve("plugins") + "\n"), "default: " + defaults);

        String file = installation.run(Map.of(), "plugins", "--config", custom.toString()).output();
        assertTrue(file.contains(fromFile + "  (does not exist)"), "the file beats the defaults: " + file);
        assertFalse(file.contains(installation.home().resolve("plugins") + "\n"), file);

        String env = installation.run(Map.of("PLUGINS_DIRS", fromEnv.toString()), "plugins", "--config",
                custom.toString()).output();
        assertTrue(env.contains(fromEnv + "  (does not exist)"), "the environment beats the file: " + env);
        assertFalse(env.contains(fromFile.toString()), env);

        String flag = installation.run(Map.of("PLUGINS_DIRS", fromEnv.toString()), "plugins", "--config",
                custom.toString(), "-D", "plugins.dirs=" + fromFlag).output();
        assertTrue(flag.contains(fromFlag + "  (does not exist)"), "a flag beats the environment: " + flag);
        assertFalse(flag.contains(fromEnv.toString()), flag);
    }

    @Test
    void aRelativePluginDirectoryIsRefusedWithTheReason() {
        Installation.Result plugins = installation.run(Map.of(), "plugins", "-D", "plugins.dirs=plugins");
        assertEquals(1, plugins.exitCode(), plugins.output());
        assertTrue(plugins.output().contains("plugins.dirs entry 'plugins' is a relative path"), plugins.output());
        Installation.Result serve = installation.run(Map.of(), "serve", "--port", "0", "-D", "plugins.dirs=plugins",
                "--data-dir", installation.work().resolve("relative-data").toString());
        assertEquals(1, serve.exitCode(), serve.output());
        assertTrue(serve.output().contains("cannot start: plugins.dirs entry 'plugins' is a relative path"),
                serve.output());
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
        assertTrue(r.output().contains("Imported 1, skipped 1 of 2 row(s)."), r.output());
        assertFalse(r.output().contains("tok-"), "no token is printed: " + r.output());
        assertTrue(Files.exists(data.resolve("cloudpilot.db")) && Files.exists(data.resolve("secret.key")),
                "the registry and its key are where serve would find them");
    }

    @Test
    void unknownCommandsAndMisplacedOptionsAreUsageErrors() {
        assertEquals(2, installation.run(Map.of(), "frobnicate").exitCode());
        assertEquals(2, installation.run(Map.of(), "serve", "--replace").exitCode());
        assertEquals(2, installation.run(Map.of(), "serve", "--log-format", "xml").exitCode());
    }
}
