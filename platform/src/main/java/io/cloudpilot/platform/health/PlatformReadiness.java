package io.cloudpilot.platform.health;

import io.cloudpilot.platform.plugins.LoadedPlugin;
import io.cloudpilot.platform.plugins.PlatformBeans;

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

    private final PlatformBeans platform;

    /**
     * @param platform the platform's services
     */
    @Inject
    public PlatformReadiness(PlatformBeans platform) {
        this.platform = platform;
    }

    /** Required by CDI for the client proxy. */
    protected PlatformReadiness() {
        this.platform = null;
    }

    @Override
    public HealthCheckResponse call() {
        var services = platform.services();
        if (services == null) {
            return HealthCheckResponse.named("cloudpilot").down().build();
        }
        long loaded = services.plugins().stream().filter(p -> p.status() == LoadedPlugin.Status.LOADED).count();
        long failed = services.plugins().stream().filter(p -> p.status() == LoadedPlugin.Status.FAILED).count();
        return HealthCheckResponse.named("cloudpilot").up()
                .withData("mode", services.clusters().mode().name().toLowerCase(java.util.Locale.ROOT))
                .withData("plugins_loaded", loaded)
                .withData("plugins_failed", failed)
                .build();
    }
}
