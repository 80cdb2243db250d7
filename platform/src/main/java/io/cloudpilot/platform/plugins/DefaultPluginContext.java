package io.cloudpilot.platform.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
 * A plugin's view of the platform, and what the plugin provided to its resources while it started.
 */
final class DefaultPluginContext implements PluginContext {

    private final String pluginId;
    private final Config config;
    private final Path dataDir;
    private final Clusters clusters;
    private final ResourceCache cache;
    private final AuditLog audit;
    private final Supplier<List<HealthContributor>> contributors;
    private final ClassLoader pluginLoader;
    private final Map<Class<?>, Object> provided = new LinkedHashMap<>();
    private volatile boolean starting = true;

    DefaultPluginContext(String pluginId, Config config, Path dataDir, Clusters clusters, ResourceCache cache,
                         AuditLog audit, Supplier<List<HealthContributor>> contributors, ClassLoader pluginLoader) {
        this.pluginLoader = pluginLoader;
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

    @Override
    @SuppressWarnings("ReferenceEquality") // which class loader defined the type: identity is the question
    public synchronized <T> void provide(Class<T> type, T instance) {
        if (!starting) {
            throw new IllegalStateException("provide(" + type.getName() + ") is for Plugin.start only: resources "
                    + "are wired before the server takes requests");
        }
        if (instance == null || !type.isInstance(instance)) {
            throw new IllegalArgumentException("provide(" + type.getName() + "): the instance is "
                    + (instance == null ? "null" : "a " + instance.getClass().getName()));
        }
        if (ProvidedApis.isProvided(type.getName()) || type.getName().startsWith("io.cloudpilot.platform.")
                || type.getClassLoader() == null
                || (pluginLoader instanceof PluginClassLoader && type.getClassLoader() != pluginLoader)) {
            throw new IllegalArgumentException("provide(" + type.getName() + "): a plugin provides its own "
                    + "classes only, not the platform's, the JDK's or an API's");
        }
        if (provided.containsKey(type)) {
            throw new IllegalArgumentException("provide(" + type.getName() + "): already provided");
        }
        provided.put(type, instance);
    }

    /** Ends {@code start}: what was provided is final. */
    synchronized Map<Class<?>, Object> started() {
        starting = false;
        return Map.copyOf(provided);
    }

    private String prefix() {
        return "plugins." + pluginId + ".";
    }
}
