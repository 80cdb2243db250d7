package io.cloudpilot.platform.http;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Wraps what a resource returns into {@link Envelope}: resources return plain DTOs, every body leaves as
 * {@code {code, message, data}} with {@code code} = the HTTP status. Error envelopes built by the exception
 * mappers pass through unchanged.
 */
@Provider
public class EnvelopeFilter implements ContainerResponseFilter {

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        Object entity = response.getEntity();
        if (entity instanceof Envelope || (entity == null && response.getStatus() >= 400)) {
            return;
        }
        MediaType type = response.getMediaType();
        boolean json = type == null || "json".equalsIgnoreCase(type.getSubtype());
        if (!json || (entity instanceof String && type == null)) {
            return;
        }
        int status = response.getStatus();
        if (status == 204) {
            response.setStatus(200);
            status = 200;
        }
        response.setEntity(new Envelope(status, status < 300 ? "ok" : "error", entity),
                response.getEntityAnnotations(), MediaType.APPLICATION_JSON_TYPE);
    }
}
