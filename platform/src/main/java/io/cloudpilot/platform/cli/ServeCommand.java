package io.cloudpilot.platform.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code cloudpilot serve}: the default command. */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Run the server (the default command).",
                "Exit code 0 after a shutdown, 1 when it cannot start."})
final class ServeCommand extends Subcommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return Serving.serve(selected(), err(), false);
    }
}
