package io.cloudpilot.platform.registry;

import io.cloudpilot.platform.cluster.ServerClusters;
import io.cloudpilot.platform.plugins.PlatformBeans;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Server mode is ready only while the registry's database is usable (checked again at most every 5 s). In instant
 * mode there is no registry and this check is always up.
 */
@Readiness
@ApplicationScoped
public class RegistryReadiness implements HealthCheck {

    private final PlatformBeans platform;

    /**
     * @param platform the platform's services
     */
    @Inject
    public RegistryReadiness(PlatformBeans platform) {
        this.platform = platform;
    }

    /** Required by CDI for the client proxy. */
    protected RegistryReadiness() {
        this.platform = null;
    }

    @Override
    public HealthCheckResponse call() {
        var services = platform.services();
        if (services == null || !(services.clusters() instanceof ServerClusters server)) {
            return HealthCheckResponse.named("cluster-registry").up().withData("used", false).build();
        }
        ClusterRegistry registry = server.registry();
        boolean healthy = registry.healthy();
        // /health is open: the kind of database, never its file, host or driver message (those are in the log)
        var response = HealthCheckResponse.named("cluster-registry").status(healthy)
                .withData("database", registry.database().dialect().name().toLowerCase(java.util.Locale.ROOT))
                .withData("schema_version", registry.schemaVersion());
        registry.lastError().ifPresent(e -> response.withData("error", "the database cannot be used; the server log "
                + "says why"));
        return response.build();
    }
}
