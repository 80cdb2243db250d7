package io.cloudpilot.platform.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.CloudPilotServer;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading {@code cloudpilot.auth.*}: from a YAML file as an operator writes it, and every way it can be wrong.
 */
class AuthSettingsTest {

    @TempDir
    Path dir;

    private static AuthSettings settings(Map<String, String> values) {
        Map<String, String> s = new HashMap<>(values);
        s.putIfAbsent("server.host", "127.0.0.1");
        return AuthSettings.from(CloudPilotServer.config(Optional.empty(), s));
    }

    @Test
    void tokensFromTheYamlFileAsDocumented() throws IOException {
        String viewer = ApiAuthTest.token();
        String admin = ApiAuthTest.token();
        Path yaml = Files.writeString(dir.resolve("cloudpilot.yaml"), """
                server:
                  host: 0.0.0.0
                cloudpilot:
                  auth:
                    tokens:
                      - name: grafana
                        role: viewer
                        hash: %s
                      - name: platform-team
                        role: admin
                        hash: %s
                    open-paths: /health,/metrics
                """.formatted(ApiAuthTest.hash(viewer), ApiAuthTest.hash(admin)));
        Config config = CloudPilotServer.config(Optional.of(yaml), Map.of());
        Security security = Security.from(config);
        assertEquals(AuthSettings.Mode.TOKEN, security.settings().mode());
        assertEquals(List.of("/health", "/metrics"), security.settings().openPaths());
        assertEquals(Caller.token("grafana", Role.VIEWER), security.tokens().authenticate(viewer).orElseThrow());
        assertEquals(Caller.token("platform-team", Role.ADMIN), security.tokens().authenticate(admin).orElseThrow());
        assertTrue(security.tokens().authenticate(ApiAuthTest.token()).isEmpty());
        assertThat(security.settings().toString()).as("no hash in toString").doesNotContain(ApiAuthTest.hash(admin).substring(7));
    }

    @Test
    void defaults() {
        AuthSettings loopback = settings(Map.of());
        assertEquals(AuthSettings.Mode.NONE, loopback.mode());
        assertEquals(List.of("/health"), loopback.openPaths());
        assertTrue(settings(Map.of("server.host", "localhost")).loopback());
        assertTrue(settings(Map.of("server.host", "::1")).loopback());
        assertTrue(loopback.isOpen("/health/ready") && loopback.isOpen("/health"));
        assertFalse(loopback.isOpen("/healthz") || loopback.isOpen("/metrics"));
    }

    @Test
    void everyMistakeStopsTheServerWithASentence() {
        String hash = ApiAuthTest.hash(ApiAuthTest.token());
        Map<Map<String, String>, String> wrong = new java.util.LinkedHashMap<>();
        wrong.put(Map.of("server.host", "0.0.0.0"), "without authentication");
        wrong.put(Map.of("server.host", "192.0.2.10", "cloudpilot.auth.mode", "token"), "no token is configured");
        wrong.put(Map.of("cloudpilot.auth.mode", "ldap"), "must be token, jwt, kubernetes or none");
        wrong.put(Map.of("cloudpilot.auth.mode", "kubernetes"), "set cloudpilot.auth.kubernetes.cluster");
        wrong.put(Map.of("cloudpilot.auth.mode", "kubernetes", "cloudpilot.mode", "instant",
                "cloudpilot.auth.kubernetes.cluster", "prod"), "remove it");
        wrong.put(Map.of("cloudpilot.auth.mode", "kubernetes", "cloudpilot.mode", "instant",
                "cloudpilot.auth.kubernetes.cache-ttl", "PT1H"), "cache-ttl must be from PT0S");
        wrong.put(Map.of("cloudpilot.auth.mode", "kubernetes", "cloudpilot.mode", "instant",
                "cloudpilot.auth.kubernetes.cache-size", "0"), "cache-size must be from 1");
        wrong.put(Map.of("cloudpilot.auth.mode", "jwt", "cloudpilot.auth.jwt.issuer", "idp"), "jwt.jwks");
        wrong.put(Map.of("cloudpilot.auth.mode", "jwt", "cloudpilot.auth.jwt.jwks", "http://idp/jwks",
                "cloudpilot.auth.jwt.issuer", "https://idp"), "https://");
        wrong.put(Map.of("cloudpilot.auth.mode", "jwt", "cloudpilot.auth.jwt.jwks", "/etc/jwks.json"), "jwt.issuer");
        wrong.put(Map.of("cloudpilot.auth.tokens.0.role", "admin", "cloudpilot.auth.tokens.0.hash", hash),
                "tokens.0.name is required");
        wrong.put(Map.of("cloudpilot.auth.tokens.0.name", "a", "cloudpilot.auth.tokens.0.role", "root",
                "cloudpilot.auth.tokens.0.hash", hash), "viewer, operator, admin");
        wrong.put(Map.of("cloudpilot.auth.tokens.0.name", "a", "cloudpilot.auth.tokens.0.role", "admin",
                "cloudpilot.auth.tokens.0.hash", hash.substring(7)), "sha256sum");
        wrong.put(Map.of("cloudpilot.auth.tokens.0.name", "a", "cloudpilot.auth.tokens.0.role", "admin",
                "cloudpilot.auth.tokens.0.hash", hash, "cloudpilot.auth.tokens.1.name", "a",
                "cloudpilot.auth.tokens.1.role", "viewer", "cloudpilot.auth.tokens.1.hash",
                ApiAuthTest.hash(ApiAuthTest.token())), "two tokens are named 'a'");
        wrong.put(Map.of("cloudpilot.auth.tokens.0.name", "a", "cloudpilot.auth.tokens.0.role", "admin",
                "cloudpilot.auth.tokens.0.hash", hash, "cloudpilot.auth.tokens.1.name", "b",
                "cloudpilot.auth.tokens.1.role", "viewer", "cloudpilot.auth.tokens.1.hash", hash.toUpperCase(Locale.ROOT)
                        .replace("SHA256:", "sha256:")), "hash of another");
        wrong.put(Map.of("cloudpilot.auth.open-paths", "/"), "open-paths");
        wrong.put(Map.of("cloudpilot.auth.open-paths", "/health/../k8s"), "open-paths");
        wrong.forEach((values, expected) -> {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> settings(values),
                    values::toString);
            assertTrue(e.getMessage().contains(expected), () -> values + ": " + e.getMessage());
            assertThat(e.getMessage()).as(e.getMessage()).doesNotContain(hash.substring(7));
        });
    }

    @Test
    void kubernetesModeIsAuthenticationOnAnyAddress() {
        AuthSettings instant = settings(Map.of("server.host", "0.0.0.0", "cloudpilot.auth.mode", "kubernetes",
                "cloudpilot.mode", "instant"));
        assertEquals(AuthSettings.Mode.KUBERNETES, instant.mode());
        KubernetesAuthenticator.Settings k = instant.kubernetes().orElseThrow();
        assertEquals(java.util.Optional.empty(), k.cluster());
        assertEquals(java.time.Duration.ofSeconds(10), k.cacheTtl());
        assertEquals(10_000, k.cacheSize());
        AuthSettings server = settings(Map.of("server.host", "0.0.0.0", "cloudpilot.auth.mode", "kubernetes",
                "cloudpilot.auth.kubernetes.cluster", "identity", "cloudpilot.auth.kubernetes.audiences", "a, b",
                "cloudpilot.auth.kubernetes.cache-ttl", "PT0S"));
        assertEquals("identity", server.kubernetes().orElseThrow().cluster().orElseThrow());
        assertEquals(List.of("a", "b"), server.kubernetes().orElseThrow().audiences());
    }

    @Test
    void explicitNoneIgnoresTokensAndAllowsAnyAddress() {
        AuthSettings none = settings(Map.of("server.host", "0.0.0.0", "cloudpilot.auth.mode", "none",
                "cloudpilot.auth.tokens.0.name", "a", "cloudpilot.auth.tokens.0.role", "admin",
                "cloudpilot.auth.tokens.0.hash", ApiAuthTest.hash("x")));
        assertEquals(AuthSettings.Mode.NONE, none.mode());
        assertFalse(none.loopback());
    }
}
