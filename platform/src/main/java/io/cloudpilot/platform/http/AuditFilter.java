package io.cloudpilot.platform.http;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.audit.RequestAudit;
import io.cloudpilot.platform.beans.LazyBean;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Opens the audit of every request before anything else runs (authentication included) and, when the answer is
 * known, hands it to the {@link AuditTrail}: every write and every denied request leaves an entry.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class AuditFilter implements ContainerRequestFilter, ContainerResponseFilter {

    private final LazyBean<AuditTrail> trail = LazyBean.of(AuditTrail.class);

    @Override
    public void filter(ContainerRequestContext request) {
        String path;
        String cluster;
        try {
            path = "/" + request.getUriInfo().getPath(true);
            cluster = request.getUriInfo().getQueryParameters().getFirst("cluster_name");
        } catch (RuntimeException malformed) {
            // a request Jersey cannot decode is still audited (if it is a write or refused), by its raw path
            path = request.getUriInfo().getRequestUri().getRawPath();
            cluster = null;
        }
        RequestAudit audit = RequestAudit.begin(request.getMethod(), path, cluster);
        request.setProperty(RequestAudit.class.getName(), audit);
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        try {
            if (request.getProperty(RequestAudit.class.getName()) instanceof RequestAudit audit) {
                String errorType = response.getEntity() instanceof Envelope e && e.data() instanceof Envelope.ErrorData d
                        ? d.errorType() : null;
                trail.get().finish(audit, response.getStatus(), errorType);
            }
        } finally {
            RequestAudit.end();
        }
    }
}
