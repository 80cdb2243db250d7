package io.cloudpilot.platform.plugins;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;

import org.eclipse.microprofile.config.Config;

/**
 * The plugins of this server once started: every plugin found (loaded or not), the context each loaded one was
 * started with, what each provided to its resources, and which plugin owns which resource and bean class.
 */
public final class InstalledPlugins {

    private static final System.Logger LOG = System.getLogger(InstalledPlugins.class.getName());

    private final List<LoadedPlugin> plugins;
    private final List<PluginClassLoader> loaders;
    private final Map<String, DefaultPluginContext> contexts;
    private final Map<Class<?>, Object> provided;
    private final Map<Class<?>, LoadedPlugin> owners = new HashMap<>();
    private volatile List<HealthContributor> contributors = List.of();

    private InstalledPlugins(List<LoadedPlugin> plugins, List<PluginClassLoader> loaders,
                             Map<String, DefaultPluginContext> contexts, Map<Class<?>, Object> provided) {
        this.plugins = List.copyOf(plugins);
        this.loaders = List.copyOf(loaders);
        this.contexts = Map.copyOf(contexts);
        this.provided = Collections.unmodifiableMap(new LinkedHashMap<>(provided));
        for (LoadedPlugin p : this.plugins) {
            if (p.loaded()) {
                p.resources().forEach(type -> owners.put(type, p));
                p.beans().forEach(type -> owners.put(type, p));
            }
        }
    }

    /**
     * The SPI services a plugin's context hands out.
     *
     * @param config   the server's configuration
     * @param dataDir  the data directory
     * @param clusters the clusters as plugins see them
     * @param cache    the shared cache
     * @param audit    the audit log
     */
    public record Services(Config config, Path dataDir, Clusters clusters, ResourceCache cache, AuditLog audit) {
    }

    /**
     * Starts every loaded plugin in order, each with its own context and its class loader as the context class
     * loader. A plugin whose {@code start} throws is closed, reported as failed and left out.
     *
     * @param found    what the loader found
     * @param loaders  the class loaders it made
     * @param services what the plugins' contexts hand out
     * @return the started plugins
     */
    public static InstalledPlugins start(List<LoadedPlugin> found, List<PluginClassLoader> loaders,
                                         Services services) {
        List<LoadedPlugin> plugins = new ArrayList<>();
        Map<String, DefaultPluginContext> contexts = new LinkedHashMap<>();
        Map<Class<?>, Object> provided = new LinkedHashMap<>();
        InstalledPlugins[] self = new InstalledPlugins[1];
        for (LoadedPlugin p : found) {
            if (!p.loaded()) {
                plugins.add(p);
                continue;
            }
            DefaultPluginContext context = new DefaultPluginContext(p.id(), services.config(), services.dataDir(),
                    services.clusters(), services.cache(), services.audit(),
                    () -> self[0] == null ? List.of() : self[0].healthContributors(), p.loader());
            try {
                PluginCalls.in(p.loader(), () -> {
                    p.plugin().start(context);
                    return null;
                });
                Map<Class<?>, Object> own = context.started();
                Optional<Class<?>> twice = own.keySet().stream().filter(provided::containsKey).findFirst();
                if (twice.isPresent()) {
                    throw new IllegalArgumentException("provide(" + twice.get().getName()
                            + "): another plugin already provides it");
                }
                provided.putAll(own);
                contexts.put(p.id(), context);
                plugins.add(p);
                LOG.log(Level.INFO, "Plugin {0} {1} loaded from {2}: {3}", p.id(), p.version(), p.source(), p.paths());
            } catch (Throwable e) {
                plugins.add(PluginLoader.report(p.withStatus(LoadedPlugin.Status.FAILED, "start failed: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))));
                LOG.log(Level.DEBUG, "Plugin " + p.id() + " start failure", e);
                close(p);
            }
        }
        InstalledPlugins installed = new InstalledPlugins(plugins, loaders, contexts, provided);
        installed.contributors = installed.collectContributors();
        self[0] = installed;
        return installed;
    }

    /** @return every plugin found, loaded or not, in load order */
    public List<LoadedPlugin> all() {
        return plugins;
    }

    /** @return the started plugins, in load order */
    public List<LoadedPlugin> loaded() {
        return plugins.stream().filter(LoadedPlugin::loaded).toList();
    }

    /** @return the class loaders of the plugins from plugin directories */
    public List<PluginClassLoader> classLoaders() {
        return loaders;
    }

    /**
     * @param type a class
     * @return the started plugin that declared it as a resource or bean, if any
     */
    public Optional<LoadedPlugin> owner(Class<?> type) {
        return Optional.ofNullable(owners.get(type));
    }

    /**
     * @param pluginId a started plugin
     * @return the context it was started with
     */
    public Optional<PluginContext> context(String pluginId) {
        return Optional.ofNullable(contexts.get(pluginId));
    }

    /** @return what the started plugins provided to their resources: type → instance */
    public Map<Class<?>, Object> provided() {
        return provided;
    }

    /** @return the health contributors of the started plugins, in load order; each runs in its plugin's context */
    public List<HealthContributor> healthContributors() {
        return contributors;
    }

    /** Closes the started plugins, last first, then their class loaders. */
    public void close() {
        List<LoadedPlugin> started = new ArrayList<>(loaded());
        Collections.reverse(started);
        started.forEach(InstalledPlugins::close);
        for (PluginClassLoader loader : loaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "Closing {0}: {1}", loader, e.toString());
            }
        }
    }

    private List<HealthContributor> collectContributors() {
        List<HealthContributor> result = new ArrayList<>();
        for (LoadedPlugin p : loaded()) {
            try {
                for (HealthContributor c : PluginCalls.in(p.loader(), p.plugin()::healthContributors)) {
                    result.add(new InContext(c, p.loader()));
                }
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.WARNING, "Plugin {0}: healthContributors() failed; its health is left out: {1}",
                        p.id(), e.toString());
            }
        }
        return List.copyOf(result);
    }

    private static void close(LoadedPlugin p) {
        try {
            PluginCalls.in(p.loader(), () -> {
                p.plugin().close();
                return null;
            });
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "Plugin {0} failed to close: {1}", p.id(), e.toString());
        }
    }

    /** A contributor whose calls run with its plugin's class loader as the context class loader. */
    private record InContext(HealthContributor delegate, ClassLoader loader) implements HealthContributor {
        @Override
        public String id() {
            return PluginCalls.in(loader, delegate::id);
        }

        @Override
        public Contribution contribute(ClusterContext cluster, boolean forceRefresh) {
            return PluginCalls.in(loader, () -> delegate.contribute(cluster, forceRefresh));
        }
    }
}
