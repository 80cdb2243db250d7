package io.cloudpilot.platform.health;

import io.cloudpilot.platform.plugins.InstalledPlugins;
import io.cloudpilot.platform.plugins.LoadedPlugin;
import io.cloudpilot.spi.Clusters;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the platform's services are built; reports how many plugins loaded and failed.
 */
@Readiness
@ApplicationScoped
public class PlatformReadiness implements HealthCheck {

    private final InstalledPlugins plugins;
    private final Clusters clusters;

    /**
     * @param plugins  this server's plugins
     * @param clusters the clusters (for the mode)
     */
    @Inject
    public PlatformReadiness(InstalledPlugins plugins, Clusters clusters) {
        this.plugins = plugins;
        this.clusters = clusters;
    }

    /** Required by CDI for the client proxy. */
    protected PlatformReadiness() {
        this.plugins = null;
        this.clusters = null;
    }

    @Override
    public HealthCheckResponse call() {
        long loaded = plugins.all().stream().filter(p -> p.status() == LoadedPlugin.Status.LOADED).count();
        long failed = plugins.all().stream().filter(p -> p.status() == LoadedPlugin.Status.FAILED).count();
        return HealthCheckResponse.named("cloudpilot").up()
                .withData("mode", clusters.mode().name().toLowerCase(java.util.Locale.ROOT))
                .withData("plugins_loaded", loaded)
                .withData("plugins_failed", failed)
                .build();
    }
}
