package io.cloudpilot.platform.security;

import io.cloudpilot.platform.beans.LazyBean;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * A request filter of API security: it runs only when authentication is on (API tokens or JWTs configured).
 */
abstract class SecurityFilter implements ContainerRequestFilter {

    private final LazyBean<Security> security = LazyBean.of(Security.class);

    @Override
    public final void filter(ContainerRequestContext request) {
        Security s = security.get();
        if (s.enabled()) {
            filter(request, s);
        }
    }

    /**
     * @param request  the request
     * @param security the server's security, enabled
     */
    abstract void filter(ContainerRequestContext request, Security security);
}
