package io.cloudpilot.plugin.toolkit;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/**
 * The query parameters every log endpoint takes, as one {@code @BeanParam}. The platform validates their ranges
 * ({@code lines} 1..10000, {@code since_seconds} >= 1, booleans) and describes them in OpenAPI.
 */
public class LogParams {

    /** {@code lines}: lines per container from the end; null for the endpoint's default (100). */
    @QueryParam("lines")
    public Integer lines;

    /** {@code since_seconds}: only lines written in the last N seconds; null for all. */
    @QueryParam("since_seconds")
    public Long sinceSeconds;

    /** {@code previous}: the previous, terminated instance's log. */
    @QueryParam("previous")
    @DefaultValue("false")
    public boolean previous;

    /** {@code timestamps}: prefix each line with its RFC 3339 timestamp. */
    @QueryParam("timestamps")
    @DefaultValue("false")
    public boolean timestamps;
}
