package io.cloudpilot.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A program a test runs (Chromium, promtool), found on the {@code PATH}. Without it the test is skipped, visibly and
 * with how to install it, except under {@code CI=true}, where it fails: CI must run these tests ({@code .ci/run}
 * installs the programs).
 */
public final class ExternalTool {

    private ExternalTool() {
    }

    /**
     * @param what    what the test does with it, for the message
     * @param install how to install it, e.g. {@code apt-get install chromium}
     * @param names   its executable names, tried in order
     * @return the executable
     * @throws org.opentest4j.TestAbortedException when none is found outside CI (the test is skipped)
     * @throws org.opentest4j.AssertionFailedError when none is found and {@code CI=true}
     */
    public static Path require(String what, String install, String... names) {
        Optional<Path> found = find(names);
        if (found.isPresent()) {
            return found.get();
        }
        String message = what + " needs " + List.of(names) + " on the PATH (" + install + ")";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true but " + message);
        }
        Assumptions.abort("skipped: " + message);
        throw new IllegalStateException("unreachable");
    }

    private static Optional<Path> find(String... names) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String name : names) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }
}
