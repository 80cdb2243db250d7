package io.cloudpilot.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.cloudpilot.testkit.ApiClient;

/**
 * A copy of the assembled distribution in a temporary directory, as an operator installs it (its {@code lib/} is a
 * link to the built one), and the processes started from it with {@code bin/cloudpilot}.
 */
final class Installation {

    private final Path home;
    private final Path work;

    private Installation(Path home, Path work) {
        this.home = home;
        this.work = work;
    }

    /** @return a fresh copy of the built distribution, with a working directory next to it */
    static Installation copy() {
        try {
            Path built = Path.of(System.getProperty("cloudpilot.dist.dir")).toAbsolutePath();
            Path root = Files.createTempDirectory("cloudpilot-install-");
            Path home = root.resolve("cloudpilot");
            try (Stream<Path> files = Files.walk(built)) {
                for (Path source : files.toList()) {
                    Path rel = built.relativize(source);
                    if ((rel.startsWith("lib") && !rel.toString().equals("lib"))
                            || (rel.startsWith("sdk") && !rel.toString().equals("sdk"))) {
                        continue;
                    }
                    Path target = home.resolve(rel.toString());
                    if (rel.toString().equals("lib") || rel.toString().equals("sdk")) {
                        Files.createDirectories(target.getParent());
                        Files.createSymbolicLink(target, source);
                    } else if (Files.isDirectory(source)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
            Path work = Files.createDirectories(root.resolve("work"));
            return new Installation(home, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the distribution's tarball unpacked in a temporary directory, as an operator installs it from the
     * release download
     */
    static Installation unpack() {
        try {
            Path tarball = Path.of(System.getProperty("cloudpilot.dist.tarball")).toAbsolutePath();
            Path root = Files.createTempDirectory("cloudpilot-tarball-");
            Process tar = new ProcessBuilder("tar", "xzf", tarball.toString(), "-C", root.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (tar.waitFor() != 0) {
                throw new IllegalStateException("tar xzf " + tarball + " failed: " + output);
            }
            Path home;
            try (Stream<Path> entries = Files.list(root)) {
                home = entries.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            return new Installation(home, Files.createDirectories(root.resolve("work")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the example plugin's jar, as built by examples/hello-plugin */
    static Path examplePluginJar() {
        Path jar = Path.of(System.getProperty("cloudpilot.example.plugin")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the example plugin was not built: " + jar);
        }
        return jar;
    }

    Path home() {
        return home;
    }

    /** @return the working directory processes run in (not the installation) */
    Path work() {
        return work;
    }

    /**
     * Starts {@code bin/cloudpilot} with these arguments, output (both streams) into {@code log}.
     *
     * @param log  where the output goes
     * @param env  extra environment variables
     * @param args the arguments
     * @return the process
     */
    Process start(Path log, Map<String, String> env, String... args) {
        return start(log, null, env, args);
    }

    /**
     * Starts {@code bin/cloudpilot} with these arguments, its standard output and standard error apart.
     *
     * @param out  where standard output goes
     * @param err  where standard error goes, or null for {@code out} too
     * @param env  extra environment variables
     * @param args the arguments
     * @return the process
     */
    Process start(Path out, Path err, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/cloudpilot").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectOutput(out.toFile());
        if (err == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a short command to its end.
     *
     * @param env  extra environment variables
     * @param args the arguments
     * @return its exit code and output
     */
    Result run(Map<String, String> env, String... args) {
        try {
            Path out = Files.createTempFile(work, "command-", ".out");
            Path err = Files.createTempFile(work, "command-", ".err");
            Process p = start(out, err, env, args);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("cloudpilot " + List.of(args) + " did not end in 120 s:\n"
                        + Files.readString(out) + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * A finished command.
     *
     * @param exitCode its exit code
     * @param stdout   what it wrote to standard output
     * @param stderr   what it wrote to standard error
     */
    record Result(int exitCode, String stdout, String stderr) {
        /** @return both streams, standard output first */
        String output() {
            return stdout + stderr;
        }
    }

    /** Waits until the server started by {@code process} answers {@code /health/ready} with 200. */
    static void awaitReady(Process process, ApiClient api, Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("cloudpilot exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            try {
                if (api.get("/health/ready").status() == 200) {
                    return;
                }
            } catch (RuntimeException e) {
                // not listening yet
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("cloudpilot not ready in 180 s:\n" + Files.readString(log));
            }
            Thread.sleep(250);
        }
    }

    /** @return a port free on the loopback interface right now */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
