package io.cloudpilot.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One external command (kubectl, podman, the image build) run to its end, its output kept for the failure message. */
record Command(List<String> argv, int exitCode, String stdout, String stderr) {

    /**
     * @param argv    the command
     * @param env     extra environment variables
     * @param stdin   written to its standard input, or null for none
     * @param timeout how long it may take
     * @return its result (any exit code)
     */
    static Command run(List<String> argv, Map<String, String> env, String stdin, Duration timeout) {
        try {
            Path out = Files.createTempFile("cloudpilot-cmd-", ".out");
            Path err = Files.createTempFile("cloudpilot-cmd-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().putAll(env);
                if (stdin == null) {
                    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                }
                Process process = builder.start();
                if (stdin != null) {
                    try (var in = process.getOutputStream()) {
                        in.write(stdin.getBytes(StandardCharsets.UTF_8));
                    }
                }
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError(argv + " did not end in " + timeout.toSeconds() + " s; stderr:\n"
                            + tail(Files.readString(err)));
                }
                return new Command(List.copyOf(argv), process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return this, or an AssertionError naming the command, its exit code and the end of its output */
    Command ok() {
        if (exitCode != 0) {
            throw new AssertionError(argv + " exited with " + exitCode + ":\n" + tail(stderr) + "\n" + tail(stdout));
        }
        return this;
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }
}
