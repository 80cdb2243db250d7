package io.cloudpilot.platform.security;

import java.util.List;

/**
 * Paths served by Helidon's own features (health, OpenAPI, metrics) after JAX-RS declines them. JAX-RS must answer
 * an empty 404 there, and no post-matching filter runs for them, so authentication has to judge them itself.
 */
public final class FeaturePaths {

    private static final List<String> PREFIXES = List.of("/health", "/openapi", "/metrics", "/observe");

    private FeaturePaths() {
    }

    /**
     * @param path a request path
     * @return whether Helidon's own features ({@code /health}, {@code /openapi}, {@code /metrics}) serve it
     */
    public static boolean contains(String path) {
        return PREFIXES.stream().anyMatch(path::startsWith);
    }
}
