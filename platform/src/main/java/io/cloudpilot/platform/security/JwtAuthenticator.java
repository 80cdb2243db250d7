package io.cloudpilot.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies JWT bearer tokens of an OpenID Connect provider with nimbus-jose-jwt: signature (RS256 or ES256 only;
 * never {@code none} or a shared-secret algorithm) with a key of the provider's key set, no {@code crit} header,
 * issuer, audience, expiry and not-before (with a small leeway); then reads the caller's name and CloudPilot role
 * from configurable claims. Nothing of a token is ever logged.
 *
 * <p>The key set is a file (read once at start), an {@code https://} URL, or found by OpenID Connect discovery
 * ({@code <issuer>/.well-known/openid-configuration} names its {@code jwks_uri}). A fetched key set is kept for
 * {@code jwks-refresh} (default 5 minutes) and then fetched again, so a key the provider removed stops being trusted
 * within that time; a token naming a key the set does not hold makes it fetched at once, at most every 30 s.
 */
public final class JwtAuthenticator {

    /** Unknown key ids make the key set fetched again at most this often. */
    public static final Duration REFETCH_AT_MOST_EVERY = Duration.ofSeconds(30);
    /** The default of {@code cloudpilot.auth.jwt.jwks-refresh}. */
    public static final Duration DEFAULT_REFRESH = Duration.ofMinutes(5);

    private static final System.Logger LOG = System.getLogger(JwtAuthenticator.class.getName());
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** A key set or discovery document larger than this is refused (bounded memory per fetch). */
    private static final int MAX_DOCUMENT_BYTES = 256 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 5000;
    private static final int READ_TIMEOUT_MS = 10_000;

    /**
     * @param jwks      a JWKS file or an {@code https://} URL; empty: OpenID Connect discovery from the issuer
     * @param issuer    the required {@code iss}
     * @param audience  the required {@code aud} (one of), if configured
     * @param roleClaim the claim holding the role: a string or an array of strings (the highest role wins)
     * @param nameClaim the claim naming the caller in the audit log
     * @param leeway    clock skew allowed on {@code exp} and {@code nbf}
     * @param refresh   how long a fetched key set is trusted before it is fetched again
     * @param caFile    PEM certificates to trust for the provider's TLS instead of the JVM's, if configured
     */
    public record Settings(Optional<String> jwks, String issuer, Optional<String> audience, String roleClaim,
                           String nameClaim, Duration leeway, Duration refresh, Optional<Path> caFile) {
    }

    private final Settings settings;
    private final ResourceRetriever retriever;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final Object discoveryLock = new Object();
    private volatile JWKSource<SecurityContext> keys;
    private volatile long discoveryTriedAtNanos;

    /**
     * Loads the key set: a file must be readable now; a URL, or the discovery document, that cannot be fetched now
     * is fetched again on demand.
     *
     * @param settings the settings
     * @throws IllegalArgumentException when the JWKS file or the CA file cannot be used
     */
    public JwtAuthenticator(Settings settings) {
        this.settings = settings;
        this.retriever = new Retriever(settings.caFile().map(JwtAuthenticator::trusting).orElse(null));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience().map(Set::of).orElse(null),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("exp", settings.nameClaim()), null);
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, settings.leeway().toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, (selector, context) -> {
            JWKSource<SecurityContext> source = keys();
            if (source == null) {
                throw new KeySourceException("no key set: OpenID Connect discovery failed");
            }
            return source.get(selector, context);
        }));
        if (settings.jwks().isPresent() && !settings.jwks().get().startsWith("https://")) {
            keys = fromFile(Path.of(settings.jwks().get()));
        } else if (settings.jwks().isPresent()) {
            keys = remote(url(settings.jwks().get()));
        } else {
            // found on the first JWT: starting the server needs no identity provider
            discoveryTriedAtNanos = System.nanoTime() - REFETCH_AT_MOST_EVERY.toNanos() - 1;
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
            SignedJWT jwt = SignedJWT.parse(token); // an unsigned token ("alg": "none") is no SignedJWT
            if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
                return refuse("algorithm not allowed");
            }
            if (jwt.getHeader().getCriticalParams() != null) {
                return refuse("critical header");
            }
            JWTClaimsSet claims = processor.process(jwt, null);
            Object name = claims.getClaim(settings.nameClaim());
            if (!(name instanceof String n) || n.isBlank()) {
                return refuse("no name claim");
            }
            Optional<Role> role = role(claims.getClaim(settings.roleClaim()));
            if (role.isEmpty()) {
                return refuse("no CloudPilot role");
            }
            return Optional.of(Caller.jwt(n.length() > 128 ? n.substring(0, 128) : n, role.get()));
        } catch (ParseException e) {
            return refuse("malformed");
        } catch (com.nimbusds.jose.JOSEException | com.nimbusds.jose.proc.BadJOSEException | RuntimeException e) {
            return refuse(e.getClass().getSimpleName());
        }
    }

    private static Optional<Role> role(Object claim) {
        Role best = null;
        if (claim instanceof String s) {
            best = Role.parse(s).orElse(null);
        } else if (claim instanceof List<?> values) {
            for (Object v : values) {
                Role r = v instanceof String s ? Role.parse(s).orElse(null) : null;
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

    /** The key source; with discovery, found on first use and tried again at most every 30 s while it fails. */
    private JWKSource<SecurityContext> keys() {
        JWKSource<SecurityContext> k = keys;
        if (k == null && System.nanoTime() - discoveryTriedAtNanos > REFETCH_AT_MOST_EVERY.toNanos()) {
            synchronized (discoveryLock) {
                if (keys == null && System.nanoTime() - discoveryTriedAtNanos > REFETCH_AT_MOST_EVERY.toNanos()) {
                    keys = discover();
                }
                k = keys;
            }
        }
        return k;
    }

    /** OpenID Connect Discovery 1.0 §4: the issuer's configuration names its key set; its issuer must be ours. */
    private JWKSource<SecurityContext> discover() {
        discoveryTriedAtNanos = System.nanoTime();
        String where = settings.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
        try {
            Map<String, Object> doc = JSONObjectUtils.parse(retriever.retrieveResource(url(where)).getContent());
            if (!settings.issuer().equals(doc.get("issuer"))) {
                LOG.log(Level.WARNING, "The OpenID configuration at {0} names another issuer: no JWT is accepted until "
                        + "cloudpilot.auth.jwt.issuer matches it", where);
                return null;
            }
            if (!(doc.get("jwks_uri") instanceof String jwksUri) || !jwksUri.startsWith("https://")) {
                LOG.log(Level.WARNING, "The OpenID configuration at {0} has no https:// jwks_uri", where);
                return null;
            }
            LOG.log(Level.INFO, "JWT keys of {0}: {1} (OpenID Connect discovery)", settings.issuer(), jwksUri);
            return remote(url(jwksUri));
        } catch (IOException | ParseException | RuntimeException e) {
            LOG.log(Level.WARNING, "Cannot read the OpenID configuration at {0} ({1}); tried again when a JWT arrives, "
                    + "at most every {2} s", where, e.getClass().getSimpleName(), REFETCH_AT_MOST_EVERY.toSeconds());
            return null;
        }
    }

    /** A fetched key set: cached for the refresh interval, fetched early (rate-limited) for an unknown key id. */
    private JWKSource<SecurityContext> remote(URL jwks) {
        long refresh = Math.max(1000, settings.refresh().toMillis());
        // nimbus wants both the fetch timeout and the rate limit below the time a set is kept
        return JWKSourceBuilder.<SecurityContext>create(jwks, retriever)
                .cache(refresh, Math.min(refresh / 2, READ_TIMEOUT_MS + CONNECT_TIMEOUT_MS))
                .rateLimited(Math.min(refresh / 2, REFETCH_AT_MOST_EVERY.toMillis()))
                .refreshAheadCache(false)
                .retrying(false)
                .outageTolerant(false) // a key set that cannot be fetched is not trusted past its refresh interval
                .build();
    }

    private static JWKSource<SecurityContext> fromFile(Path file) {
        JWKSet set;
        try {
            set = JWKSet.load(file.toFile());
        } catch (IOException | ParseException | RuntimeException e) {
            throw new IllegalArgumentException("cloudpilot.auth.jwt.jwks: cannot read a JSON Web Key Set from " + file
                    + " (" + e.getClass().getSimpleName() + ")");
        }
        boolean usable = set.getKeys().stream().anyMatch(k -> com.nimbusds.jose.jwk.KeyType.RSA.equals(k.getKeyType())
                || (k instanceof com.nimbusds.jose.jwk.ECKey ec && com.nimbusds.jose.jwk.Curve.P_256.equals(ec.getCurve())));
        if (!usable) {
            throw new IllegalArgumentException("cloudpilot.auth.jwt.jwks: " + file + " holds no RSA or P-256 EC signing "
                    + "key");
        }
        return new ImmutableJWKSet<>(set);
    }

    private static URL url(String value) {
        try {
            return URI.create(value).toURL();
        } catch (IllegalArgumentException | java.net.MalformedURLException e) {
            throw new IllegalArgumentException("not a URL: " + value);
        }
    }

    /** TLS that trusts the certificates of a PEM file (an identity provider with a private CA). */
    private static SSLSocketFactory trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("cloudpilot.auth.jwt.ca-file: " + pem + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cloudpilot.auth.jwt.ca-file: cannot read PEM certificates from " + pem
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Fetches with bounded time and size, TLS verification on, and never follows a redirect. */
    private static final class Retriever extends DefaultResourceRetriever {
        Retriever(SSLSocketFactory tls) {
            super(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, MAX_DOCUMENT_BYTES, true, tls);
        }

        @Override
        protected HttpURLConnection openHTTPConnection(URL url) throws IOException {
            if (!"https".equalsIgnoreCase(url.getProtocol())) {
                throw new IOException("only https:// is fetched");
            }
            HttpURLConnection connection = super.openHTTPConnection(url);
            connection.setInstanceFollowRedirects(false);
            return connection;
        }
    }
}
