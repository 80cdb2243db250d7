package io.cloudpilot.platform.http;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.stream.Collectors;

import io.cloudpilot.platform.errors.Causes;
import io.cloudpilot.platform.security.FeaturePaths;
import io.cloudpilot.spi.ApiException;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The one place where exceptions become error envelopes. {@link ApiException}s carry their own status and
 * sentence; JAX-RS' own errors (unknown path, wrong method, bad body) get the contract's types; anything else
 * is a bug: 500 {@code InternalError}, logged with its stack trace, and never shown to the caller.
 */
@Provider
public class ErrorMapper implements ExceptionMapper<Throwable> {

    private static final System.Logger LOG = System.getLogger(ErrorMapper.class.getName());

    @Context
    private UriInfo uriInfo;

    @Override
    public Response toResponse(Throwable error) {
        String path = uriInfo == null ? "" : "/" + uriInfo.getPath();
        if (error instanceof NotFoundException && FeaturePaths.contains(path)) {
            // Helidon passes an unmatched request on to its next route only if JAX-RS wrote no body
            return Response.status(404).build();
        }
        Envelope envelope = toEnvelope(error, path);
        Response.ResponseBuilder response = Response.status(envelope.code())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(envelope);
        if (error instanceof NotAllowedException notAllowed) {
            response.allow(notAllowed.getResponse().getAllowedMethods());
        }
        if (envelope.code() == 413 || closesConnection(error)) {
            // the rest of the body was never read, or its framing is broken: no other request can follow on it
            response.header("Connection", "close");
        }
        if (error instanceof ApiException.Unauthenticated) {
            // RFC 6750: the scheme the caller must use
            response.header("WWW-Authenticate", "Bearer realm=\"cloudpilot\"");
        }
        return response.build();
    }

    /**
     * @param error an exception thrown while serving {@code path}
     * @param path  the request path, for the message
     * @return the error envelope
     */
    public static Envelope toEnvelope(Throwable error, String path) {
        if ((RequestDeadline.expired() && !(error instanceof ApiException api && api.status() < 500))
                || hasInterruptedCause(error)) {
            // the request's deadline (cloudpilot.request-timeout) interrupted whatever it was waiting on
            LOG.log(Level.DEBUG, () -> path + ": request deadline passed", error);
            return deadlinePassed(RequestDeadline.seconds());
        }
        BodyTooLarge tooLarge = causeOf(error, BodyTooLarge.class);
        if (tooLarge != null) {
            return Envelope.error(413, "The request body is larger than this endpoint accepts (" + tooLarge.limit()
                    + " bytes); send a smaller body (docs/security.md lists the limits).", BodyTooLarge.ERROR_TYPE,
                    "body limit: " + tooLarge.limit() + " bytes");
        }
        Envelope edge = edgeError(error);
        if (edge != null) {
            return edge;
        }
        if (error instanceof ApiException api) {
            if (api.status() >= 500 && api.getCause() != null) {
                LOG.log(Level.DEBUG, () -> path + ": " + api.getMessage(), api.getCause());
            }
            return Envelope.error(api.status(), api.getMessage(), api.errorType(), api.details());
        }
        if (error instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
            // no resource carries MicroProfile Fault Tolerance's @Timeout any more (docs/decisions/0013), but a
            // third-party plugin still may
            return deadlinePassed(RequestDeadline.seconds());
        }
        if (error instanceof NotFoundException) {
            return notFound(path);
        }
        if (error instanceof NotAllowedException notAllowed) {
            Set<String> allowed = notAllowed.getResponse().getAllowedMethods();
            String methods = allowed.stream().sorted().collect(Collectors.joining(", "));
            return Envelope.error(405, "The endpoint " + path + " does not accept this method; it accepts " + methods + ".",
                    "MethodNotAllowed", "allowed methods: " + methods);
        }
        if (error instanceof NotSupportedException) {
            return Envelope.error(415, "This endpoint takes a JSON body: send Content-Type: application/json.",
                    "ValidationError", "unsupported content type");
        }
        if (error instanceof NotAcceptableException) {
            return Envelope.error(406, "This endpoint answers application/json only.", "ValidationError",
                    "not acceptable");
        }
        if (error instanceof BadRequestException bad) {
            String message = bad.getMessage() == null || bad.getMessage().startsWith("HTTP 400")
                    ? "The request is malformed: check its parameters and body against /openapi."
                    : bad.getMessage();
            return Envelope.error(400, message, "ValidationError", message);
        }
        if (error instanceof WebApplicationException web && web.getResponse().getStatus() < 500) {
            int status = web.getResponse().getStatus();
            return Envelope.error(status, "The request cannot be served (HTTP " + status + ").", "ValidationError",
                    "HTTP " + status);
        }
        LOG.log(Level.ERROR, "Unexpected error serving " + path, error);
        return Envelope.error(500, "CloudPilot failed unexpectedly; the server log has the details.",
                "InternalError", "internal error");
    }

    /**
     * @param path the request path
     * @return the answer to a path no endpoint serves
     */
    static Envelope notFound(String path) {
        return Envelope.error(404, "No endpoint at " + path + ": see /openapi for the list of endpoints.",
                "NotFound", "unknown path " + path);
    }

    /**
     * The edge's refusal or the web server's own error, raised while an endpoint read the body (a malformed chunk,
     * a body over the payload limit, a client that closed mid-body): the same answer the edge gives, never a 500,
     * and nothing logged, since the exception's message may hold what the body carried.
     *
     * @param error an exception thrown while serving a request
     * @return its envelope, or null when it is not an error of the request's HTTP framing
     */
    private static Envelope edgeError(Throwable error) {
        Refusal refusal = causeOf(error, Refusal.class);
        if (refusal != null) {
            return refusal.envelope();
        }
        io.helidon.http.RequestException request = causeOf(error, io.helidon.http.RequestException.class);
        if (request != null && request.status().code() < 500) {
            return EdgeErrors.envelope(request.status().code(), "");
        }
        if (causeOf(error, io.helidon.common.buffers.DataReader.InsufficientDataAvailableException.class) != null) {
            return Envelope.error(400, "The request body ended before its declared length.", "ValidationError",
                    "truncated body");
        }
        return null;
    }

    /**
     * @param error an exception thrown while serving a request
     * @return whether its answer must close the connection: the rest of the request stream cannot be trusted
     */
    static boolean closesConnection(Throwable error) {
        return edgeError(error) != null;
    }

    /**
     * @param seconds the request's bound
     * @return the answer to a request that did not complete within it
     */
    static Envelope deadlinePassed(String seconds) {
        return Envelope.error(503, "The request did not complete within " + seconds + " s (cloudpilot.request-timeout); "
                + "a cluster it reads may be slow. Try again, or narrow the request.", "ClusterTimeout",
                "request timed out");
    }

    private static boolean hasInterruptedCause(Throwable error) {
        return causeOf(error, InterruptedException.class) != null;
    }

    private static <T extends Throwable> T causeOf(Throwable error, Class<T> type) {
        return Causes.find(error, type).orElse(null);
    }
}
