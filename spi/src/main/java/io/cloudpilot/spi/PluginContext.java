package io.cloudpilot.spi;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the platform gives one plugin: its configuration, the clusters, the shared cache, and the health
 * contributors of all plugins. Inject it into a plugin's resources, or keep the one passed to
 * {@link Plugin#start(PluginContext)}.
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
}
