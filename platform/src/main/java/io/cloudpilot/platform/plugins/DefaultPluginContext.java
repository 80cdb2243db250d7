package io.cloudpilot.platform.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;

import org.eclipse.microprofile.config.Config;

/**
 * A plugin's view of the platform.
 */
final class DefaultPluginContext implements PluginContext {

    private final String pluginId;
    private final Config config;
    private final Path dataDir;
    private final Clusters clusters;
    private final ResourceCache cache;
    private final AuditLog audit;
    private final Supplier<List<HealthContributor>> contributors;

    DefaultPluginContext(String pluginId, Config config, Path dataDir, Clusters clusters, ResourceCache cache,
                         AuditLog audit, Supplier<List<HealthContributor>> contributors) {
        this.pluginId = pluginId;
        this.config = config;
        this.dataDir = dataDir;
        this.clusters = clusters;
        this.cache = cache;
        this.audit = audit;
        this.contributors = contributors;
    }

    @Override
    public String pluginId() {
        return pluginId;
    }

    @Override
    public Optional<String> config(String key) {
        return config.getOptionalValue(prefix() + key, String.class);
    }

    @Override
    public Map<String, String> configuration() {
        Map<String, String> result = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(prefix())) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(v -> result.put(name.substring(prefix().length()), v));
            }
        }
        return result;
    }

    @Override
    public Path dataDirectory() {
        Path dir = dataDir.resolve("plugins").resolve(pluginId);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
        return dir;
    }

    @Override
    public Clusters clusters() {
        return clusters;
    }

    @Override
    public ResourceCache cache() {
        return cache;
    }

    @Override
    public AuditLog audit() {
        return audit;
    }

    @Override
    public List<HealthContributor> healthContributors() {
        return contributors.get();
    }

    private String prefix() {
        return "plugins." + pluginId + ".";
    }
}
