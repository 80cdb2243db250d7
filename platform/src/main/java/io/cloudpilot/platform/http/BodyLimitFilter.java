package io.cloudpilot.platform.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;

import io.cloudpilot.spi.BodyLimit;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Bounds the request body of every endpoint: its {@link BodyLimit}, else {@code cloudpilot.max-body-size} (default
 * 64 KiB). A {@code Content-Length} over the limit is refused before a byte is read; a body without one (chunked) is
 * counted as it is read and refused as soon as it passes the limit. Either way 413 {@code PayloadTooLarge}, so no
 * caller can make the server hold more of a body than the endpoint needs.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
public class BodyLimitFilter implements ContainerRequestFilter {

    /** The limit of endpoints that declare none. */
    public static final String KEY = "cloudpilot.max-body-size";
    /** Its default: 64 KiB. */
    public static final long DEFAULT = 64 * 1024;

    @Context
    private ResourceInfo resource;

    private volatile Long configured;

    @Override
    public void filter(ContainerRequestContext request) {
        long limit = limit();
        String length = request.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                declared = -1; // framing is checked by the web server; count what arrives
            }
            if (declared > limit) {
                throw new BodyTooLarge(limit);
            }
        }
        request.setEntityStream(new Bounded(request.getEntityStream(), limit));
    }

    private long limit() {
        Method method = resource == null ? null : resource.getResourceMethod();
        BodyLimit declared = method == null ? null : method.getAnnotation(BodyLimit.class);
        if (declared == null && resource != null && resource.getResourceClass() != null) {
            declared = resource.getResourceClass().getAnnotation(BodyLimit.class);
        }
        if (declared != null) {
            return declared.value();
        }
        Long c = configured;
        if (c == null) {
            c = configured();
            configured = c;
        }
        return c;
    }

    /**
     * @return {@code cloudpilot.max-body-size} in bytes
     * @throws IllegalArgumentException when it is not a positive whole number
     */
    public static long configured() {
        String v = ConfigProvider.getConfig().getOptionalValue(KEY, String.class).orElse("").strip();
        if (v.isEmpty()) {
            return DEFAULT;
        }
        try {
            long n = Long.parseLong(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(KEY + " must be a whole number of bytes greater than 0, e.g. 65536.");
    }

    /** Counts the bytes read and refuses the one past the limit. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            // never ask for more than one byte past the limit
            int n = super.read(b, off, (int) Math.min(len, Math.max(1, limit - read + 1)));
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(Math.min(n, limit - read + 1));
            count(skipped);
            return skipped;
        }

        private void count(long n) {
            read += n;
            if (read > limit) {
                throw new BodyTooLarge(limit);
            }
        }
    }
}
