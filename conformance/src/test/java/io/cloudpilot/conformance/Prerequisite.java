package io.cloudpilot.conformance;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A tool or service a test class needs beyond the control plane (kubectl, podman, PostgreSQL): without it the class is
 * skipped with a message saying how to get it, except under {@code CI=true}, where that is a failure (as
 * {@link ConformanceCluster} does for the control-plane binaries).
 */
final class Prerequisite {

    private Prerequisite() {
    }

    /**
     * @param present whether it is there
     * @param missing what is missing and how to get it, said in the skip or the failure
     */
    static void require(boolean present, String missing) {
        if (present) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true but " + missing);
        }
        System.err.println("*** SKIPPED: " + missing + " ***");
        Assumptions.abort("SKIPPED: " + missing);
    }

    /** @return the executable named {@code name} on PATH, or null */
    static java.nio.file.Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            java.nio.file.Path candidate = java.nio.file.Path.of(dir.isEmpty() ? "." : dir, name);
            if (java.nio.file.Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
