package io.cloudpilot.spi;

import java.util.List;
import java.util.Set;

/**
 * A CloudPilot feature, found by {@link java.util.ServiceLoader}: the platform loads every
 * {@code Plugin} on its class path and in its plugin directories, starts it, and mounts its JAX-RS
 * resources.
 *
 * <p>Only {@link #id()} is abstract. Every other method has a default, and every method added to
 * this interface later will have one too, so a plugin built against an older SPI keeps loading.
 */
public interface Plugin {

    /**
     * The plugin's unique id: lower-case letters, digits and dashes ({@code k8s-resources}). It names the
     * plugin's configuration ({@code plugins.<id>.*}) and must equal the jar manifest's {@code Plugin-Id}.
     *
     * @return the id
     */
    String id();

    /**
     * The plugin's version as shown by {@code GET /plugins}.
     *
     * @return the version, by default the jar manifest's {@code Plugin-Version} or {@code unknown}
     */
    default String version() {
        String v = getClass().getPackage() == null ? null : getClass().getPackage().getImplementationVersion();
        return v == null ? "unknown" : v;
    }

    /**
     * The JAX-RS resource classes ({@code @Path}) the platform mounts for this plugin. They are CDI beans:
     * they may inject {@link Clusters}, {@link ResourceCache} and {@link PluginContext}.
     *
     * @return resource classes, empty by default
     */
    default Set<Class<?>> resources() {
        return Set.of();
    }

    /**
     * Further CDI bean classes of the plugin (services its resources inject). Plugin jars carry no
     * {@code beans.xml}; only classes named here and in {@link #resources()} become beans.
     *
     * @return bean classes, empty by default
     */
    default Set<Class<?>> beans() {
        return Set.of();
    }

    /**
     * What this plugin adds to the mesh health summary.
     *
     * @return contributors, empty by default
     */
    default List<HealthContributor> healthContributors() {
        return List.of();
    }

    /**
     * Called once, before the server accepts requests. A plugin whose {@code start} throws is reported as
     * failed and none of its resources is mounted; the server starts with the other plugins.
     *
     * @param context the platform services and this plugin's configuration
     * @throws Exception when the plugin cannot work
     */
    default void start(PluginContext context) throws Exception {
    }

    /**
     * Called once when the server stops; releases what {@link #start} acquired.
     */
    default void close() {
    }
}
