package io.cloudpilot.platform.security;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.http.Json;

import tools.jackson.databind.JsonNode;

/**
 * Verifies JWT bearer tokens of an OpenID Connect provider: signature (RS256 or ES256 only; never {@code none} or
 * a shared-secret algorithm) with a key of the configured JWKS, issuer, audience, expiry and not-before (with a
 * small leeway), then reads the caller's name and CloudPilot role from configurable claims. A JWKS at an
 * {@code https://} URL is fetched with TLS verification and fetched again, at most every 30 s, when a token names a
 * key it does not hold (key rotation). Nothing of a token is ever logged.
 */
public final class JwtAuthenticator {

    private static final System.Logger LOG = System.getLogger(JwtAuthenticator.class.getName());
    private static final Duration REFETCH_AFTER = Duration.ofSeconds(30);

    /**
     * @param jwks      a JWKS file, or an {@code https://} URL
     * @param issuer    the required {@code iss}
     * @param audience  the required {@code aud} (one of), if configured
     * @param roleClaim the claim holding the role: a string or an array of strings (the highest role wins)
     * @param nameClaim the claim naming the caller in the audit log
     * @param leeway    clock skew allowed on {@code exp} and {@code nbf}
     */
    public record Settings(String jwks, String issuer, Optional<String> audience, String roleClaim,
                           String nameClaim, Duration leeway) {
    }

    private final Settings settings;
    private final Clock clock;
    private final HttpClient http;
    private volatile Map<String, PublicKey> keys = Map.of();
    private volatile long fetchedAtNanos;
    private final Object fetchLock = new Object();

    /**
     * Loads the key set (a file must be readable now; a URL that cannot be fetched now is fetched again on demand).
     *
     * @param settings the settings
     * @param clock    the clock expiry is checked against
     * @throws IllegalArgumentException when the JWKS file cannot be read or holds no usable key
     */
    public JwtAuthenticator(Settings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.http = settings.jwks().startsWith("https://")
                ? HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build() : null;
        if (http == null) {
            try {
                keys = parseJwks(Files.readString(Path.of(settings.jwks())));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("cloudpilot.auth.jwt.jwks: cannot read a JSON Web Key Set from "
                        + settings.jwks() + " (" + e.getClass().getSimpleName() + ")");
            }
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("cloudpilot.auth.jwt.jwks: " + settings.jwks() + " holds no RSA or "
                        + "P-256 EC signing key");
            }
        } else {
            fetch();
        }
    }

    /**
     * @param token a bearer token
     * @return whether it has the shape of a JWT (three base64url parts)
     */
    public static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2 && !token.startsWith(".") && !token.endsWith(".");
    }

    /**
     * @param token a bearer token
     * @return the caller, when the token is a valid JWT of the configured issuer with a CloudPilot role
     */
    public Optional<Caller> authenticate(String token) {
        try {
            String[] parts = token.split("\\.", -1);
            if (parts.length != 3) {
                return refuse("not three parts");
            }
            Base64.Decoder b64 = Base64.getUrlDecoder();
            JsonNode header = Json.MAPPER.readTree(new String(b64.decode(parts[0]), StandardCharsets.UTF_8));
            String alg = header.path("alg").asString("");
            if (!alg.equals("RS256") && !alg.equals("ES256")) {
                return refuse("algorithm not allowed");
            }
            if (header.has("crit")) {
                return refuse("critical header");
            }
            PublicKey key = key(header.path("kid").isString() ? header.path("kid").asString() : null);
            if (key == null) {
                return refuse("no key");
            }
            Signature verifier;
            if (alg.equals("RS256") && key instanceof RSAPublicKey) {
                verifier = Signature.getInstance("SHA256withRSA");
            } else if (alg.equals("ES256") && key instanceof ECPublicKey) {
                verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            } else {
                return refuse("key type does not match the algorithm");
            }
            verifier.initVerify(key);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(b64.decode(parts[2]))) {
                return refuse("bad signature");
            }
            JsonNode claims = Json.MAPPER.readTree(new String(b64.decode(parts[1]), StandardCharsets.UTF_8));
            long now = clock.instant().getEpochSecond();
            long leeway = settings.leeway().toSeconds();
            if (!claims.path("exp").isNumber() || claims.path("exp").asLong() + leeway <= now) {
                return refuse("expired or no exp");
            }
            if (claims.has("nbf") && (!claims.path("nbf").isNumber() || claims.path("nbf").asLong() - leeway > now)) {
                return refuse("not yet valid");
            }
            if (!settings.issuer().equals(claims.path("iss").asString(""))) {
                return refuse("other issuer");
            }
            if (settings.audience().isPresent() && !hasAudience(claims.path("aud"), settings.audience().get())) {
                return refuse("other audience");
            }
            String name = claims.path(settings.nameClaim()).asString("");
            if (name.isBlank()) {
                return refuse("no name claim");
            }
            Optional<Role> role = role(claims.path(settings.roleClaim()));
            if (role.isEmpty()) {
                return refuse("no CloudPilot role");
            }
            return Optional.of(new Caller(name.length() > 128 ? name.substring(0, 128) : name, role.get()));
        } catch (GeneralSecurityException | RuntimeException e) {
            return refuse("malformed (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean hasAudience(JsonNode aud, String expected) {
        if (aud.isString()) {
            return aud.asString().equals(expected);
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (a.isString() && a.asString().equals(expected)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Optional<Role> role(JsonNode claim) {
        Role best = null;
        if (claim.isString()) {
            best = Role.parse(claim.asString()).orElse(null);
        } else if (claim.isArray()) {
            for (JsonNode c : claim) {
                Role r = c.isString() ? Role.parse(c.asString()).orElse(null) : null;
                if (r != null && (best == null || r.allows(best))) {
                    best = r;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    private static Optional<Caller> refuse(String why) {
        LOG.log(Level.DEBUG, "JWT refused: {0}", why);
        return Optional.empty();
    }

    private PublicKey key(String kid) {
        PublicKey k = pick(keys, kid);
        if (k == null && http != null && System.nanoTime() - fetchedAtNanos > REFETCH_AFTER.toNanos()) {
            fetch();
            k = pick(keys, kid);
        }
        return k;
    }

    private static PublicKey pick(Map<String, PublicKey> keys, String kid) {
        if (kid != null) {
            return keys.get(kid);
        }
        return keys.size() == 1 ? keys.values().iterator().next() : null;
    }

    private void fetch() {
        synchronized (fetchLock) {
            fetchedAtNanos = System.nanoTime();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(settings.jwks()))
                        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    LOG.log(Level.WARNING, "Fetching the JWKS {0} answered HTTP {1}", settings.jwks(), r.statusCode());
                    return;
                }
                keys = parseJwks(r.body());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "Cannot fetch the JWKS {0}: {1}", settings.jwks(), e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * @param json a JSON Web Key Set
     * @return its RSA and P-256 EC signing keys by {@code kid} (keys without one under {@code ""})
     */
    static Map<String, PublicKey> parseJwks(String json) {
        Map<String, PublicKey> out = new HashMap<>();
        Base64.Decoder b64 = Base64.getUrlDecoder();
        for (JsonNode k : Json.MAPPER.readTree(json).path("keys")) {
            if (k.has("use") && !k.path("use").asString().equals("sig")) {
                continue;
            }
            try {
                PublicKey key = switch (k.path("kty").asString("")) {
                    case "RSA" -> KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                            new BigInteger(1, b64.decode(k.path("n").asString())),
                            new BigInteger(1, b64.decode(k.path("e").asString()))));
                    case "EC" -> {
                        if (!k.path("crv").asString("").equals("P-256")) {
                            yield null;
                        }
                        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
                        p.init(new ECGenParameterSpec("secp256r1"));
                        yield KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(
                                new BigInteger(1, b64.decode(k.path("x").asString())),
                                new BigInteger(1, b64.decode(k.path("y").asString()))),
                                p.getParameterSpec(ECParameterSpec.class)));
                    }
                    default -> null;
                };
                if (key != null) {
                    out.put(k.path("kid").isString() ? k.path("kid").asString() : "", key);
                }
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                LOG.log(Level.WARNING, "Skipping an unusable key of the JWKS: {0}", e.getClass().getSimpleName());
            }
        }
        return Map.copyOf(out);
    }
}
