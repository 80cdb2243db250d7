package io.cloudpilot.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The distribution's plugin directory (unpacked by the build): the four product plugins, each in its own
 * directory and class loader, as an installation loads them (the sandbox plugin there stays off).
 */
final class Plugins {

    static final List<String> IDS = List.of("k8s-resources", "istio-workloads", "istio-config", "istio-health");

    private Plugins() {
    }

    static Path dirs() {
        String dist = System.getProperty("cloudpilot.dist.dir");
        if (dist == null || dist.isBlank()) {
            throw new IllegalStateException("-Dcloudpilot.dist.dir is not set (the module's pom sets it)");
        }
        Path plugins = Path.of(dist, "plugins");
        for (String id : IDS) {
            if (!Files.isDirectory(plugins.resolve(id))) {
                throw new IllegalStateException(plugins.resolve(id) + " is missing: build the distribution first");
            }
        }
        return plugins;
    }
}
