package io.cloudpilot.platform.plugins;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;

import io.cloudpilot.k8s.syntax.Names;
import io.cloudpilot.spi.Plugin;

/**
 * Finds plugins: those on the platform's class path, and those in the plugin directories, where each
 * sub-directory (all its jars) and each loose jar is one plugin with a {@link PluginClassLoader} of its own.
 *
 * <p>A plugin from a directory is accepted on its files alone ({@link PluginFiles}: permissions, manifest
 * {@code Plugin-Id} and {@code Plugin-Spi-Version}, one {@link Plugin} service, no bundled copy of a provided API), then
 * on its id being unique and enabled; none of its code runs before that. Only then is it instantiated and asked
 * for its resources, which must be {@code @Path} classes serving endpoints no other plugin serves. A plugin that
 * fails is reported and skipped; it never stops the others.
 */
public final class PluginLoader {

    /** The SPI version this platform implements; plugins built for a newer one are refused. */
    public static final int SPI_VERSION = 1;

    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());

    private final ClassLoader parent;
    private final List<Path> directories;
    private final Predicate<String> enabled;
    private final List<PluginClassLoader> loaders = new ArrayList<>();

    /**
     * @param parent      the platform's class loader: where class-path plugins and the provided APIs come from
     * @param directories plugin directories, absolute; those that do not exist are skipped
     * @param enabled     whether a plugin id is enabled ({@code plugins.<id>.enabled})
     */
    public PluginLoader(ClassLoader parent, List<Path> directories, Predicate<String> enabled) {
        this.parent = parent;
        this.directories = directories;
        this.enabled = enabled;
    }

    /**
     * Finds and validates every plugin, class path first, then each directory in order; the first plugin of an id
     * wins.
     *
     * @return every plugin found, loaded or not
     */
    public List<LoadedPlugin> discover() {
        List<LoadedPlugin> found = new ArrayList<>();
        Map<String, LoadedPlugin> byId = new HashMap<>();
        // the class path is the platform's own: its plugins are trusted like the platform and instantiated to be named
        for (ServiceLoader.Provider<Plugin> provider : classPathProviders(found)) {
            LoadedPlugin p = describe(provider, "classpath:" + location(provider.type()), parent);
            found.add(unique(p, byId));
        }
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                LOG.log(Level.DEBUG, "Plugin directory {0} does not exist; skipped", dir);
                continue;
            }
            List<Path> entries;
            try {
                entries = PluginFiles.entries(dir);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Cannot list plugin directory {0}: {1}", dir, e.getMessage());
                continue;
            }
            Optional<String> open = PluginFiles.writableByOthers(dir);
            for (Path entry : entries) {
                if (open.isPresent()) {
                    found.add(report(LoadedPlugin.failed(entry.getFileName().toString(),
                            entry.toAbsolutePath().normalize().toString(), open.get())));
                    continue;
                }
                found.add(fromDirectoryEntry(entry, byId));
            }
        }
        return checkEndpoints(found);
    }

    /**
     * @return the class loaders created for plugin directories and jars
     */
    public List<PluginClassLoader> classLoaders() {
        return List.copyOf(loaders);
    }

    private LoadedPlugin fromDirectoryEntry(Path entry, Map<String, LoadedPlugin> byId) {
        PluginFiles.Inspection inspection = PluginFiles.inspect(entry, SPI_VERSION);
        if (inspection.refused() != null) {
            return report(inspection.refused());
        }
        PluginFiles.Candidate c = inspection.candidate();
        LoadedPlugin first = byId.get(c.id());
        if (first != null) {
            return report(LoadedPlugin.failed(c.id(), c.source(), "duplicate plugin id '" + c.id()
                    + "': already loaded from " + first.source()));
        }
        if (!enabled.test(c.id())) {
            LOG.log(Level.INFO, "Plugin {0} from {1} is disabled by plugins.{0}.enabled=false", c.id(), c.source());
            LoadedPlugin disabled = LoadedPlugin.failed(c.id(), c.source(), null)
                    .withVersion(c.version() == null ? "unknown" : c.version())
                    .withStatus(LoadedPlugin.Status.DISABLED, "disabled by plugins." + c.id() + ".enabled=false");
            byId.put(c.id(), disabled);
            return disabled;
        }
        // accepted: from here on its code runs, in its own class loader
        PluginClassLoader loader;
        try {
            List<URL> urls = new ArrayList<>();
            for (Path jar : c.jars()) {
                urls.add(jar.toUri().toURL());
            }
            loader = new PluginClassLoader(c.id(), urls, parent);
        } catch (MalformedURLException e) {
            return report(LoadedPlugin.failed(c.id(), c.source(), "bad path: " + e.getMessage()));
        }
        loaders.add(loader);
        List<LoadedPlugin> failures = new ArrayList<>();
        Optional<ServiceLoader.Provider<Plugin>> provider = providers(ServiceLoader.load(Plugin.class, loader),
                failures, c.source()).stream()
                .filter(p -> p.type().getName().equals(c.pluginClass()) && p.type().getClassLoader() == loader)
                .findFirst();
        if (!failures.isEmpty()) {
            return report(failures.getFirst());
        }
        if (provider.isEmpty()) {
            return report(LoadedPlugin.failed(c.id(), c.source(), "the service file names " + c.pluginClass()
                    + ", which does not load as a Plugin from the plugin's jars"));
        }
        LoadedPlugin described = describe(provider.get(), c.source(), loader);
        if ("unknown".equals(described.version()) && c.version() != null) {
            // Plugin.version()'s default promises the manifest's Plugin-Version; it can only read Implementation-Version
            described = described.withVersion(c.version());
        }
        if (described.status() == LoadedPlugin.Status.LOADED && !described.id().equals(c.id())) {
            return report(described.withStatus(LoadedPlugin.Status.FAILED, "manifest Plugin-Id '" + c.id()
                    + "' differs from the plugin's id() '" + described.id() + "'"));
        }
        if (described.status() != LoadedPlugin.Status.FAILED) {
            byId.put(c.id(), described);
        }
        return described;
    }

    private LoadedPlugin describe(ServiceLoader.Provider<Plugin> provider, String source, ClassLoader loader) {
        Plugin plugin;
        try {
            plugin = PluginCalls.in(loader, provider::get);
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            return report(LoadedPlugin.failed(provider.type().getName(), source,
                    "cannot create " + provider.type().getName() + ": " + describe(e)));
        }
        String id;
        try {
            id = PluginCalls.in(loader, plugin::id);
        } catch (RuntimeException | LinkageError e) {
            return report(LoadedPlugin.failed(provider.type().getName(), source, "id() failed: " + describe(e)));
        }
        if (!Names.isDns1123Label(id)) {
            return report(LoadedPlugin.failed(String.valueOf(id), source, "invalid plugin id '" + id
                    + "': use lower-case letters, digits and '-'"));
        }
        String version;
        Set<Class<?>> resources;
        Set<Class<?>> beans;
        try {
            version = PluginCalls.in(loader, plugin::version);
            resources = PluginCalls.in(loader, () -> Set.copyOf(plugin.resources()));
            beans = PluginCalls.in(loader, () -> Set.copyOf(plugin.beans()));
        } catch (RuntimeException | LinkageError e) {
            return report(LoadedPlugin.failed(id, source, "cannot list its classes: " + describe(e)));
        }
        List<String> paths = new ArrayList<>();
        for (Class<?> resource : resources) {
            if (resource.getAnnotation(jakarta.ws.rs.Path.class) == null) {
                return report(new LoadedPlugin(id, version, source, LoadedPlugin.Status.FAILED,
                        "resource " + resource.getName() + " has no @Path annotation", plugin, resources, beans,
                        List.of(), loader));
            }
            Endpoint.of(resource).forEach(e -> paths.add(e.toString()));
        }
        paths.sort(Comparator.naturalOrder());
        LoadedPlugin result = new LoadedPlugin(id, version == null ? "unknown" : version, source,
                LoadedPlugin.Status.LOADED, null, plugin, resources, beans, List.copyOf(paths), loader);
        if (!enabled.test(id)) {
            LOG.log(Level.INFO, "Plugin {0} from {1} is disabled by plugins.{0}.enabled=false", id, source);
            return result.withStatus(LoadedPlugin.Status.DISABLED, "disabled by plugins." + id + ".enabled=false");
        }
        return result;
    }

    /** A class-path plugin whose id an earlier one has is refused. */
    private static LoadedPlugin unique(LoadedPlugin p, Map<String, LoadedPlugin> byId) {
        if (p.status() == LoadedPlugin.Status.FAILED) {
            return p;
        }
        LoadedPlugin first = byId.get(p.id());
        if (first != null) {
            return report(p.withStatus(LoadedPlugin.Status.FAILED, "duplicate plugin id '" + p.id()
                    + "': already loaded from " + first.source()));
        }
        byId.put(p.id(), p);
        return p;
    }

    /** A plugin serving an endpoint (or an operationId) that an earlier plugin serves is refused. */
    private static List<LoadedPlugin> checkEndpoints(List<LoadedPlugin> found) {
        Map<String, String> pathOwner = new HashMap<>();
        Map<String, String> operationOwner = new HashMap<>();
        List<LoadedPlugin> result = new ArrayList<>();
        for (LoadedPlugin p : found) {
            if (p.status() != LoadedPlugin.Status.LOADED) {
                result.add(p);
                continue;
            }
            List<Endpoint> endpoints = p.resources().stream().flatMap(r -> Endpoint.of(r).stream()).toList();
            Optional<Endpoint> clash = endpoints.stream().filter(e -> pathOwner.containsKey(e.toString())).findFirst();
            if (clash.isPresent()) {
                result.add(report(p.withStatus(LoadedPlugin.Status.FAILED, "endpoint " + clash.get()
                        + " is already served by plugin '" + pathOwner.get(clash.get().toString()) + "'")));
                continue;
            }
            Optional<Endpoint> sameId = endpoints.stream()
                    .filter(e -> operationOwner.containsKey(e.operationId())).findFirst();
            if (sameId.isPresent()) {
                result.add(report(p.withStatus(LoadedPlugin.Status.FAILED, "endpoint " + sameId.get()
                        + " would have the OpenAPI operationId " + sameId.get().operationId() + " of "
                        + operationOwner.get(sameId.get().operationId()) + ": choose another path")));
                continue;
            }
            endpoints.forEach(e -> {
                pathOwner.put(e.toString(), p.id());
                operationOwner.put(e.operationId(), "plugin '" + p.id() + "' (" + e + ")");
            });
            result.add(p);
        }
        return result;
    }

    private List<ServiceLoader.Provider<Plugin>> classPathProviders(List<LoadedPlugin> failures) {
        return providers(ServiceLoader.load(Plugin.class, parent), failures, "classpath");
    }

    private static List<ServiceLoader.Provider<Plugin>> providers(ServiceLoader<Plugin> serviceLoader,
                                                                  List<LoadedPlugin> failures, String source) {
        List<ServiceLoader.Provider<Plugin>> result = new ArrayList<>();
        var it = serviceLoader.stream().iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                result.add(it.next());
            } catch (ServiceConfigurationError e) {
                failures.add(report(LoadedPlugin.failed("unknown", source, "bad Plugin service entry: " + describe(e))));
            }
        }
        return result;
    }

    private static String location(Class<?> type) {
        CodeSource cs = type.getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? type.getName() : cs.getLocation().getPath();
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static LoadedPlugin report(LoadedPlugin failed) {
        LOG.log(Level.WARNING, "Plugin {0} from {1} not loaded: {2}", failed.id(), failed.source(), failed.reason());
        return failed;
    }
}
