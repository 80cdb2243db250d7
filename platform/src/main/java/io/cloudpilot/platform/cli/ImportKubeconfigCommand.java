package io.cloudpilot.platform.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import io.cloudpilot.platform.registry.ClusterRegistry;
import io.cloudpilot.platform.registry.KubeconfigImport;
import io.cloudpilot.platform.registry.RegistryConfig;

import org.eclipse.microprofile.config.Config;
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
final class ImportKubeconfigCommand extends Subcommand implements Callable<Integer> {

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
    String name;

    @Option(names = "--replace", description = "replace clusters already registered under the same name (default: "
            + "skip them)")
    boolean replace;

    @Option(names = "--verify", description = "check each cluster's GET /version first; skip those that fail")
    boolean verify;

    @Option(names = "--verbose", description = "show INFO log records (on standard error) too")
    boolean verbose;

    @Override
    public Integer call() {
        Config config = selected().config();
        String mode = config.getOptionalValue("cloudpilot.mode", String.class).orElse("server");
        if (!mode.equals("server")) {
            err().println("cloudpilot: import-kubeconfig fills the registry of server mode; cloudpilot.mode is " + mode);
            return 2;
        }
        KubeconfigImport.Options options = new KubeconfigImport.Options(
                which == null ? List.of() : List.copyOf(which.contexts), which != null && which.all,
                Optional.ofNullable(name), verify, replace);
        try (ReportLogging logs = ReportLogging.toStandardError(verbose);
             ClusterRegistry registry = ClusterRegistry.open(RegistryConfig.from(config))) {
            out().println("Importing contexts of " + file + " into the registry at " + registry.description());
            return ImportReport.print(new KubeconfigImport(registry, options).run(file), "context(s)", verify, out());
        } catch (RuntimeException e) {
            err().println("cloudpilot: cannot import: " + e.getMessage());
            return 1;
        }
    }
}
