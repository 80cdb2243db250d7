package io.cloudpilot.platform.wiring;

import io.cloudpilot.platform.plugins.InstalledPlugins;
import io.cloudpilot.platform.plugins.LoadedPlugin;
import io.cloudpilot.spi.PluginContext;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;

/**
 * Injects into each plugin's resources and beans the context that plugin was started with. Only classes a started
 * plugin declared ({@code resources()}, {@code beans()}) get one: anywhere else the injection is an error, never a
 * guess.
 */
@ApplicationScoped
public class PluginContexts {

    private final InstalledPlugins plugins;

    /**
     * @param plugins this server's plugins
     */
    @Inject
    public PluginContexts(InstalledPlugins plugins) {
        this.plugins = plugins;
    }

    /** Required by CDI for the client proxy. */
    protected PluginContexts() {
        this.plugins = null;
    }

    @Produces
    @Dependent
    PluginContext pluginContext(InjectionPoint injectionPoint) {
        Class<?> owner = injectionPoint.getBean() == null ? null : injectionPoint.getBean().getBeanClass();
        LoadedPlugin plugin = owner == null ? null : plugins.owner(owner).orElse(null);
        if (plugin == null) {
            throw new IllegalStateException("PluginContext is injected into the resources and beans a plugin declares "
                    + "(Plugin.resources(), Plugin.beans()); " + (owner == null ? injectionPoint.getMember()
                    : owner.getName()) + " is not one of them");
        }
        return plugins.context(plugin.id()).orElseThrow(() -> new IllegalStateException(
                "plugin " + plugin.id() + " has no context: it did not start"));
    }
}
