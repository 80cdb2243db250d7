package io.cloudpilot.platform.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.cloudpilot.platform.registry.ClusterRegistry;
import io.cloudpilot.platform.registry.LegacyRegistryImport;
import io.cloudpilot.platform.registry.RegistryConfig;

import org.eclipse.microprofile.config.Config;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cloudpilot import-clusters FILE}: the earlier Python tool's clusters into the registry. */
@Command(name = "import-clusters", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Import the earlier Python tool's clusters into the registry.",
                "Reads the tool's SQLite database (read only) and registers each row in the registry of server mode, "
                        + "credentials encrypted. The report goes to standard output, log records (warnings only, "
                        + "unless --verbose) to standard error.",
                "Exit code 0 when every row was imported, 3 when some were skipped, 1 when nothing could be read."})
final class ImportClustersCommand extends Subcommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the Python tool's cloudpilot.db (read only)")
    Path file;

    @Option(names = "--replace", description = "replace clusters already registered under the same name (default: "
            + "skip them)")
    boolean replace;

    @Option(names = "--verify", description = "check each cluster's GET /version first; skip those that fail")
    boolean verify;

    @Option(names = "--insecure-skip-tls-verify", description = "do not verify the TLS certificates of https:// API "
            + "servers (what the Python tool did)")
    boolean insecureSkipTlsVerify;

    @Option(names = "--insecure", description = "accept plain http:// API servers (https:// rows are unaffected)")
    boolean insecure;

    @Option(names = "--verbose", description = "show INFO log records (on standard error) too")
    boolean verbose;

    @Override
    public Integer call() {
        Config config = selected().config();
        String mode = config.getOptionalValue("cloudpilot.mode", String.class).orElse("server");
        if (!mode.equals("server")) {
            err().println("cloudpilot: import-clusters fills the registry of server mode; cloudpilot.mode is " + mode);
            return 2;
        }
        try (ReportLogging logs = ReportLogging.toStandardError(verbose);
             ClusterRegistry registry = ClusterRegistry.open(RegistryConfig.from(config))) {
            out().println("Importing clusters from " + file + " into the registry at " + registry.description());
            var outcomes = new LegacyRegistryImport(registry, new LegacyRegistryImport.Options(replace, verify,
                    insecureSkipTlsVerify, insecure)).run(file);
            return ImportReport.print(outcomes, "row(s)", verify, out());
        } catch (RuntimeException e) {
            err().println("cloudpilot: cannot import: " + e.getMessage());
            return 1;
        }
    }
}
