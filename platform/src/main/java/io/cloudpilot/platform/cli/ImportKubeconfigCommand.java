package io.cloudpilot.platform.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.cloudpilot.platform.registry.ClusterRegistry;
import io.cloudpilot.platform.registry.ImportOutcome;
import io.cloudpilot.platform.registry.KubeconfigImport;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cloudpilot import-kubeconfig FILE}: contexts of a kubeconfig into the registry. */
@Command(name = "import-kubeconfig", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {"Register contexts of a kubeconfig in the registry.",
                "Each context becomes a cluster of server mode: server, TLS data, token or client certificate (files "
                        + "the kubeconfig names are read now and stored inline, encrypted). Default: the current "
                        + "context, named after the context. A context whose user runs an exec credential plugin is "
                        + "not imported (see registry.kubeconfig-dir). The report goes to standard output, log "
                        + "records (warnings only, unless --verbose) to standard error.",
                "Exit code 0 when every context was imported, 3 when some were skipped, 1 when the file cannot be "
                        + "used."})
final class ImportKubeconfigCommand extends ImportCommand {

    @Parameters(index = "0", paramLabel = "FILE", description = "the kubeconfig (read only)")
    Path file;

    @ArgGroup(exclusive = true)
    Which which;

    /** --context ... or --all-contexts. */
    static final class Which {
        @Option(names = "--context", paramLabel = "NAME", description = "a context to import (repeatable)")
        List<String> contexts = new ArrayList<>();

        @Option(names = "--all-contexts", description = "import every context of the file")
        boolean all;
    }

    @Option(names = "--name", paramLabel = "NAME", description = "the cluster name, when one context is imported "
            + "(default: the context's name made a DNS-1123 label)")
    String clusterName;

    @Override
    String name() {
        return "import-kubeconfig";
    }

    @Override
    String header() {
        return "Importing contexts of " + file;
    }

    @Override
    String items() {
        return "context(s)";
    }

    @Override
    List<ImportOutcome> importInto(ClusterRegistry registry) {
        return new KubeconfigImport(registry, new KubeconfigImport.Options(
                which == null ? List.of() : List.copyOf(which.contexts), which != null && which.all,
                Optional.ofNullable(clusterName), verify, replace)).run(file);
    }
}
