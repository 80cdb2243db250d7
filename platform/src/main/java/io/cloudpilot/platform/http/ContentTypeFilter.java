package io.cloudpilot.platform.http;

import io.cloudpilot.spi.ApiException;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses a {@code Content-Type} that is not a media type at all (e.g. {@code nonsense}) with the envelope's
 * 415, before resource matching would fail on it with an empty 400.
 */
@Provider
@PreMatching
@Priority(Priorities.HEADER_DECORATOR)
public class ContentTypeFilter implements ContainerRequestFilter {

    @Override
    public void filter(ContainerRequestContext request) {
        String type = request.getHeaderString("Content-Type");
        if (type == null) {
            return;
        }
        try {
            MediaType.valueOf(type);
        } catch (IllegalArgumentException e) {
            throw new ApiException.ValidationError("The Content-Type header is not a media type: send "
                    + "Content-Type: application/json with a JSON body.");
        }
    }
}
