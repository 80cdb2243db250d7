package io.cloudpilot.platform.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.CloudPilotServer;
import io.cloudpilot.platform.logging.LogFormat;

import org.eclipse.microprofile.config.Config;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every command takes: they choose the configuration the command runs with, exactly as {@code serve}
 * would read it. Given before a command they apply to it too; given after, they win.
 */
public final class CommonOptions {

    @Option(names = "--mode", paramLabel = "server|instant",
            description = "server: a registry of clusters; instant: the in-cluster or kubeconfig cluster")
    String mode;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "bind address (default 127.0.0.1)")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "port (default 8000; 0: any free port)")
    Integer port;

    @Option(names = "--config", paramLabel = "FILE",
            description = "a YAML or .properties configuration file (default: conf/cloudpilot.yaml of the installation)")
    Path config;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "where CloudPilot keeps its data (default: data/)")
    String dataDir;

    @Option(names = "--log-format", paramLabel = "text|json",
            description = "console log format (default text; json: one JSON object per line)")
    String logFormat;

    @Option(names = "-D", paramLabel = "KEY=VALUE",
            description = "any configuration key, e.g. -D cluster.request-timeout=PT10S (also -Dkey=value)")
    Map<String, String> properties = new LinkedHashMap<>();

    /**
     * @param before the options given before the command, or null
     * @param spec   the command, for usage errors
     * @return the configuration these options (these winning over {@code before}) select
     * @throws ParameterException (exit code 2) for a value out of range
     */
    Selected select(CommonOptions before, CommandSpec spec) {
        Map<String, String> flags = new LinkedHashMap<>();
        Optional<Path> file = Optional.empty();
        for (CommonOptions o : before == null || before == this ? new CommonOptions[] {this}
                : new CommonOptions[] {before, this}) {
            flags.putAll(o.properties);
            put(flags, "mode", o.mode);
            put(flags, "host", o.host);
            put(flags, "port", o.port == null ? null : o.port.toString());
            put(flags, "cloudpilot.data-dir", o.dataDir);
            put(flags, LogFormat.KEY, o.logFormat);
            if (o.config != null) {
                file = Optional.of(o.config);
            }
        }
        if (flags.containsKey("port") && (Integer.parseInt(flags.get("port")) < 0
                || Integer.parseInt(flags.get("port")) > 65535)) {
            throw new ParameterException(spec.commandLine(), "--port takes a number from 0 to 65535");
        }
        if (flags.containsKey("mode") && !flags.get("mode").matches("server|instant")) {
            throw new ParameterException(spec.commandLine(), "--mode takes server or instant, not '"
                    + flags.get("mode") + "'");
        }
        if (flags.containsKey(LogFormat.KEY) && LogFormat.parse(flags.get(LogFormat.KEY)).isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--log-format takes text or json, not '"
                    + flags.get(LogFormat.KEY) + "'");
        }
        String home = System.getProperty("cloudpilot.home");
        if (home != null) {
            if (!flags.containsKey("cloudpilot.data-dir") && System.getenv("CLOUDPILOT_DATA_DIR") == null) {
                flags.put("cloudpilot.data-dir", Path.of(home, "data").toString());
            }
            Path installed = Path.of(home, "conf", "cloudpilot.yaml");
            if (file.isEmpty() && Files.isRegularFile(installed)) {
                file = Optional.of(installed);
            }
        }
        return new Selected(file, flags);
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    /**
     * What the options select.
     *
     * @param file  the configuration file, if any
     * @param flags the settings that win over every other source
     */
    record Selected(Optional<Path> file, Map<String, String> flags) {

        /**
         * @return the configuration a server with these inputs would run with, its log format applied
         * @throws IllegalArgumentException when the file is unreadable or a value is wrong
         */
        Config config() {
            Config config = CloudPilotServer.config(file, flags);
            LogFormat.apply(config);
            return config;
        }
    }
}
