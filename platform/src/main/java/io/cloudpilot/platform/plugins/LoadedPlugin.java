package io.cloudpilot.platform.plugins;

import java.util.List;
import java.util.Set;

import io.cloudpilot.spi.Plugin;

/**
 * One plugin as found by {@link PluginLoader}: where it came from, and whether it runs.
 *
 * @param id        the plugin id, or the jar's name when the id could not be read
 * @param version   the plugin version, or "unknown"
 * @param source    the jar or directory it came from, or "classpath:&lt;location&gt;"
 * @param status    loaded, failed or disabled
 * @param reason    why it failed or is disabled; null when loaded
 * @param plugin    the instance, null when it could not be created
 * @param resources its JAX-RS resource classes (mounted only when loaded)
 * @param beans     its other CDI bean classes
 * @param paths     what it mounts, e.g. {@code GET /k8s/overview/cluster}
 * @param loader    the class loader of its classes: its own {@link PluginClassLoader}, or the platform's for a
 *                  plugin on the class path; null when it was never loaded
 */
public record LoadedPlugin(String id, String version, String source, Status status, String reason, Plugin plugin,
                           Set<Class<?>> resources, Set<Class<?>> beans, List<String> paths, ClassLoader loader) {

    /** A plugin's state. */
    public enum Status {
        /** Started and mounted. */
        LOADED,
        /** Could not be loaded or started; see the reason. */
        FAILED,
        /** Switched off by {@code plugins.<id>.enabled=false}. */
        DISABLED
    }

    /** @return whether it is started and mounted */
    public boolean loaded() {
        return status == Status.LOADED;
    }

    static LoadedPlugin failed(String id, String source, String reason) {
        return new LoadedPlugin(id, "unknown", source, Status.FAILED, reason, null, Set.of(), Set.of(), List.of(), null);
    }

    LoadedPlugin withVersion(String newVersion) {
        return new LoadedPlugin(id, newVersion, source, status, reason, plugin, resources, beans, paths, loader);
    }

    LoadedPlugin withStatus(Status newStatus, String newReason) {
        return new LoadedPlugin(id, version, source, newStatus, newReason, plugin, resources, beans,
                newStatus == Status.LOADED ? paths : List.of(), loader);
    }
}
