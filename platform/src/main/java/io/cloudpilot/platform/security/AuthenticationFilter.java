package io.cloudpilot.platform.security;

import java.util.List;
import java.util.Locale;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.audit.RequestAudit;
import io.cloudpilot.spi.ApiException;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
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
public class AuthenticationFilter extends SecurityFilter {

    static final String NO_TOKEN = "This endpoint needs an API token: send the header Authorization: Bearer <token> "
            + "(docs/security.md).";
    static final String BAD_TOKEN = "The API token was not accepted: it is not one of the tokens configured on this "
            + "server (mistyped, revoked, or meant for another server).";
    static final String BAD_KUBERNETES_TOKEN = "The bearer token was not accepted: the Kubernetes API server did not "
            + "authenticate it (invalid, expired, or meant for another cluster or audience), and it is not one of the API "
            + "tokens configured on this server.";
    static final String NOT_BEARER = "Only bearer tokens are accepted: send the header Authorization: Bearer <token>.";

    @Override
    void filter(ContainerRequestContext request, Security s) {
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
        Caller caller = s.authenticate(h.substring(7).strip()).orElseThrow(() -> denied(
                s.kubernetes().isPresent() ? BAD_KUBERNETES_TOKEN : BAD_TOKEN));
        request.setProperty(Caller.PROPERTY, caller);
        RequestAudit audit = RequestAudit.current();
        if (audit != null) {
            audit.caller(caller.name(), caller.roleName());
        }
        if (caller.kubernetes() != null && s.kubernetes().isPresent()) {
            // Helidon's own endpoints (/metrics, /openapi, /health) never reach the post-matching AuthorizationFilter;
            // judged by the path as Helidon will route it, so //metrics or /x/../metrics is /metrics here too
            String path = normalized(request);
            if (FeaturePaths.contains(path)) {
                AuthorizationFilter.requireKubernetes(s, caller,
                        List.of(KubernetesPermissions.nonResource(request.getMethod(), path)));
            }
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

    /** The decoded path with empty, {@code .} and {@code ..} segments resolved (never above the root). */
    private static String normalized(ContainerRequestContext request) {
        java.util.Deque<String> segments = new java.util.ArrayDeque<>();
        for (String segment : request.getUriInfo().getPath(true).split("[/\\\\]")) {
            if (segment.equals("..")) {
                segments.pollLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return "/" + String.join("/", segments);
    }

    private static ApiException.Unauthenticated denied(String message) {
        RequestAudit audit = RequestAudit.current();
        if (audit != null) {
            audit.denied();
        }
        return new ApiException.Unauthenticated(message);
    }
}
