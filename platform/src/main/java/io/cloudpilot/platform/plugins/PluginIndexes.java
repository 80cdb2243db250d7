package io.cloudpilot.platform.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jboss.jandex.Index;
import org.jboss.jandex.IndexWriter;
import org.jboss.jandex.Indexer;

/**
 * The Jandex index of each loaded directory plugin, for OpenAPI: the one its jar carries, or, for a plugin built
 * without one, an index of its resource and bean classes made here, so that no plugin's endpoints go undocumented.
 */
public final class PluginIndexes {

    private static final System.Logger LOG = System.getLogger(PluginIndexes.class.getName());
    private static final String INDEX = "META-INF/jandex.idx";

    private PluginIndexes() {
    }

    /**
     * A context class loader for Helidon's OpenAPI that also sees the plugins' indexes and classes.
     *
     * @param parent   the current context class loader
     * @param plugins  the started plugins
     * @param platform the platform's class loader
     * @param dataDir  where indexes made here are written
     * @return the class loader, or null when no plugin comes from a plugin directory
     */
    public static ClassLoader classLoader(ClassLoader parent, InstalledPlugins plugins, ClassLoader platform,
                                          Path dataDir) {
        if (plugins.classLoaders().isEmpty()) {
            return null;
        }
        ClassLoader context = parent;
        // a server started earlier in this JVM (tests start many) left its own as the context loader: extend what
        // it extended, or every start would nest one more, and resource lookups double with each level
        while (context instanceof PluginIndexClassLoader earlier) {
            context = earlier.getParent();
        }
        return new PluginIndexClassLoader(context, plugins.classLoaders(), of(plugins.all(), platform, dataDir));
    }

    @SuppressWarnings("ReferenceEquality") // which class loader: identity is the question
    static List<URL> of(List<LoadedPlugin> plugins, ClassLoader platform, Path dataDir) {
        List<URL> result = new ArrayList<>();
        List<URL> inherited;
        try {
            inherited = Collections.list(platform.getResources(INDEX));
        } catch (IOException e) {
            inherited = List.of();
        }
        for (LoadedPlugin p : plugins) {
            ClassLoader loader = p.plugin() == null ? null : p.plugin().getClass().getClassLoader();
            if (p.status() != LoadedPlugin.Status.LOADED || loader == null || loader == platform) {
                continue; // class-path plugins' indexes are already visible
            }
            try {
                List<URL> own = new ArrayList<>(Collections.list(loader.getResources(INDEX)));
                own.removeAll(inherited);
                if (!own.isEmpty()) {
                    result.addAll(own);
                } else {
                    result.add(build(p, dataDir));
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Cannot index plugin {0} for OpenAPI; its endpoints will be missing there: {1}",
                        p.id(), e.toString());
            }
        }
        return result;
    }

    private static URL build(LoadedPlugin p, Path dataDir) throws IOException {
        Indexer indexer = new Indexer();
        List<Class<?>> classes = new ArrayList<>(p.resources());
        classes.addAll(p.beans());
        for (Class<?> type : classes) {
            index(indexer, type);
            for (Class<?> nested : type.getDeclaredClasses()) {
                index(indexer, nested); // the records its endpoints return
            }
        }
        Index index = indexer.complete();
        Path dir = Files.createDirectories(dataDir.resolve("plugins").resolve(p.id()));
        Path file = dir.resolve("generated-jandex.idx");
        try (OutputStream out = Files.newOutputStream(file)) {
            new IndexWriter(out).write(index);
        }
        return file.toUri().toURL();
    }

    private static void index(Indexer indexer, Class<?> type) throws IOException {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                indexer.index(in);
            }
        }
    }
}
