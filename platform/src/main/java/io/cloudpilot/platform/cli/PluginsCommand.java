package io.cloudpilot.platform.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import io.cloudpilot.platform.plugins.PluginReport;

import org.eclipse.microprofile.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cloudpilot plugins}: what the server would load, without starting it. */
@Command(name = "plugins", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"List the plugins the server would load, and why it would refuse any.",
                "Does not start the server. Exit code 1 when a plugin would be refused."})
final class PluginsCommand extends Subcommand implements Callable<Integer> {

    @Option(names = "--verbose", description = "show INFO log records (on standard error) too")
    boolean verbose;

    @Override
    @SuppressWarnings("try") // logs is held for its scope: the report logging is switched back when it closes
    public Integer call() {
        Config config = selected().config();
        try (ReportLogging logs = ReportLogging.toStandardError(verbose)) {
            ByteArrayOutputStream report = new ByteArrayOutputStream();
            int code = PluginReport.print(config, new PrintStream(report, true, StandardCharsets.UTF_8));
            out().print(report.toString(StandardCharsets.UTF_8));
            out().flush();
            return code;
        }
    }
}
