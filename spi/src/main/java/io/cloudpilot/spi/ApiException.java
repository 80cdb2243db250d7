package io.cloudpilot.spi;

/**
 * An error a plugin or the platform answers with. The platform renders it as the contract's envelope:
 * HTTP status = {@link #status()}, {@code message} = {@link #getMessage()} (one sentence that says what went
 * wrong and what to do), {@code data} = {@code {error_type, details}}. Messages are shown to callers: they
 * never contain a token, a kubeconfig or a key.
 *
 * <p>One subclass per {@code error_type} of the contract.
 */
public abstract sealed class ApiException extends RuntimeException {

    private final String details;

    /**
     * @param message one sentence for the caller
     * @param details more detail for the caller, or null
     * @param cause   the cause, or null; never shown to the caller
     */
    protected ApiException(String message, String details, Throwable cause) {
        super(message, cause, false, cause != null);
        this.details = details;
    }

    /** A quoted value longer than this is shortened by {@link #quote}. */
    public static final int QUOTED_MAX = 80;

    /**
     * How a message quotes a value the caller sent (a parameter's value, a field's name): in single quotes, control
     * characters shown as U+FFFD, and a value longer than {@value #QUOTED_MAX} characters cut to its first half with
     * its length ({@code 'abc…' (412 characters)}). Only the caller's value is ever shortened, never the sentence
     * around it, so messages quote callers' values through this and nothing else.
     *
     * @param value what the caller sent, or null
     * @return the value quoted for a message
     */
    public static String quote(String value) {
        if (value == null) {
            return "''";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), QUOTED_MAX) + 24).append('\'');
        int shown = value.length() > QUOTED_MAX ? QUOTED_MAX / 2 : value.length();
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? '\uFFFD' : c);
        }
        if (shown < value.length()) {
            out.append("…' (").append(value.length()).append(" characters)");
        } else {
            out.append('\'');
        }
        return out.toString();
    }

    /**
     * @return the HTTP status and envelope {@code code}
     */
    public abstract int status();

    /**
     * @return the envelope's {@code data.error_type}
     */
    public String errorType() {
        return getClass().getSimpleName();
    }

    /**
     * @return the envelope's {@code data.details}: more detail, or the message when there is none
     */
    public String details() {
        return details == null ? getMessage() : details;
    }

    /** 400: a missing or malformed parameter, an invalid name, a value out of range, the wrong mode. */
    public static final class ValidationError extends ApiException {
        /** @param message what is wrong with the input and what is accepted */
        public ValidationError(String message) {
            super(message, null, null);
        }

        /**
         * @param message what is wrong
         * @param details the offending parameter and the accepted values
         */
        public ValidationError(String message, String details) {
            super(message, details, null);
        }

        @Override
        public int status() {
            return 400;
        }
    }

    /** 401: CloudPilot's own API authentication is on and the caller has no valid credential. */
    public static final class Unauthenticated extends ApiException {
        /** @param message what credential is expected */
        public Unauthenticated(String message) {
            super(message, null, null);
        }

        @Override
        public int status() {
            return 401;
        }
    }

    /** 403: the caller's role forbids the operation, or the cluster's RBAC denied the call (the message says which). */
    public static final class Forbidden extends ApiException {
        /**
         * @param message who denied what
         * @param cause   the upstream error, or null
         */
        public Forbidden(String message, Throwable cause) {
            super(message, null, cause);
        }

        @Override
        public int status() {
            return 403;
        }
    }

    /** 404: no cluster of that name is registered (or it is not the instant cluster). */
    public static final class ClusterNotFound extends ApiException {
        /** @param message which cluster, and how to list the known ones */
        public ClusterNotFound(String message) {
            super(message, null, null);
        }

        @Override
        public int status() {
            return 404;
        }
    }

    /** 404: the named object does not exist, or the path is unknown. */
    public static final class NotFound extends ApiException {
        /** @param message what was not found, and where it was looked for */
        public NotFound(String message) {
            super(message, null, null);
        }

        @Override
        public int status() {
            return 404;
        }
    }

    /** 404: the Istio CRDs or workloads are absent from the cluster or namespace. */
    public static final class IstioNotInstalled extends ApiException {
        /** @param message where Istio was looked for */
        public IstioNotInstalled(String message) {
            super(message, null, null);
        }

        @Override
        public int status() {
            return 404;
        }
    }

    /** 405: the path exists but not for this HTTP method. */
    public static final class MethodNotAllowed extends ApiException {
        /** @param message which methods the path accepts */
        public MethodNotAllowed(String message) {
            super(message, null, null);
        }

        @Override
        public int status() {
            return 405;
        }
    }

    /** 409: the cluster name is already registered and the request did not ask to replace it. */
    public static final class Conflict extends ApiException {
        /** @param message what conflicts and how to replace it */
        public Conflict(String message) {
            super(message, null, null);
        }

        @Override
        public int status() {
            return 409;
        }
    }

    /** 500: a bug. Never for bad input or an unreachable cluster. */
    @SuppressWarnings("AvoidCommonTypeNames") // the contract's error_type; always written ApiException.InternalError
    public static final class InternalError extends ApiException {
        /**
         * @param message a sentence without internals
         * @param cause   the bug; logged, never shown
         */
        public InternalError(String message, Throwable cause) {
            super(message, null, cause);
        }

        @Override
        public int status() {
            return 500;
        }
    }

    /** 503: the cluster cannot be reached, answered with a server error, or its circuit is open. */
    public static final class ClusterUnavailable extends ApiException {
        /**
         * @param message which cluster and what happened
         * @param cause   the upstream error, or null; never shown
         */
        public ClusterUnavailable(String message, Throwable cause) {
            super(message, null, cause);
        }

        @Override
        public int status() {
            return 503;
        }
    }

    /** 503: the cluster did not answer within the configured bound. */
    public static final class ClusterTimeout extends ApiException {
        /**
         * @param message which cluster and which bound
         * @param cause   the timeout, or null; never shown
         */
        public ClusterTimeout(String message, Throwable cause) {
            super(message, null, cause);
        }

        @Override
        public int status() {
            return 503;
        }
    }
}
