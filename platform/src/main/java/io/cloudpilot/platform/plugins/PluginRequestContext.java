package io.cloudpilot.platform.plugins;

import io.cloudpilot.platform.beans.LazyBean;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Runs each request to a plugin's endpoint with the plugin's class loader as the thread's context class loader: set
 * once the endpoint is matched, before the resource is created and called, and put back when the answer is filtered.
 */
@Provider
@Priority(Priorities.USER + 1000)
public class PluginRequestContext implements ContainerRequestFilter, ContainerResponseFilter {

    private static final String PREVIOUS = PluginRequestContext.class.getName() + ".previous";

    @Context
    private ResourceInfo resourceInfo;

    private final LazyBean<InstalledPlugins> plugins = LazyBean.of(InstalledPlugins.class);

    @Override
    public void filter(ContainerRequestContext request) {
        Class<?> resource = resourceInfo == null ? null : resourceInfo.getResourceClass();
        if (resource == null) {
            return;
        }
        plugins.get().owner(resource).ifPresent(p -> {
            Thread thread = Thread.currentThread();
            request.setProperty(PREVIOUS, new Previous(thread.getContextClassLoader()));
            thread.setContextClassLoader(p.loader());
        });
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(PREVIOUS) instanceof Previous previous) {
            Thread.currentThread().setContextClassLoader(previous.loader());
            request.removeProperty(PREVIOUS);
        }
    }

    /** The context class loader before the plugin's (a holder: a request property cannot be null). */
    private record Previous(ClassLoader loader) {
    }
}
