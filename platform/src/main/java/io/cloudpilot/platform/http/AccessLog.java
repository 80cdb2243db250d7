package io.cloudpilot.platform.http;

import java.util.Locale;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * The access log: one line per request on logger {@code io.cloudpilot.access} (INFO), for every path the server
 * answers (API, health, metrics, OpenAPI):
 * {@code 127.0.0.1 "GET /k8s/pods?cluster_name=prod&namespace=shop" 200 1834B 12ms}. The values of query parameters
 * whose names suggest a secret ({@link #SENSITIVE}) are written as {@code ***}; no header is ever logged. Switched
 * off with {@code log.access=false}.
 */
final class AccessLog implements Filter {

    static final String LOGGER = "io.cloudpilot.access";
    /** Query parameter names (lower case) whose values are never logged; any name containing one of them. */
    static final Set<String> SENSITIVE = Set.of("token", "password", "passwd", "secret", "key", "auth", "credential",
            "signature", "session", "cookie");

    private static final Logger LOG = Logger.getLogger(LOGGER);

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            if (LOG.isLoggable(Level.INFO)) {
                long millis = (System.nanoTime() - start) / 1_000_000;
                String query = redact(req.prologue().query().rawValue());
                LOG.info(req.remotePeer().host() + " \"" + req.prologue().method().text() + " "
                        + req.prologue().uriPath().rawPath() + (query.isEmpty() ? "" : "?" + query) + "\" "
                        + res.status().code() + " " + res.bytesWritten() + "B " + millis + "ms");
            }
        }
    }

    /**
     * @param rawQuery a raw query string, possibly empty
     * @return the same with the values of sensitive parameters replaced by {@code ***}
     */
    static String redact(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(rawQuery.length());
        for (String pair : rawQuery.split("&", -1)) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (eq >= 0 && sensitive(name)) {
                out.append(name).append("=***");
            } else {
                out.append(pair);
            }
        }
        return out.toString();
    }

    private static boolean sensitive(String rawName) {
        String name = java.net.URLDecoder.decode(rawName, java.nio.charset.StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT);
        return SENSITIVE.stream().anyMatch(name::contains);
    }
}
