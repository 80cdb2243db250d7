package io.cloudpilot.platform;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import io.cloudpilot.platform.registry.ServerClusters;
import io.cloudpilot.platform.logging.LogFormat;
import io.cloudpilot.platform.plugins.PluginReport;
import io.cloudpilot.platform.registry.ClusterRegistry;
import io.cloudpilot.platform.registry.LegacyRegistryImport;
import io.cloudpilot.platform.registry.RegistryConfig;

import org.eclipse.microprofile.config.Config;

/**
 * The command line: {@code cloudpilot [serve|demo|plugins|import-clusters FILE|version] [--mode server|instant]
 * [--host H] [--port P] [--config FILE] [--data-dir DIR] [--log-format text|json] [-D KEY=VALUE]}.
 */
public final class Main {

    private static final String USAGE = """
            Usage: cloudpilot [COMMAND] [OPTIONS]

            Commands:
              serve                 run the server (default)
              demo                  run the server on a built-in sandbox cluster and print the Swagger UI address
              plugins               list the plugins the server would load, and why it would refuse any (exit 1 then)
              import-clusters FILE  import the clusters of the earlier Python tool's SQLite database into the registry
              version               print the version
              help                  print this text

            Options:
              --mode server|instant   server: a registry of clusters; instant: the in-cluster or kubeconfig cluster
              --host ADDRESS          bind address (default 127.0.0.1)
              --port PORT             port (default 8000)
              --config FILE           a YAML or .properties configuration file (conf/cloudpilot.yaml)
              --data-dir DIR          where CloudPilot keeps its data (default: data/)
              --log-format text|json  console log format (default text; json: one JSON object per line)
              -D KEY=VALUE            any configuration key, e.g. -D cluster.request-timeout=PT10S

            import-clusters options:
              --replace                   replace clusters already registered under the same name (default: skip them)
              --verify                    check each cluster's GET /version first; skip those that fail
              --insecure-skip-tls-verify  do not verify the API servers' TLS certificates (what the Python tool did)
              --insecure                  accept plain http:// API servers
            """;

    private static final System.Logger LOG = System.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs one command without exiting the JVM (tests call it; {@link #main} exits with its code).
     *
     * @param args the command line
     * @param out  standard output
     * @param err  standard error
     * @return the exit code: 0 success, 1 failure, 2 bad usage; {@code import-clusters} 3 when rows were skipped
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String command = "serve";
        Map<String, String> flags = new HashMap<>();
        Optional<Path> configFile = Optional.empty();
        List<String> positional = new ArrayList<>();
        Set<String> switches = new HashSet<>();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("-")) {
            command = args[0];
            i = 1;
        }
        for (; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--mode", "--host", "--port", "--data-dir", "--config", "--log-format", "-D" -> {
                    if (value == null) {
                        err.println("cloudpilot: " + arg + " needs a value\n\n" + USAGE);
                        return 2;
                    }
                    i++;
                    switch (arg) {
                        case "--config" -> configFile = Optional.of(Path.of(value));
                        case "--data-dir" -> flags.put("cloudpilot.data-dir", value);
                        case "--log-format" -> flags.put(LogFormat.KEY, value);
                        case "-D" -> {
                            int eq = value.indexOf('=');
                            if (eq < 1) {
                                err.println("cloudpilot: -D takes KEY=VALUE");
                                return 2;
                            }
                            flags.put(value.substring(0, eq), value.substring(eq + 1));
                        }
                        default -> flags.put(arg.substring(2), value);
                    }
                }
                case "--replace", "--verify", "--insecure-skip-tls-verify", "--insecure" -> {
                    if (!command.equals("import-clusters")) {
                        err.println("cloudpilot: " + arg + " belongs to import-clusters\n\n" + USAGE);
                        return 2;
                    }
                    switches.add(arg);
                }
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    if (arg.startsWith("-") || !command.equals("import-clusters")) {
                        err.println("cloudpilot: unknown option '" + arg + "'\n\n" + USAGE);
                        return 2;
                    }
                    positional.add(arg);
                }
            }
        }
        if (flags.containsKey("port") && !flags.get("port").matches("\\d{1,5}")) {
            err.println("cloudpilot: --port takes a number from 0 to 65535");
            return 2;
        }
        if (flags.containsKey("mode") && !flags.get("mode").matches("server|instant")) {
            err.println("cloudpilot: --mode takes server or instant");
            return 2;
        }
        if (flags.containsKey(LogFormat.KEY) && LogFormat.parse(flags.get(LogFormat.KEY)).isEmpty()) {
            err.println("cloudpilot: --log-format takes text or json");
            return 2;
        }
        String home = System.getProperty("cloudpilot.home");
        if (home != null && !flags.containsKey("cloudpilot.data-dir") && System.getenv("CLOUDPILOT_DATA_DIR") == null) {
            flags.putIfAbsent("cloudpilot.data-dir", Path.of(home, "data").toString());
        }
        switch (command) {
            case "version" -> {
                out.println("cloudpilot " + version());
                return 0;
            }
            case "help" -> {
                out.print(USAGE);
                return 0;
            }
            case "plugins" -> {
                Config config = config(configFile, flags, err);
                return config == null ? 1 : PluginReport.print(config, out);
            }
            case "import-clusters" -> {
                if (positional.size() != 1) {
                    err.println("cloudpilot: import-clusters takes one FILE (the Python tool's cloudpilot.db)\n\n"
                            + USAGE);
                    return 2;
                }
                Config config = config(configFile, flags, err);
                return config == null ? 1 : importClusters(config, Path.of(positional.getFirst()), switches, out, err);
            }
            case "demo" -> {
                // where the server will keep its data: the flag, else CLOUDPILOT_DATA_DIR, the config file, the default
                Config config = config(configFile, flags, err);
                if (config == null) {
                    return 1;
                }
                Path dataDir = Path.of(config.getOptionalValue("cloudpilot.data-dir", String.class)
                        .orElse(RegistryConfig.DEFAULT_DATA_DIR));
                Path kubeconfig = dataDir.resolve("plugins").resolve("sandbox").resolve("kubeconfig.yaml").toAbsolutePath();
                flags.putIfAbsent("mode", "server");
                flags.put("plugins.sandbox.enabled", "true");
                flags.put("plugins.sandbox.kubeconfig", kubeconfig.toString());
                flags.putIfAbsent("instant.kubeconfig", kubeconfig.toString());
                flags.put("cloudpilot.demo.sandbox-kubeconfig", kubeconfig.toString());
                return serve(configFile, flags, out, err, true);
            }
            case "serve" -> {
                return serve(configFile, flags, out, err, false);
            }
            default -> {
                err.println("cloudpilot: unknown command '" + command + "'\n\n" + USAGE);
                return 2;
            }
        }
    }

    /** The configuration a server with these inputs would run with, its log format applied; null after an error. */
    private static Config config(Optional<Path> configFile, Map<String, String> flags, PrintStream err) {
        try {
            Config config = CloudPilotServer.config(configFile, flags);
            LogFormat.apply(config);
            return config;
        } catch (RuntimeException e) {
            err.println("cloudpilot: " + e.getMessage());
            return null;
        }
    }

    private static int importClusters(Config config, Path file, Set<String> switches, PrintStream out,
                                      PrintStream err) {
        String mode = config.getOptionalValue("cloudpilot.mode", String.class).orElse("server");
        if (!mode.equals("server")) {
            err.println("cloudpilot: import-clusters fills the registry of server mode; cloudpilot.mode is " + mode);
            return 2;
        }
        LegacyRegistryImport.Options options = new LegacyRegistryImport.Options(switches.contains("--replace"),
                switches.contains("--verify"), switches.contains("--insecure-skip-tls-verify"),
                switches.contains("--insecure"));
        try (ClusterRegistry registry = ClusterRegistry.open(RegistryConfig.from(config))) {
            out.println("Importing clusters from " + file + " into the registry at " + registry.description());
            List<LegacyRegistryImport.Outcome> outcomes = new LegacyRegistryImport(registry, options).run(file);
            int width = outcomes.stream().mapToInt(o -> o.name().length()).max().orElse(4);
            for (LegacyRegistryImport.Outcome o : outcomes) {
                out.printf("  %-8s  %-" + width + "s  %s%n", o.imported() ? "imported" : "skipped", o.name(),
                        o.detail());
            }
            long imported = outcomes.stream().filter(LegacyRegistryImport.Outcome::imported).count();
            long skipped = outcomes.size() - imported;
            out.println("Imported " + imported + ", skipped " + skipped + " of " + outcomes.size() + " row(s)."
                    + (imported > 0 && !options.verify() ? " Their reachability is 'unknown' until first used." : ""));
            return skipped > 0 ? 3 : 0;
        } catch (RuntimeException e) {
            err.println("cloudpilot: cannot import: " + e.getMessage());
            return 1;
        }
    }

    private static int serve(Optional<Path> configFile, Map<String, String> flags, PrintStream out, PrintStream err,
                             boolean demo) {
        CloudPilotServer server;
        try {
            LogFormat.apply(CloudPilotServer.config(configFile, flags));
            server = CloudPilotServer.start(configFile, flags);
        } catch (RuntimeException e) {
            err.println("cloudpilot: cannot start: " + e.getMessage());
            return 1;
        }
        String mode = server.config().getOptionalValue("cloudpilot.mode", String.class).orElse("server");
        // log records like every other line, so --log-format json makes them JSON too
        LOG.log(System.Logger.Level.INFO, "CloudPilot " + version() + " listening on " + server.url() + " (mode " + mode
                + ")");
        if (demo) {
            String query = server.clusters() instanceof ServerClusters ? "?cluster_name=sandbox" : "";
            LOG.log(System.Logger.Level.INFO, "Demo cluster: the built-in sandbox. Try " + server.url()
                    + "/k8s/overview/cluster" + query);
        }
        LOG.log(System.Logger.Level.INFO, "Swagger UI: " + server.url() + "/openapi/ui");
        CountDownLatch stopped = new CountDownLatch(1);
        // Helidon runs its shutdown handlers one after another on SIGTERM, heaviest first: this one finishes the
        // requests in flight (bounded by server.shutdown-grace-period) before Helidon's own stops the server
        io.helidon.Main.addShutdownHandler(new GracefulShutdown(server, stopped));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Drains the server, then stops it; runs in Helidon's shutdown thread before Helidon's own handlers. */
    private record GracefulShutdown(CloudPilotServer server, CountDownLatch stopped)
            implements io.helidon.spi.HelidonShutdownHandler, io.helidon.common.Weighted {
        @Override
        public void shutdown() {
            try {
                server.drain();
                server.close();
            } finally {
                stopped.countDown();
            }
        }

        @Override
        public double weight() {
            return 1000;
        }
    }

    static String version() {
        return CloudPilotServer.version();
    }
}
