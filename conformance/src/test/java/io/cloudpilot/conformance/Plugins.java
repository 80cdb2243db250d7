package io.cloudpilot.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The four product plugins, from the assembled distribution (unpacked by the build), as an installation loads them. */
final class Plugins {

    static final List<String> IDS = List.of("k8s-resources", "istio-workloads", "istio-config", "istio-health");

    private Plugins() {
    }

    static Path[] dirs() {
        String dist = System.getProperty("cloudpilot.dist.dir");
        if (dist == null || dist.isBlank()) {
            throw new IllegalStateException("-Dcloudpilot.dist.dir is not set (the module's pom sets it)");
        }
        Path plugins = Path.of(dist, "plugins");
        Path[] dirs = IDS.stream().map(plugins::resolve).toArray(Path[]::new);
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException(dir + " is missing: build the distribution first (./dev build)");
            }
        }
        return dirs;
    }
}
