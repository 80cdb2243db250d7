package io.cloudpilot.platform.plugins;

import java.nio.file.Path;
import java.util.List;

import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.ResourceCache;

import org.eclipse.microprofile.config.Config;

/**
 * The platform's services, built once before bean discovery so that plugins can be started (and failed ones
 * left unmounted) before the server routes a request. CDI producers hand the same instances to resources.
 *
 * @param config   the server's configuration
 * @param dataDir  the data directory
 * @param clusters the clusters of the configured mode (the registry itself in server mode)
 * @param guarded  the same clusters as plugins see them: writes through {@code call} are guarded
 * @param cache    the shared cache
 * @param audit    where writes are recorded
 * @param plugins  every plugin found, loaded or not
 */
public record PlatformServices(Config config, Path dataDir, Clusters clusters, Clusters guarded, ResourceCache cache,
                               AuditLog audit, List<LoadedPlugin> plugins) {

    /** @return the health contributors of the loaded plugins, in load order */
    public List<HealthContributor> healthContributors() {
        return plugins.stream()
                .filter(p -> p.status() == LoadedPlugin.Status.LOADED)
                .flatMap(p -> p.plugin().healthContributors().stream())
                .toList();
    }
}
