package io.cloudpilot.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failed API request, answered as a Kubernetes {@code Status} object with the code, reason and message wording of
 * a real API server.
 */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;
    private final transient Map<String, Object> details;

    ApiException(int code, String reason, String message, Map<String, Object> details) {
        super(message);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    int code() {
        return code;
    }

    static ApiException notFound(String resource, String group, String name) {
        String qualified = qualified(resource, group);
        Map<String, Object> details = details(resource, group, name);
        return new ApiException(404, "NotFound", qualified + " \"" + name + "\" not found", details);
    }

    private static String qualified(String resource, String group) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    /** Kubernetes' status details of one object: name, group when there is one, kind. */
    private static Map<String, Object> details(String resource, String group, String name) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", name);
        if (group != null && !group.isEmpty()) {
            details.put("group", group);
        }
        details.put("kind", resource);
        return details;
    }

    static ApiException noSuchPath() {
        return new ApiException(404, "NotFound", "the server could not find the requested resource", Map.of());
    }

    static ApiException methodNotAllowed() {
        return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested "
                + "resource", Map.of());
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message, null);
    }

    static ApiException invalid(String message) {
        return new ApiException(422, "Invalid", message, null);
    }

    static ApiException conflict(String resource, String group, String name) {
        String qualified = qualified(resource, group);
        Map<String, Object> details = details(resource, group, name);
        return new ApiException(409, "Conflict", "Operation cannot be fulfilled on " + qualified + " \"" + name
                + "\": the object has been modified; please apply your changes to the latest version and try again",
                details);
    }

    static ApiException unsupportedMediaType(String contentType) {
        return new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - "
                + "accepted media types include: application/json-patch+json, application/merge-patch+json, "
                + "application/apply-patch+yaml (got " + contentType + ")", null);
    }

    static ApiException unauthorized() {
        return new ApiException(401, "Unauthorized", "Unauthorized", null);
    }

    static ApiException internal(String message) {
        return new ApiException(500, "InternalError", "Internal error occurred: " + message, null);
    }

    /**
     * @return the {@code Status} object
     */
    Map<String, Object> status() {
        return status(code, reason, getMessage(), details);
    }

    static Map<String, Object> status(int code, String reason, String message, Map<String, Object> details) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("kind", "Status");
        status.put("apiVersion", "v1");
        status.put("metadata", Map.of());
        status.put("status", "Failure");
        status.put("message", message);
        status.put("reason", reason);
        if (details != null) {
            status.put("details", details);
        }
        status.put("code", code);
        return status;
    }
}
