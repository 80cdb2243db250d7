package io.cloudpilot.platform.http;

import io.cloudpilot.platform.metrics.PlatformMetrics;

import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Counts every API request by endpoint (the path template, never the concrete path or query, so labels stay few
 * and carry no caller data), method and status code.
 */
@Provider
public class RequestMetricsFilter implements ContainerResponseFilter {

    @Context
    private ResourceInfo resource;

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        PlatformMetrics.httpRequest(template(), request.getMethod(), response.getStatus());
    }

    private String template() {
        if (resource == null || resource.getResourceClass() == null || resource.getResourceMethod() == null) {
            return "unmatched";
        }
        Path classPath = resource.getResourceClass().getAnnotation(Path.class);
        Path methodPath = resource.getResourceMethod().getAnnotation(Path.class);
        String path = "/" + (classPath == null ? "" : classPath.value()) + "/" + (methodPath == null ? "" : methodPath.value());
        path = path.replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
