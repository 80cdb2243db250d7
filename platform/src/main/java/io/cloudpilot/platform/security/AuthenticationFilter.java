package io.cloudpilot.platform.security;

import java.util.Locale;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.audit.RequestAudit;
import io.cloudpilot.spi.ApiException;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Authenticates every request before it is matched to an endpoint, so an anonymous caller learns nothing about
 * which paths exist (401 first). The bearer token is hashed and looked up among the configured tokens; the caller
 * (the token's name and role) is kept for {@link AuthorizationFilter} and the audit log. Reads of the configured open
 * paths ({@code /health} by default) need no token. The presented token is never logged, stored or echoed.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFilter implements ContainerRequestFilter {

    static final String NO_TOKEN = "This endpoint needs an API token: send the header Authorization: Bearer <token> "
            + "(docs/security.md).";
    static final String BAD_TOKEN = "The API token was not accepted: it is not one of the tokens configured on this "
            + "server (mistyped, revoked, or meant for another server).";
    static final String NOT_BEARER = "Only bearer tokens are accepted: send the header Authorization: Bearer <token>.";

    private volatile Security security;

    @Override
    public void filter(ContainerRequestContext request) {
        Security s = security();
        if (!s.enabled()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            if (!AuditTrail.isWrite(request.getMethod()) && s.settings().isOpen(path(request))) {
                return;
            }
            throw denied(NO_TOKEN);
        }
        String h = header.strip();
        if (h.length() < 7 || !h.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            throw denied(NOT_BEARER);
        }
        Caller caller = s.authenticate(h.substring(7).strip()).orElseThrow(() -> denied(BAD_TOKEN));
        request.setProperty(Caller.PROPERTY, caller);
        RequestAudit audit = RequestAudit.current();
        if (audit != null) {
            audit.caller(caller.name(), caller.role().wire());
        }
    }

    /** The decoded path; a path with dot segments or empty segments is never an open one. */
    private static String path(ContainerRequestContext request) {
        String path = "/" + request.getUriInfo().getPath(true);
        if (path.contains("//") || path.contains("/./") || path.contains("/../") || path.endsWith("/.")
                || path.endsWith("/..") || path.contains("\\") || path.contains(";")) {
            return "/";
        }
        return path;
    }

    private static ApiException.Unauthenticated denied(String message) {
        RequestAudit audit = RequestAudit.current();
        if (audit != null) {
            audit.denied();
        }
        return new ApiException.Unauthenticated(message);
    }

    private Security security() {
        Security s = security;
        if (s == null) {
            s = CDI.current().select(Security.class).get();
            security = s;
        }
        return s;
    }
}
