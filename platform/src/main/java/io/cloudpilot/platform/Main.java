package io.cloudpilot.platform;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import io.cloudpilot.platform.cluster.ServerClusters;

/**
 * The command line: {@code cloudpilot [serve|demo|version] [--mode server|instant] [--host H] [--port P]
 * [--config FILE] [--data-dir DIR]}.
 */
public final class Main {

    private static final String USAGE = """
            Usage: cloudpilot [COMMAND] [OPTIONS]

            Commands:
              serve     run the server (default)
              demo      run the server on a built-in sandbox cluster and print the Swagger UI address
              version   print the version
              help      print this text

            Options:
              --mode server|instant   server: a registry of clusters; instant: the in-cluster or kubeconfig cluster
              --host ADDRESS          bind address (default 127.0.0.1)
              --port PORT             port (default 8000)
              --config FILE           a YAML or .properties configuration file (conf/cloudpilot.yaml)
              --data-dir DIR          where CloudPilot keeps its data (default: data/)
              -D KEY=VALUE            any configuration key, e.g. -D cluster.request-timeout=PT10S
            """;

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

    static int run(String[] args, PrintStream out, PrintStream err) {
        String command = "serve";
        Map<String, String> flags = new HashMap<>();
        Optional<Path> configFile = Optional.empty();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("-")) {
            command = args[0];
            i = 1;
        }
        for (; i < args.length; i++) {
            String arg = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (arg) {
                case "--mode", "--host", "--port", "--data-dir", "--config", "-D" -> {
                    if (value == null) {
                        err.println("cloudpilot: " + arg + " needs a value\n\n" + USAGE);
                        return 2;
                    }
                    i++;
                    switch (arg) {
                        case "--config" -> configFile = Optional.of(Path.of(value));
                        case "--data-dir" -> flags.put("cloudpilot.data-dir", value);
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
                case "-h", "--help" -> {
                    out.print(USAGE);
                    return 0;
                }
                default -> {
                    err.println("cloudpilot: unknown option '" + arg + "'\n\n" + USAGE);
                    return 2;
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
            case "demo" -> {
                Path dataDir = Path.of(flags.getOrDefault("cloudpilot.data-dir", "data"));
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

    private static int serve(Optional<Path> configFile, Map<String, String> flags, PrintStream out, PrintStream err,
                             boolean demo) {
        CloudPilotServer server;
        try {
            server = CloudPilotServer.start(configFile, flags);
        } catch (RuntimeException e) {
            err.println("cloudpilot: cannot start: " + e.getMessage());
            return 1;
        }
        String mode = server.config().getOptionalValue("cloudpilot.mode", String.class).orElse("server");
        out.println("CloudPilot " + version() + " listening on " + server.url() + " (mode " + mode + ")");
        if (demo) {
            String query = server.clusters() instanceof ServerClusters ? "?cluster_name=sandbox" : "";
            out.println("Demo cluster: the built-in sandbox. Try " + server.url() + "/k8s/overview/cluster" + query);
        }
        out.println("Swagger UI: " + server.url() + "/openapi/ui");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "cloudpilot-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
