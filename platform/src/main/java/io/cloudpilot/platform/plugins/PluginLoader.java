package io.cloudpilot.platform.plugins;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.cloudpilot.spi.Plugin;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

/**
 * Finds plugins: those on the platform's class path, and those in the plugin directories, where each
 * sub-directory (all its jars) and each loose jar is one plugin with a class loader of its own. Validates
 * each before it is started: manifest {@code Plugin-Id} and {@code Plugin-Spi-Version}, a {@link Plugin}
 * service, a unique id, resources that are {@code @Path} classes with paths no other plugin mounts.
 * A plugin that fails is reported and skipped; it never stops the others.
 */
public final class PluginLoader {

    /** The SPI version this platform implements; plugins built for a newer one are refused. */
    public static final int SPI_VERSION = 1;

    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    private static final Pattern ID = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final ClassLoader parent;
    private final List<Path> directories;
    private final Predicate<String> enabled;
    private final List<URLClassLoader> loaders = new ArrayList<>();

    /**
     * @param parent      the platform's class loader (parent of every plugin loader)
     * @param directories plugin directories; those that do not exist are skipped
     * @param enabled     whether a plugin id is enabled ({@code plugins.<id>.enabled})
     */
    public PluginLoader(ClassLoader parent, List<Path> directories, Predicate<String> enabled) {
        this.parent = parent;
        this.directories = directories;
        this.enabled = enabled;
    }

    /**
     * Finds and validates every plugin, class path first, then each directory in order.
     *
     * @return every plugin found, loaded or not
     */
    public List<LoadedPlugin> discover() {
        List<LoadedPlugin> found = new ArrayList<>();
        for (ServiceLoader.Provider<Plugin> provider : providers(ServiceLoader.load(Plugin.class, parent), found,
                "classpath")) {
            found.add(describe(provider, "classpath:" + location(provider.type())));
        }
        for (Path dir : directories) {
            if (!Files.isDirectory(dir)) {
                LOG.log(Level.DEBUG, "Plugin directory {0} does not exist; skipped", dir);
                continue;
            }
            for (Path entry : entries(dir)) {
                found.add(fromDirectoryEntry(entry));
            }
        }
        return checkConflicts(found);
    }

    /**
     * @return the class loaders created for plugin directories and jars
     */
    public List<URLClassLoader> classLoaders() {
        return List.copyOf(loaders);
    }

    @SuppressWarnings("ReferenceEquality") // which class loader: identity is the question
    private LoadedPlugin fromDirectoryEntry(Path entry) {
        String source = entry.toAbsolutePath().normalize().toString();
        List<Path> jars = Files.isDirectory(entry) ? jarsIn(entry) : List.of(entry);
        if (jars.isEmpty()) {
            return report(LoadedPlugin.failed(entry.getFileName().toString(), source,
                    "the directory holds no .jar file"));
        }
        Optional<Attributes> manifest;
        try {
            manifest = pluginManifest(jars);
        } catch (IOException e) {
            return report(LoadedPlugin.failed(entry.getFileName().toString(), source,
                    "cannot read the jar: " + e.getMessage()));
        }
        URLClassLoader loader;
        try {
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < jars.size(); i++) {
                urls[i] = jars.get(i).toUri().toURL();
            }
            loader = new URLClassLoader("plugin:" + entry.getFileName(), urls, parent);
        } catch (MalformedURLException e) {
            return report(LoadedPlugin.failed(entry.getFileName().toString(), source, "bad path: " + e.getMessage()));
        }
        loaders.add(loader);
        List<LoadedPlugin> sink = new ArrayList<>();
        List<ServiceLoader.Provider<Plugin>> own = providers(ServiceLoader.load(Plugin.class, loader), sink, source)
                .stream()
                .filter(p -> p.type().getClassLoader() == loader)
                .toList();
        if (!sink.isEmpty()) {
            return report(sink.getFirst());
        }
        String fallbackId = manifest.map(m -> m.getValue("Plugin-Id")).orElse(entry.getFileName().toString());
        if (own.isEmpty()) {
            return report(LoadedPlugin.failed(fallbackId, source, "no Plugin service: the jar needs a "
                    + "META-INF/services/io.cloudpilot.spi.Plugin file naming its Plugin class"));
        }
        if (own.size() > 1) {
            return report(LoadedPlugin.failed(fallbackId, source, "more than one Plugin service ("
                    + own.stream().map(p -> p.type().getName()).toList() + "): a plugin jar or directory holds one plugin"));
        }
        if (manifest.isEmpty()) {
            return report(LoadedPlugin.failed(fallbackId, source, "the jar manifest lacks Plugin-Id and "
                    + "Plugin-Spi-Version: build the plugin with the CloudPilot plugin parent or add them"));
        }
        String spi = manifest.get().getValue("Plugin-Spi-Version");
        int spiVersion;
        try {
            spiVersion = Integer.parseInt(spi == null ? "" : spi.trim());
        } catch (NumberFormatException e) {
            return report(LoadedPlugin.failed(fallbackId, source, "manifest Plugin-Spi-Version '" + spi
                    + "' is not a number; this platform implements SPI version " + SPI_VERSION));
        }
        if (spiVersion > SPI_VERSION || spiVersion < 1) {
            return report(LoadedPlugin.failed(fallbackId, source, "built for SPI version " + spiVersion
                    + ", but this platform implements SPI version " + SPI_VERSION + "; use a plugin built for it"));
        }
        LoadedPlugin described = describe(own.getFirst(), source);
        String manifestVersion = manifest.get().getValue("Plugin-Version");
        if ("unknown".equals(described.version()) && manifestVersion != null && !manifestVersion.isBlank()) {
            // Plugin.version()'s default promises the manifest's Plugin-Version; it can only read Implementation-Version
            described = described.withVersion(manifestVersion.trim());
        }
        if (described.status() == LoadedPlugin.Status.LOADED
                && !described.id().equals(manifest.get().getValue("Plugin-Id"))) {
            return report(described.withStatus(LoadedPlugin.Status.FAILED, "manifest Plugin-Id '"
                    + manifest.get().getValue("Plugin-Id") + "' differs from the plugin's id() '" + described.id() + "'"));
        }
        return described;
    }

    private LoadedPlugin describe(ServiceLoader.Provider<Plugin> provider, String source) {
        Plugin plugin;
        try {
            plugin = provider.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            return report(LoadedPlugin.failed(provider.type().getName(), source,
                    "cannot create " + provider.type().getName() + ": " + describe(e)));
        }
        String id;
        try {
            id = plugin.id();
        } catch (RuntimeException e) {
            return report(LoadedPlugin.failed(provider.type().getName(), source, "id() failed: " + describe(e)));
        }
        if (id == null || !ID.matcher(id).matches() || id.length() > 63) {
            return report(LoadedPlugin.failed(String.valueOf(id), source, "invalid plugin id '" + id
                    + "': use lower-case letters, digits and '-'"));
        }
        String version;
        Set<Class<?>> resources;
        Set<Class<?>> beans;
        try {
            version = plugin.version();
            resources = Set.copyOf(plugin.resources());
            beans = Set.copyOf(plugin.beans());
        } catch (RuntimeException | LinkageError e) {
            return report(LoadedPlugin.failed(id, source, "cannot list its classes: " + describe(e)));
        }
        List<String> paths = new ArrayList<>();
        for (Class<?> resource : resources) {
            jakarta.ws.rs.Path classPath = resource.getAnnotation(jakarta.ws.rs.Path.class);
            if (classPath == null) {
                return report(new LoadedPlugin(id, version, source, LoadedPlugin.Status.FAILED,
                        "resource " + resource.getName() + " has no @Path annotation", plugin, resources, beans,
                        List.of()));
            }
            paths.addAll(paths(classPath.value(), resource));
        }
        paths.sort(Comparator.naturalOrder());
        LoadedPlugin result = new LoadedPlugin(id, version == null ? "unknown" : version, source,
                LoadedPlugin.Status.LOADED, null, plugin, resources, beans, List.copyOf(paths));
        if (!enabled.test(id)) {
            LOG.log(Level.INFO, "Plugin {0} from {1} is disabled by plugins.{0}.enabled=false", id, source);
            return result.withStatus(LoadedPlugin.Status.DISABLED, "disabled by plugins." + id + ".enabled=false");
        }
        return result;
    }

    private List<LoadedPlugin> checkConflicts(List<LoadedPlugin> found) {
        Map<String, LoadedPlugin> byId = new HashMap<>();
        Map<String, String> pathOwner = new HashMap<>();
        List<LoadedPlugin> result = new ArrayList<>();
        for (LoadedPlugin p : found) {
            if (p.status() == LoadedPlugin.Status.FAILED) {
                result.add(p);
                continue;
            }
            LoadedPlugin first = byId.get(p.id());
            if (first != null) {
                result.add(report(p.withStatus(LoadedPlugin.Status.FAILED, "duplicate plugin id '" + p.id()
                        + "': already loaded from " + first.source())));
                continue;
            }
            if (p.status() == LoadedPlugin.Status.LOADED) {
                Optional<String> clash = p.paths().stream().filter(pathOwner::containsKey).findFirst();
                if (clash.isPresent()) {
                    result.add(report(p.withStatus(LoadedPlugin.Status.FAILED, "endpoint " + clash.get()
                            + " is already served by plugin '" + pathOwner.get(clash.get()) + "'")));
                    continue;
                }
                p.paths().forEach(path -> pathOwner.put(path, p.id()));
            }
            byId.put(p.id(), p);
            result.add(p);
        }
        return result;
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

    private static Optional<Attributes> pluginManifest(List<Path> jars) throws IOException {
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                if (file.getManifest() != null && file.getManifest().getMainAttributes().getValue("Plugin-Id") != null) {
                    return Optional.of(file.getManifest().getMainAttributes());
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot list plugin directory {0}: {1}", dir, e.getMessage());
            return List.of();
        }
    }

    private static List<Path> jarsIn(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static List<String> paths(String classPath, Class<?> resource) {
        Set<String> result = new LinkedHashSet<>();
        for (Method m : resource.getMethods()) {
            String verb = verb(m);
            if (verb == null) {
                continue;
            }
            jakarta.ws.rs.Path methodPath = m.getAnnotation(jakarta.ws.rs.Path.class);
            result.add(verb + " " + join(classPath, methodPath == null ? "" : methodPath.value()));
        }
        return List.copyOf(result);
    }

    private static String verb(Method m) {
        if (m.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (m.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (m.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        if (m.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        if (m.isAnnotationPresent(PATCH.class)) {
            return "PATCH";
        }
        if (m.isAnnotationPresent(HEAD.class)) {
            return "HEAD";
        }
        return null;
    }

    private static String join(String a, String b) {
        String path = ("/" + a + "/" + b).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
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
