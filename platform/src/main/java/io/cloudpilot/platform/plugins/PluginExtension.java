package io.cloudpilot.platform.plugins;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.cache.CaffeineResourceCache;
import io.cloudpilot.platform.cache.WatchCache;
import io.cloudpilot.platform.cluster.ClusterGuards;
import io.cloudpilot.platform.cluster.ClientSettings;
import io.cloudpilot.platform.cluster.GuardedClusters;
import io.cloudpilot.platform.cluster.InstantClusters;
import io.cloudpilot.platform.cluster.ServerClusters;
import io.cloudpilot.platform.registry.Database;
import io.cloudpilot.platform.registry.RegistryConfig;
import io.cloudpilot.platform.security.Security;
import io.cloudpilot.platform.security.TokenSafeLogging;
import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.ResourceCache;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Builds the platform's services, finds and starts the plugins, and registers the classes of those that
 * started as CDI beans, before bean discovery, so Helidon mounts their resources like its own. Plugins that
 * fail are reported and left out; the server starts with the others.
 */
public class PluginExtension implements Extension {

    private static final System.Logger LOG = System.getLogger(PluginExtension.class.getName());

    private volatile PlatformServices services;
    private volatile Security security;
    private volatile AuditTrail auditTrail;

    void beforeBeanDiscovery(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
        Config config = ConfigProvider.getConfig();
        Path dataDir = Path.of(config.getOptionalValue("cloudpilot.data-dir", String.class).orElse("data"));
        // API authentication first: a server that must not start (no auth on a public address) starts nothing
        security = Security.from(config);
        TokenSafeLogging.hold();
        security.settings().logStartup();
        Clusters clusters = clusters(config);
        ClusterGuards guards = new ClusterGuards(ClusterGuards.Settings.from(config));
        ResourceCache ttlCache = new CaffeineResourceCache(CaffeineResourceCache.Settings.from(config), guards,
                clusters::resolve);
        WatchCache.Settings watchSettings = WatchCache.Settings.from(config);
        // cache.mode=watch (globally or for some clusters): informers in front of the TTL cache
        ResourceCache cache = watchSettings.anyWatch() ? new WatchCache(watchSettings, ttlCache, clusters::resolve)
                : ttlCache;
        if (clusters instanceof ServerClusters server) {
            // a replaced or removed cluster's cached answers and circuit state belong to the old registration
            server.onChange(name -> {
                cache.invalidate(name, null);
                guards.forget(name);
            });
        }
        AuditTrail trail = auditTrail(config, dataDir, clusters);
        auditTrail = trail;
        AuditLog audit = trail;
        Clusters guarded = new GuardedClusters(clusters, guards);

        ClassLoader platformLoader = PluginExtension.class.getClassLoader();
        PluginLoader loader = new PluginLoader(platformLoader, pluginDirectories(config),
                id -> config.getOptionalValue("plugins." + id + ".enabled", Boolean.class).orElse(true));
        List<LoadedPlugin> found = loader.discover();

        List<LoadedPlugin> plugins = new ArrayList<>();
        PlatformServices[] self = new PlatformServices[1];
        for (LoadedPlugin p : found) {
            if (p.status() != LoadedPlugin.Status.LOADED) {
                plugins.add(p);
                continue;
            }
            DefaultPluginContext context = new DefaultPluginContext(p.id(), config, dataDir, guarded, cache, audit,
                    () -> self[0].healthContributors());
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            try {
                Thread.currentThread().setContextClassLoader(p.plugin().getClass().getClassLoader());
                p.plugin().start(context);
                plugins.add(p);
                LOG.log(Level.INFO, "Plugin {0} {1} loaded from {2}: {3}", p.id(), p.version(), p.source(), p.paths());
            } catch (Throwable e) {
                plugins.add(PluginLoader.report(p.withStatus(LoadedPlugin.Status.FAILED, "start failed: "
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()))));
                LOG.log(Level.DEBUG, "Plugin " + p.id() + " start failure", e);
                safeClose(p);
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
        // `cloudpilot demo` in server mode: the sandbox plugin has just written its kubeconfig; register it before
        // the server answers its first request
        config.getOptionalValue("cloudpilot.demo.sandbox-kubeconfig", String.class).ifPresent(path -> {
            if (clusters instanceof ServerClusters server) {
                server.registerFromKubeconfig("sandbox", Path.of(path), "The demo's built-in sandbox cluster");
            }
        });
        services = new PlatformServices(config, dataDir, clusters, guarded, cache, audit, List.copyOf(plugins));
        self[0] = services;

        for (LoadedPlugin p : plugins) {
            if (p.status() != LoadedPlugin.Status.LOADED) {
                continue;
            }
            for (Class<?> type : p.resources()) {
                event.addAnnotatedType(beanManager.createAnnotatedType(type), "cloudpilot:" + p.id() + ":" + type.getName());
            }
            for (Class<?> type : p.beans()) {
                event.addAnnotatedType(beanManager.createAnnotatedType(type), "cloudpilot:" + p.id() + ":" + type.getName());
            }
        }
        // Helidon's OpenAPI reads Jandex indexes through the context class loader: show it the plugins' indexes too.
        if (!loader.classLoaders().isEmpty()) {
            ClassLoader withPlugins = new PluginIndexClassLoader(Thread.currentThread().getContextClassLoader(),
                    loader.classLoaders(), PluginIndexes.of(plugins, platformLoader, dataDir));
            // MicroProfile Config is looked up per context class loader: the new one must see this server's config,
            // or Helidon would build a default one for it (and, e.g., bind the default port)
            ConfigProviderResolver.instance().registerConfig(config, withPlugins);
            Thread.currentThread().setContextClassLoader(withPlugins);
        }
    }

    void beforeShutdown(@Observes BeforeShutdown event) {
        PlatformServices s = services;
        if (s == null) {
            return;
        }
        List<LoadedPlugin> plugins = new ArrayList<>(s.plugins());
        java.util.Collections.reverse(plugins);
        plugins.stream().filter(p -> p.status() == LoadedPlugin.Status.LOADED).forEach(PluginExtension::safeClose);
        if (s.cache() instanceof WatchCache watches) {
            watches.close();
        }
        // before the registry closes the database the audit rows go to
        auditTrail.close();
        if (s.clusters() instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Closing cluster clients failed: {0}", e.toString());
            }
        }
    }

    /**
     * @return the platform's services; available from bean discovery on
     */
    public PlatformServices services() {
        return services;
    }

    /** @return the API authentication of this server; available from bean discovery on */
    public Security security() {
        return security;
    }

    /** @return the audit log of this server; available from bean discovery on */
    public AuditTrail auditTrail() {
        return auditTrail;
    }

    /**
     * The audit log goes to {@code cloudpilot.audit.file} and to CloudPilot's database: the registry's in server mode,
     * in instant mode {@code db.url} when set, else the SQLite file {@code <data-dir>/audit.db}.
     */
    private static AuditTrail auditTrail(Config config, Path dataDir, Clusters clusters) {
        String file = config.getOptionalValue("cloudpilot.audit.file", String.class).map(String::trim)
                .orElse(dataDir.resolve("audit.log").toString());
        Optional<Path> auditFile = file.isEmpty() || file.equals("none") ? Optional.empty() : Optional.of(Path.of(file));
        if (clusters instanceof ServerClusters server) {
            return new AuditTrail(auditFile, () -> server.registry().database(), false);
        }
        RegistryConfig registry = RegistryConfig.from(config);
        RegistryConfig audit = registry.dbUrl().isPresent() ? registry : new RegistryConfig(registry.dataDir(),
                Optional.of("jdbc:sqlite:" + dataDir.resolve("audit.db").toAbsolutePath()), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), registry.poolSize(), registry.refreshInterval(),
                registry.clientSettings());
        return new AuditTrail(auditFile, () -> Database.of(audit), true);
    }

    private static void safeClose(LoadedPlugin p) {
        try {
            p.plugin().close();
        } catch (Throwable e) {
            LOG.log(Level.WARNING, "Plugin {0} failed to close: {1}", p.id(), e.toString());
        }
    }

    private static Clusters clusters(Config config) {
        String mode = config.getOptionalValue("cloudpilot.mode", String.class).orElse("server")
                .trim().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "instant" -> new InstantClusters(
                    config.getOptionalValue("instant.kubeconfig", String.class).filter(s -> !s.isBlank()).map(Path::of),
                    ClientSettings.from(config));
            case "server" -> new ServerClusters(config);
            default -> throw new IllegalArgumentException("cloudpilot.mode must be server or instant, not '" + mode + "'");
        };
    }

    /** The plugin directories of {@code plugins.dirs}; default {@code <install>/plugins} and {@code ./dist/plugins}. */
    static List<Path> pluginDirectories(Config config) {
        Optional<String> configured = config.getOptionalValue("plugins.dirs", String.class);
        List<Path> dirs = new ArrayList<>();
        if (configured.isPresent()) {
            for (String d : configured.get().split(",")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d.trim()));
                }
            }
            return dirs;
        }
        config.getOptionalValue("cloudpilot.home", String.class).ifPresent(home -> dirs.add(Path.of(home, "plugins")));
        dirs.add(Path.of("dist", "plugins"));
        return dirs;
    }
}
