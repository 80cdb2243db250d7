package com.example.hello;

import java.util.List;
import java.util.Set;

import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;

/**
 * The hello plugin: {@code GET /hello/greeting} and {@code GET /hello/namespaces}, and a health contributor that
 * names the namespaces nobody owns. Found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services/io.cloudpilot.spi.Plugin}.
 */
public final class HelloPlugin implements Plugin {

    private volatile PluginContext context;

    @Override
    public String id() {
        return "hello";
    }

    @Override
    public Set<Class<?>> resources() {
        return Set.of(HelloResource.class);
    }

    @Override
    public List<HealthContributor> healthContributors() {
        return List.of(new NamespaceOwnersHealth(() -> context));
    }

    @Override
    public void start(PluginContext context) {
        this.context = context;
    }
}
