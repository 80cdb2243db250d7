package io.cloudpilot.platform.http;

import io.cloudpilot.platform.cache.CacheOutcome;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Tells the caller how fresh the answer is: {@code X-Cache: HIT|MISS|BYPASS|STALE} and {@code Age} (seconds
 * since the data was read from the cluster) on every response that read through the cache.
 */
@Provider
@PreMatching
public class CacheHeadersFilter implements ContainerRequestFilter, ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        request.setProperty(CacheOutcome.class.getName(), CacheOutcome.begin());
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object o = request.getProperty(CacheOutcome.class.getName());
        CacheOutcome.end();
        if (o instanceof CacheOutcome outcome && outcome.status() != null) {
            response.getHeaders().putSingle("X-Cache", outcome.status().name());
            response.getHeaders().putSingle("Age", Long.toString(outcome.ageSeconds(System.currentTimeMillis())));
        }
    }
}
