package io.cloudpilot.platform.security;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.audit.RequestAudit;
import io.cloudpilot.spi.ApiException;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * Checks, once the endpoint is known, that the caller's role allows it ({@link AccessPolicy}): 403
 * {@code Forbidden} otherwise. Unknown paths and wrong methods never get here, so an authenticated caller sees 404
 * and 405 as usual.
 */
@Provider
@Priority(Priorities.AUTHORIZATION)
public class AuthorizationFilter extends SecurityFilter {

    @Context
    private ResourceInfo resource;

    @Override
    void filter(ContainerRequestContext request, Security s) {
        Path classPath = resource == null || resource.getResourceClass() == null ? null
                : resource.getResourceClass().getAnnotation(Path.class);
        String template;
        if (classPath == null) {
            // Jersey's own handlers (the automatic OPTIONS and HEAD, whose class is Jersey's): judge by the path itself
            template = AccessPolicy.template(request.getUriInfo().getPath(), null);
        } else {
            Path methodPath = resource.getResourceMethod() == null ? null
                    : resource.getResourceMethod().getAnnotation(Path.class);
            template = AccessPolicy.template(classPath.value(), methodPath == null ? null : methodPath.value());
        }
        String method = request.getMethod();
        if (!(request.getProperty(Caller.PROPERTY) instanceof Caller caller)) {
            // reached without a token through an open path: only reads of an endpoint that is itself open
            if (!AuditTrail.isWrite(method) && s.settings().isOpen(template)) {
                return;
            }
            markDenied();
            throw new ApiException.Unauthenticated(AuthenticationFilter.NO_TOKEN);
        }
        if (caller.kubernetes() != null && s.kubernetes().isPresent()) {
            Class<?> type = resource == null ? null : resource.getResourceClass();
            java.lang.reflect.Method endpoint = resource == null ? null : resource.getResourceMethod();
            requireKubernetes(s, caller, KubernetesPermissions.of(type, endpoint, template, request));
            return;
        }
        Role required = AccessPolicy.required(method, template);
        if (!caller.role().allows(required)) {
            markDenied();
            throw new ApiException.Forbidden("CloudPilot's role '" + caller.role().wire() + "' of caller "
                    + ApiException.quote(caller.name()) + " does not allow " + method + " " + template
                    + ": it needs the role '" + required.wire() + "' (docs/security.md).", null);
        }
    }

    /**
     * Asks the cluster's RBAC (SubjectAccessReviews) whether a Kubernetes caller may do what the request needs.
     *
     * @throws ApiException.Forbidden naming what is missing (audited as denied); 503 when a review cannot be made
     */
    static void requireKubernetes(Security s, Caller caller, java.util.List<KubernetesAccess> needed) {
        try {
            s.kubernetes().orElseThrow().authorizer().require(caller.kubernetes(), needed);
        } catch (ApiException.Forbidden e) {
            markDenied();
            throw e;
        }
    }

    private static void markDenied() {
        RequestAudit audit = RequestAudit.current();
        if (audit != null) {
            audit.denied();
        }
    }
}
