package io.cloudpilot.platform.wiring;

import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.cache.CaffeineResourceCache;
import io.cloudpilot.platform.cache.WatchCache;
import io.cloudpilot.platform.cluster.ClientSettings;
import io.cloudpilot.platform.cluster.ClusterGuards;
import io.cloudpilot.platform.cluster.ClusterObserver;
import io.cloudpilot.platform.cluster.GuardedClusters;
import io.cloudpilot.platform.cluster.InstantClusters;
import io.cloudpilot.platform.http.ServedRequest;
import io.cloudpilot.platform.plugins.InstalledPlugins;
import io.cloudpilot.platform.plugins.LoadedPlugin;
import io.cloudpilot.platform.plugins.PluginClassLoader;
import io.cloudpilot.platform.plugins.PluginDirectories;
import io.cloudpilot.platform.plugins.PluginLoader;
import io.cloudpilot.platform.registry.Database;
import io.cloudpilot.platform.registry.RegistryConfig;
import io.cloudpilot.platform.registry.ServerClusters;
import io.cloudpilot.platform.security.AuthSettings;
import io.cloudpilot.platform.security.Security;
import io.cloudpilot.platform.security.TokenSafeLogging;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.ResourceCache;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * The composition root: every service of the platform, built once, in one place, in dependency order, then the
 * plugins found and started on them. {@link PlatformExtension} hands each service to CDI as a bean of its own type;
 * nothing else builds one.
 *
 * @param config    the server's configuration
 * @param dataDir   the data directory
 * @param security  API authentication and roles
 * @param clusters  the clusters of the configured mode (the registry itself in server mode)
 * @param guarded   the same clusters as plugins see them: writes through {@code call} are guarded
 * @param cache     the shared cache (the watch cache in front of the TTL cache where configured)
 * @param audit     the audit log
 * @param plugins   the plugins, started
 */
public record Platform(Config config, Path dataDir, Security security, Clusters clusters, Clusters guarded,
                       ResourceCache cache, AuditTrail audit, InstalledPlugins plugins) implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Platform.class.getName());

    /**
     * Builds the platform's services and starts the plugins.
     *
     * @param config the server's configuration
     * @return the running platform
     */
    public static Platform start(Config config) {
        Path dataDir = Path.of(config.getOptionalValue("cloudpilot.data-dir", String.class).orElse("data"));
        // API authentication first: a server that must not start (no auth on a public address) starts nothing
        AuthSettings auth = AuthSettings.from(config);
        TokenSafeLogging.hold();
        auth.logStartup();
        Clusters clusters = clusters(config);
        // in server mode every call's outcome keeps the registry's reachability current (GET /k8s/cluster/list)
        ClusterGuards guards = new ClusterGuards(ClusterGuards.Settings.from(config),
                clusters instanceof ServerClusters server ? server : ClusterObserver.NONE);
        // lists of the large kinds are read by the cache itself, compactly (docs/performance.md)
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
        AuditTrail audit = auditTrail(config, dataDir, clusters);
        Clusters guarded = new GuardedClusters(clusters, guards, ServedRequest::clusterRead);
        // kubernetes mode: a cluster's API server reviews callers, under that cluster's guards
        Security security = Security.from(config, guarded);

        PluginLoader loader = new PluginLoader(Platform.class.getClassLoader(), PluginDirectories.of(config),
                id -> config.getOptionalValue("plugins." + id + ".enabled", Boolean.class).orElse(true));
        List<LoadedPlugin> found = loader.discover();
        for (PluginClassLoader pluginLoader : loader.classLoaders()) {
            // MicroProfile Config is looked up per context class loader (decision 0005), which is the plugin's own
            // during its calls
            ConfigProviderResolver.instance().registerConfig(config, pluginLoader);
        }
        InstalledPlugins plugins = InstalledPlugins.start(found, loader.classLoaders(),
                new InstalledPlugins.Services(config, dataDir, guarded, cache, audit));
        if (clusters instanceof ServerClusters server) {
            // kubeconfigs the plugins have just written (the demo's sandbox): served from the first request on
            server.registerAtStart(config);
        }
        return new Platform(config, dataDir, security, clusters, guarded, cache, audit, plugins);
    }

    /** Stops the plugins, then the services they used, in reverse order of building. */
    @Override
    public void close() {
        plugins.close();
        if (cache instanceof WatchCache watches) {
            watches.close();
        }
        // before the registry closes the database the audit rows go to
        audit.close();
        if (clusters instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Closing cluster clients failed: {0}", e.toString());
            }
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
}
