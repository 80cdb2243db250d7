package io.cloudpilot.platform.http.edge;

import java.time.Duration;
import java.util.Optional;

import io.cloudpilot.platform.deadline.ThreadDeadline;

import org.eclipse.microprofile.config.Config;

/**
 * What the HTTP edge enforces on one socket.
 *
 * @param maxRequestLine   the longest request line, in bytes ({@code server.protocols.http_1_1.max-prologue-length});
 *                         longer: 414
 * @param maxHeaderSection the largest header section (and trailer section), in bytes
 *                         ({@code server.protocols.http_1_1.max-headers-size}); larger: 431
 * @param headerTimeout    how long a client may take to send a request's head, from its first byte (from the
 *                         connection's start for the first request); past it the connection is closed
 * @param hosts            the Host check when authentication is off, else empty
 */
public record EdgeRules(int maxRequestLine, int maxHeaderSection, Duration headerTimeout, Optional<HostCheck> hosts) {

    /** The key of {@link #headerTimeout()}. */
    public static final String HEADER_TIMEOUT = "cloudpilot.http.header-timeout";
    /** Its default. */
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    /** The longest chunk-size line (size and extensions) of a chunked body. */
    static final int MAX_CHUNK_LINE = 4096;

    /**
     * @param config           the server's configuration
     * @param maxRequestLine   the request line limit of the socket
     * @param maxHeaderSection the header section limit of the socket
     * @return the rules
     * @throws IllegalArgumentException when a setting is out of range
     */
    public static EdgeRules from(Config config, int maxRequestLine, int maxHeaderSection) {
        Duration timeout = config.getOptionalValue(HEADER_TIMEOUT, Duration.class).orElse(DEFAULT_HEADER_TIMEOUT);
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException(HEADER_TIMEOUT + " must be an ISO-8601 duration above 0 and at most "
                    + "PT10M (default " + DEFAULT_HEADER_TIMEOUT + "), not " + timeout + ".");
        }
        return new EdgeRules(maxRequestLine, maxHeaderSection, timeout, HostCheck.from(config));
    }

    /** @return the header timeout as messages show it, e.g. "10" */
    String headerTimeoutSeconds() {
        return ThreadDeadline.seconds(headerTimeout);
    }
}
