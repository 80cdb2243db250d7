package io.cloudpilot.platform.http;

/**
 * A request body larger than its endpoint accepts: 413 {@code PayloadTooLarge} in the envelope, and the connection
 * is closed (the rest of the body is never read).
 */
public final class BodyTooLarge extends RuntimeException {

    /** The {@code error_type} of the answer. */
    public static final String ERROR_TYPE = "PayloadTooLarge";

    private final long limit;

    /**
     * @param limit the most bytes the endpoint accepts
     */
    public BodyTooLarge(long limit) {
        super("request body over " + limit + " bytes", null, false, false);
        this.limit = limit;
    }

    /** @return the most bytes the endpoint accepts */
    public long limit() {
        return limit;
    }
}
