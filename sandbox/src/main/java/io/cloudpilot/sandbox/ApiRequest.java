package io.cloudpilot.sandbox;

import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An incoming request: method, decoded path and query parameters, headers and body.
 *
 * @param method  upper-case HTTP method
 * @param path    the path without the query string
 * @param query   decoded query parameters (last value wins)
 * @param request the recorded request (headers, body)
 */
record ApiRequest(String method, String path, Map<String, String> query, RecordedRequest request) {

    static ApiRequest of(RecordedRequest request) {
        String target = request.getPath() == null ? "/" : request.getPath();
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        Map<String, String> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : target.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                query.put(key, value);
            }
        }
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String method = request.getMethod() == null ? "GET" : request.getMethod().toUpperCase(Locale.ROOT);
        return new ApiRequest(method, path, Collections.unmodifiableMap(query), request);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    String param(String name) {
        return query.get(name);
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(query.get(name));
    }

    boolean dryRun() {
        return "All".equals(query.get("dryRun"));
    }

    String header(String name) {
        return request.getHeader(name);
    }

    String body() {
        return request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    }

    /**
     * @return the media type of the body without parameters, lower case, or an empty string
     */
    String contentType() {
        String ct = header("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * @param name the parameter
     * @return the integer value, or {@code null} when absent
     * @throws ApiException 400 when it is not an integer
     */
    Long longParam(String name) {
        String v = query.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid value for " + name + ": " + v);
        }
    }
}
