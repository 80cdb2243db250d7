package io.cloudpilot.platform.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code cloudpilot demo}: the server on the built-in sandbox cluster. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {"Run the server on a built-in sandbox cluster.",
                "In server mode the sandbox is registered as 'sandbox'; prints the Swagger UI address."})
final class DemoCommand extends Subcommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return Serving.serve(selected(), err(), true);
    }
}
