package io.cloudpilot.platform.http;

import io.cloudpilot.platform.security.AccessPolicy;
import io.cloudpilot.platform.security.Caller;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Tells the request's {@link ServedRequest} what only JAX-RS knows: the path template of the endpoint it reached
 * (never the concrete path, so metrics labels stay few and carry no caller data) and the caller (its principal).
 */
@Provider
public class ServedRequestFilter implements ContainerResponseFilter {

    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        ServedRequest served = ServedRequest.current();
        if (served == null) {
            return;
        }
        if (resource != null && resource.getResourceClass() != null && resource.getResourceMethod() != null) {
            Path classPath = resource.getResourceClass().getAnnotation(Path.class);
            Path methodPath = resource.getResourceMethod().getAnnotation(Path.class);
            served.route(AccessPolicy.template(classPath == null ? null : classPath.value(),
                    methodPath == null ? null : methodPath.value()));
        }
        if (request.getProperty(Caller.PROPERTY) instanceof Caller caller) {
            served.principal(caller.name());
        }
    }
}
