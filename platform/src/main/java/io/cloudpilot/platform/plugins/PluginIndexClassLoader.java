package io.cloudpilot.platform.plugins;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Lets Helidon's OpenAPI see plugin classes. Helidon reads {@code META-INF/jandex.idx} (and class bytes)
 * through the thread's context class loader, which cannot see jars in plugin directories; this loader, set as
 * the context class loader while the server starts, adds the plugins' index files and classes.
 */
final class PluginIndexClassLoader extends ClassLoader {

    private static final String INDEX = "META-INF/jandex.idx";

    private final List<? extends ClassLoader> plugins;
    private final List<URL> indexes;

    /**
     * @param parent  the context class loader it extends
     * @param plugins the plugins' class loaders
     * @param indexes one Jandex index per plugin
     */
    PluginIndexClassLoader(ClassLoader parent, List<? extends ClassLoader> plugins, List<URL> indexes) {
        super("cloudpilot-plugins-index", parent);
        this.plugins = List.copyOf(plugins);
        this.indexes = List.copyOf(indexes);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (ClassLoader loader : plugins) {
            try {
                return loader.loadClass(name);
            } catch (ClassNotFoundException e) {
                // next plugin
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (ClassLoader loader : plugins) {
            URL url = loader.getResource(name);
            if (url != null) {
                return url;
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        if (INDEX.equals(name)) {
            return Collections.enumeration(indexes);
        }
        List<URL> urls = new ArrayList<>();
        List<URL> inherited = Collections.list(getParent().getResources(name));
        for (ClassLoader loader : plugins) {
            // a plugin loader also answers its parent's resources: keep only the plugin's own
            for (URL url : Collections.list(loader.getResources(name))) {
                if (!inherited.contains(url) && !urls.contains(url)) {
                    urls.add(url);
                }
            }
        }
        return Collections.enumeration(urls);
    }
}
