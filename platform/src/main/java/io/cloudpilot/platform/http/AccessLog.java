package io.cloudpilot.platform.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.cloudpilot.platform.logging.StructuredRecord;
import io.cloudpilot.platform.metrics.PlatformMetrics;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Around every request the server answers (API, health, metrics, OpenAPI, Swagger UI): gives it an id (the caller's
 * {@code X-Request-Id} when it is a valid one, else a new one) and returns it in {@code X-Request-Id}; once the answer
 * is sent, counts and times it ({@link PlatformMetrics#httpRequest}) and writes one INFO line on logger
 * {@code io.cloudpilot.access} ({@code log.access}, default true):
 * {@code 127.0.0.1 "GET /k8s/pods?cluster_name=prod&namespace=shop" 200 1834B 12ms id=3f2a9c0d41b7e865 cluster=prod}.
 * With {@code log.format=json} the same line also carries its parts as fields (method, route, path, query, status,
 * bytes, duration_ms, request_id, principal, cluster). The values of query parameters whose names suggest a secret
 * ({@link #SENSITIVE}) are written as {@code ***}; no header is ever logged.
 */
final class AccessLog implements Filter {

    static final String LOGGER = "io.cloudpilot.access";
    /** Query parameter names (lower case) whose values are never logged; any name containing one of them. */
    static final Set<String> SENSITIVE = Set.of("token", "password", "passwd", "secret", "key", "auth", "credential",
            "signature", "session", "cookie");
    /** Paths the server answers outside JAX-RS, as routes; anything else that matched no endpoint is unmatched. */
    private static final List<String> FEATURES = List.of("/health/live", "/health/ready", "/health/started", "/health",
            "/metrics", "/openapi");
    /** Characters of the path and of the query a line shows at most: the request line may be 64 kB. */
    private static final int MAX_SHOWN = 2048;
    private static final HeaderName REQUEST_ID = HeaderNames.create(ServedRequest.ID_HEADER);

    private static final Logger LOG = Logger.getLogger(LOGGER);

    private final boolean logged;

    /** @param logged whether to write the access log ({@code log.access}); ids and metrics are kept either way */
    AccessLog(boolean logged) {
        this.logged = logged;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        ServedRequest served = ServedRequest.begin(req.headers().first(REQUEST_ID).orElse(null));
        res.header(REQUEST_ID, served.id());
        try {
            chain.proceed();
        } finally {
            ServedRequest.end();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String method = req.prologue().method().text();
            String path = req.prologue().uriPath().rawPath();
            String route = served.route() != null ? served.route() : featureRoute(path);
            int status = res.status().code();
            PlatformMetrics.httpRequest(route, method, status, took);
            if (logged && LOG.isLoggable(Level.INFO)) {
                String query = shown(redact(req.prologue().query().rawValue()));
                long millis = took.toMillis();
                String remote = req.remotePeer().host();
                Map<String, Object> fields = new LinkedHashMap<>();
                fields.put("remote", remote);
                fields.put("method", method);
                fields.put("route", route);
                fields.put("path", shown(path));
                fields.put("query", query.isEmpty() ? null : query);
                fields.put("status", status);
                fields.put("bytes", res.bytesWritten());
                fields.put("duration_ms", millis);
                fields.put("request_id", served.id());
                fields.put("principal", served.principal());
                fields.put("cluster", served.cluster());
                String line = remote + " \"" + method + " " + shown(path) + (query.isEmpty() ? "" : "?" + query) + "\" "
                        + status + " " + res.bytesWritten() + "B " + millis + "ms id=" + served.id()
                        + (served.principal() == null ? "" : " principal=" + served.principal())
                        + (served.cluster() == null ? "" : " cluster=" + served.cluster());
                LOG.log(new StructuredRecord(Level.INFO, LOGGER, line, fields));
            }
        }
    }

    /** The route of a path JAX-RS did not serve: Helidon's own features by name, everything else unmatched. */
    static String featureRoute(String rawPath) {
        for (String feature : FEATURES) {
            if (rawPath.equals(feature)) {
                return feature;
            }
        }
        for (String feature : FEATURES) {
            if (rawPath.startsWith(feature + "/")) {
                return feature + "/*";
            }
        }
        return "unmatched";
    }

    private static String shown(String s) {
        return s.length() <= MAX_SHOWN ? s : s.substring(0, MAX_SHOWN) + "…";
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
        String name;
        try {
            name = java.net.URLDecoder.decode(rawName, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            name = rawName; // "%zz": judged by its raw text
        }
        return SENSITIVE.stream().anyMatch(name.toLowerCase(Locale.ROOT)::contains);
    }
}
