package io.cloudpilot.platform.plugins;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin directory or jar, modelled on Trino's {@code PluginClassLoader}: its parent is the
 * JDK's platform class loader, so a plugin sees the JDK and its own jars first; only the packages of
 * {@link ProvidedApis} (the SPI and the APIs the platform provides) come from the platform's class loader. A plugin
 * cannot load a platform-internal class (Helidon, CloudPilot's platform), and a library it bundles is its own copy
 * even when the platform or another plugin has another version of it.
 */
public final class PluginClassLoader extends URLClassLoader {

    private final String pluginName;
    private final ClassLoader platform;

    /**
     * @param pluginName the plugin's id or file name, for messages
     * @param jars       the plugin's jars
     * @param platform   the platform's class loader, which answers for the provided packages
     */
    public PluginClassLoader(String pluginName, List<URL> jars, ClassLoader platform) {
        super("plugin:" + pluginName, jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
        this.pluginName = pluginName;
        this.platform = platform;
    }

    /** @return the plugin's id or file name */
    public String pluginName() {
        return pluginName;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> type = findLoadedClass(name);
            if (type == null) {
                // a provided class only ever comes from the platform, never from a copy in the plugin's jars
                type = ProvidedApis.isProvided(name) ? platform.loadClass(name) : super.loadClass(name, false);
            }
            if (resolve) {
                resolveClass(type);
            }
            return type;
        }
    }

    @Override
    public URL getResource(String name) {
        return ProvidedApis.isProvidedResource(name) ? platform.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return ProvidedApis.isProvidedResource(name) ? platform.getResources(name) : super.getResources(name);
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + pluginName + "]";
    }
}
