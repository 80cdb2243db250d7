package io.cloudpilot.platform.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code cloudpilot version}, as {@code --version}. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Print the version (as --version does).")
final class VersionCommand extends Subcommand implements Callable<Integer> {

    @Override
    public Integer call() {
        out().println(new VersionProvider().getVersion()[0]);
        return 0;
    }
}
