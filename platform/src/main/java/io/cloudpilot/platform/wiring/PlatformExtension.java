package io.cloudpilot.platform.wiring;

import java.util.Map;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.plugins.InstalledPlugins;
import io.cloudpilot.platform.plugins.LoadedPlugin;
import io.cloudpilot.platform.plugins.PluginIndexes;
import io.cloudpilot.platform.registry.ServerClusters;
import io.cloudpilot.platform.security.Security;
import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.ResourceCache;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Default;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.BeforeShutdown;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;

/**
 * Hands the composition root ({@link Platform}) to CDI. Before bean discovery it builds the platform and starts the
 * plugins (decision 0001: a plugin that fails must not be mounted), then adds the resource and bean classes of the
 * plugins that started; after discovery it adds one bean per platform service, of that service's own type
 * ({@link Security}, {@link AuditTrail}, {@link InstalledPlugins}, {@link ServerClusters} in server mode, and the SPI's
 * {@link Clusters}, {@link ResourceCache}, {@link AuditLog}), and one per object a plugin provided to its resources.
 */
public class PlatformExtension implements Extension {

    private volatile Platform platform;

    void beforeBeanDiscovery(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
        Config config = ConfigProvider.getConfig();
        Platform started = Platform.start(config);
        platform = started;
        for (LoadedPlugin p : started.plugins().loaded()) {
            for (Class<?> type : p.resources()) {
                event.addAnnotatedType(beanManager.createAnnotatedType(type), "cloudpilot:" + p.id() + ":" + type.getName());
            }
            for (Class<?> type : p.beans()) {
                event.addAnnotatedType(beanManager.createAnnotatedType(type), "cloudpilot:" + p.id() + ":" + type.getName());
            }
        }
        // Helidon's OpenAPI reads Jandex indexes through the context class loader: show it the plugins' indexes too.
        ClassLoader withPlugins = PluginIndexes.classLoader(Thread.currentThread().getContextClassLoader(),
                started.plugins(), Platform.class.getClassLoader(), started.dataDir());
        if (withPlugins != null) {
            // MicroProfile Config is looked up per context class loader: the new one must see this server's config,
            // or Helidon would build a default one for it (and, e.g., bind the default port); decision 0005
            ConfigProviderResolver.instance().registerConfig(config, withPlugins);
            Thread.currentThread().setContextClassLoader(withPlugins);
        }
    }

    void afterBeanDiscovery(@Observes AfterBeanDiscovery event) {
        Platform p = platform;
        bean(event, Security.class, p.security());
        bean(event, AuditTrail.class, p.audit());
        bean(event, AuditLog.class, p.audit());
        bean(event, Clusters.class, p.guarded());
        bean(event, ResourceCache.class, p.cache());
        bean(event, InstalledPlugins.class, p.plugins());
        if (p.clusters() instanceof ServerClusters server) {
            bean(event, ServerClusters.class, server);
        }
        for (Map.Entry<Class<?>, Object> provided : p.plugins().provided().entrySet()) {
            bean(event, provided.getKey(), provided.getValue());
        }
    }

    void beforeShutdown(@Observes BeforeShutdown event) {
        Platform p = platform;
        if (p != null) {
            p.close();
        }
    }

    /** @return the running platform; available from bean discovery on */
    public Platform platform() {
        return platform;
    }

    /** One instance, injected as exactly this type (a {@code ServerClusters} is not also a {@code Clusters} bean). */
    private static void bean(AfterBeanDiscovery event, Class<?> type, Object instance) {
        event.addBean()
                .beanClass(type)
                .types(type, Object.class)
                .qualifiers(Default.Literal.INSTANCE, Any.Literal.INSTANCE)
                .scope(Singleton.class)
                .createWith(c -> instance);
    }
}
