package io.cloudpilot.platform.plugins;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.security.Security;
import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;
import jakarta.inject.Inject;

/**
 * Hands the platform's services to CDI beans (platform and plugin resources alike) as SPI interfaces.
 */
@ApplicationScoped
public class PlatformBeans {

    private final PluginExtension extension;
    private final Map<String, PluginContext> contexts = new ConcurrentHashMap<>();

    /**
     * @param extension the extension that built the services
     */
    @Inject
    public PlatformBeans(PluginExtension extension) {
        this.extension = extension;
    }

    /** Required by CDI for the client proxy. */
    protected PlatformBeans() {
        this.extension = null;
    }

    /** @return the platform's services */
    public PlatformServices services() {
        return extension.services();
    }

    /** @return the server's API authentication */
    public Security security() {
        return extension.security();
    }

    /** @return the server's audit log */
    public AuditTrail auditTrail() {
        return extension.auditTrail();
    }

    @Produces
    @ApplicationScoped
    Clusters clusters() {
        return extension.services().guarded();
    }

    @Produces
    @ApplicationScoped
    ResourceCache cache() {
        return extension.services().cache();
    }

    @Produces
    @ApplicationScoped
    AuditLog audit() {
        return extension.services().audit();
    }

    @Produces
    @Dependent
    PluginContext pluginContext(InjectionPoint injectionPoint) {
        Class<?> owner = injectionPoint.getBean() == null ? null : injectionPoint.getBean().getBeanClass();
        PlatformServices s = extension.services();
        String id = s.plugins().stream()
                .filter(p -> p.status() == LoadedPlugin.Status.LOADED)
                .filter(p -> owner != null && (p.resources().contains(owner) || p.beans().contains(owner)))
                .map(LoadedPlugin::id)
                .findFirst()
                .orElse("platform");
        return contexts.computeIfAbsent(id, k -> new DefaultPluginContext(k, s.config(), s.dataDir(), s.guarded(),
                s.cache(), s.audit(), s::healthContributors));
    }
}
