package io.cloudpilot.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code podman} command, with the settings {@code deploy/image/build.sh} uses: {@code deploy/image/containers.conf}
 * (runc, cgroupfs) unless {@code CONTAINERS_CONF} is set or runc is missing.
 */
final class Podman {

    static final String HOW_TO = "the container image test needs podman, runc and slirp4netns (Debian: apt-get install "
            + "podman runc slirp4netns), and mmdebstrap to make the image's base without a registry (apt-get install "
            + "mmdebstrap) unless -Dcloudpilot.test.image.base=IMAGE names a Java 21+ base image that podman has";

    private Podman() {
    }

    /** @return whether podman, runc, slirp4netns and a way to the base image are there */
    static boolean available() {
        boolean base = !System.getProperty("cloudpilot.test.image.base", "").isBlank()
                || Prerequisite.onPath("mmdebstrap") != null;
        return Prerequisite.onPath("podman") != null && Prerequisite.onPath("slirp4netns") != null
                && (Prerequisite.onPath("runc") != null || System.getenv("CONTAINERS_CONF") != null) && base;
    }

    /** @return the environment podman runs with */
    static Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        if (System.getenv("CONTAINERS_CONF") == null && Prerequisite.onPath("runc") != null) {
            env.put("CONTAINERS_CONF", repo().resolve("deploy/image/containers.conf").toString());
        }
        return env;
    }

    /** @return the repository's root (deploy/, the Containerfile) */
    static Path repo() {
        return Path.of(System.getProperty("cloudpilot.repo.dir")).toAbsolutePath().normalize();
    }

    /** Runs {@code podman ARGS} to its end (any exit code). */
    static Command run(Duration timeout, String... args) {
        List<String> argv = new ArrayList<>(List.of("podman"));
        argv.addAll(List.of(args));
        return Command.run(argv, environment(), null, timeout);
    }

    /** Runs {@code podman ARGS}; fails with its output unless it exits with 0. */
    static String ok(String... args) {
        return run(Duration.ofMinutes(2), args).ok().stdout().trim();
    }
}
