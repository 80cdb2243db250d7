package io.cloudpilot.platform.registry;


import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
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

    private final Instance<ServerClusters> registry;

    /**
     * @param registry the registry's clusters, in server mode only
     */
    @Inject
    public RegistryReadiness(Instance<ServerClusters> registry) {
        this.registry = registry;
    }

    /** Required by CDI for the client proxy. */
    protected RegistryReadiness() {
        this.registry = null;
    }

    @Override
    public HealthCheckResponse call() {
        if (!this.registry.isResolvable()) {
            return HealthCheckResponse.named("cluster-registry").up().withData("used", false).build();
        }
        ClusterRegistry registry = this.registry.get().registry();
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
