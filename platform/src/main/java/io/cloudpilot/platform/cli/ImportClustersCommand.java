package io.cloudpilot.platform.cli;

import java.nio.file.Path;
import java.util.List;

import io.cloudpilot.platform.registry.ClusterRegistry;
import io.cloudpilot.platform.registry.ImportOutcome;
import io.cloudpilot.platform.registry.LegacyRegistryImport;

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
final class ImportClustersCommand extends ImportCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "the Python tool's cloudpilot.db (read only)")
    Path file;

    @Option(names = "--insecure-skip-tls-verify", description = "do not verify the TLS certificates of https:// API "
            + "servers (what the Python tool did)")
    boolean insecureSkipTlsVerify;

    @Option(names = "--insecure", description = "accept plain http:// API servers (https:// rows are unaffected)")
    boolean insecure;

    @Override
    String name() {
        return "import-clusters";
    }

    @Override
    String header() {
        return "Importing clusters from " + file;
    }

    @Override
    String items() {
        return "row(s)";
    }

    @Override
    List<ImportOutcome> importInto(ClusterRegistry registry) {
        return new LegacyRegistryImport(registry, new LegacyRegistryImport.Options(replace, verify,
                insecureSkipTlsVerify, insecure)).run(file);
    }
}
