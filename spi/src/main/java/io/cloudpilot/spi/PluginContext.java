package io.cloudpilot.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the platform gives one plugin: its configuration, the clusters, the shared cache, and the health
 * contributors of all plugins. Inject it into a plugin's resources, or keep the one passed to
 * {@link Plugin#start(PluginContext)}.
 *
 * <p>A plugin builds its services once, in {@code start}, and hands them to its resources with {@link #provide}:
 * <pre>{@code
 * public void start(PluginContext context) {
 *     context.provide(GreetingService.class, new GreetingService(context.cache(), context.config("greeting")));
 * }
 * // in a resource of the plugin
 * @Inject GreetingService greetings;
 * }</pre>
 */
public interface PluginContext {

    /**
     * @return the id of the plugin this context belongs to
     */
    String pluginId();

    /**
     * A configuration value under {@code plugins.<id>.}; {@code config("lines.max")} reads
     * {@code plugins.<id>.lines.max} from the config file, environment or system properties.
     *
     * @param key the key relative to the plugin's prefix
     * @return the value, if set
     */
    Optional<String> config(String key);

    /**
     * @return every configuration value under {@code plugins.<id>.}, keys relative to that prefix
     */
    Map<String, String> configuration();

    /**
     * @return a directory this plugin may write to (created on demand), under the server's data directory
     */
    Path dataDirectory();

    /**
     * @return the clusters this server serves
     */
    Clusters clusters();

    /**
     * @return the cache shared by all plugins
     */
    ResourceCache cache();

    /**
     * @return where to record writes to clusters
     */
    AuditLog audit();

    /**
     * @return the health contributors of every started plugin, in plugin load order
     */
    List<HealthContributor> healthContributors();

    /**
     * Makes an object the plugin built in {@link Plugin#start} injectable into the plugin's resources and beans
     * ({@code @Inject T}): one instance, shared by every request. Call it from {@code start} only; the type must be
     * one of the plugin's own classes (not an SPI type, not a provided API's), provided once.
     *
     * @param type     the type resources inject
     * @param instance the instance they get
     * @param <T>      the type
     * @throws IllegalStateException    when called after {@code start} returned
     * @throws IllegalArgumentException when the type is not the plugin's own, or is already provided
     */
    default <T> void provide(Class<T> type, T instance) {
        throw new UnsupportedOperationException("this PluginContext cannot provide services to resources");
    }
}
