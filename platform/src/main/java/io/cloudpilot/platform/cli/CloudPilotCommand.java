package io.cloudpilot.platform.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code cloudpilot [COMMAND] [OPTIONS]}: without a command it serves, so {@code cloudpilot --port 9000} runs the
 * server as it always did.
 */
@Command(name = "cloudpilot", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = "A REST server over Kubernetes and Istio. Without a command: serve.",
        subcommands = {ServeCommand.class, DemoCommand.class, PluginsCommand.class, ImportClustersCommand.class,
                ImportKubeconfigCommand.class, VersionCommand.class, HelpCommand.class},
        footer = {"", "Exit codes: 0 success, 1 failure, 2 bad usage, 3 an import skipped some of its input.",
                "'cloudpilot help COMMAND' or 'cloudpilot COMMAND --help' describes a command. docs/operations.md"})
public final class CloudPilotCommand implements Callable<Integer> {

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Serving.serve(common.select(null, spec), spec.commandLine().getErr(), false);
    }
}
