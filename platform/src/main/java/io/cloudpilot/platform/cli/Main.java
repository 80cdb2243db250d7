package io.cloudpilot.platform.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;


import picocli.CommandLine;

/**
 * The command line ({@code bin/cloudpilot}): {@code cloudpilot [serve|demo|plugins|import-clusters FILE|
 * import-kubeconfig FILE|version|help] [--mode server|instant] [--host H] [--port P] [--config FILE]
 * [--data-dir DIR] [--log-format text|json] [-D KEY=VALUE]}, parsed by picocli ({@link CloudPilotCommand}).
 */
public final class Main {

    private Main() {
    }

    /**
     * @param args the command line
     */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs one command without exiting the JVM (tests call it; {@link #main} exits with its code).
     *
     * @param args the command line
     * @param out  standard output: what the command reports
     * @param err  standard error: usage errors and failures
     * @return the exit code: 0 success, 1 failure, 2 bad usage; the imports 3 when some input was skipped
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
        CommandLine cli = new CommandLine(new CloudPilotCommand())
                .setOut(o)
                .setErr(e)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((ex, commandLine, parsed) -> {
                    // a wrong configuration value, an unreadable file: one sentence, no stack trace
                    commandLine.getErr().println("cloudpilot: " + ex.getMessage());
                    return 1;
                });
        int code = cli.execute(args);
        o.flush();
        e.flush();
        return code;
    }
}
