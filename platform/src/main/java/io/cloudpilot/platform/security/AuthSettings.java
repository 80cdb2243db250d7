package io.cloudpilot.platform.security;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;


import org.eclipse.microprofile.config.Config;

/**
 * CloudPilot's API authentication settings ({@code cloudpilot.auth.*}, documented in {@code docs/security.md}),
 * checked when the server starts. A server with any socket on an address other than loopback ({@code server.host} or
 * any of {@code server.sockets}) refuses to start without authentication unless {@code cloudpilot.auth.mode=none} is
 * set explicitly.
 *
 * @param mode      how callers are authenticated
 * @param explicit  whether the mode was configured (not derived from the tokens)
 * @param tokens    the configured tokens (hashes only)
 * @param openPaths path prefixes served without a token (Helidon's health, OpenAPI, metrics)
 * @param jwt       with mode {@code jwt}: how JWTs are verified
 * @param host      the bind address of a socket other machines can reach (with its socket's name), else of the
 *                  default socket
 * @param loopback  whether every socket is bound to a loopback address
 * @param kubernetes with mode {@code kubernetes}: where and how callers are reviewed
 */
public record AuthSettings(Mode mode, boolean explicit, List<ApiToken> tokens, List<String> openPaths,
                           Optional<JwtAuthenticator.Settings> jwt, String host, boolean loopback,
                           Optional<KubernetesAuthenticator.Settings> kubernetes) {

    /** How callers are authenticated. */
    public enum Mode {
        /** API tokens from the configuration, sent as {@code Authorization: Bearer}. */
        TOKEN,
        /** JWTs of an OpenID Connect provider (and the configured API tokens, if any), sent the same way. */
        JWT,
        /** Nobody is authenticated: every caller may do everything. Only on loopback, or when set explicitly. */
        NONE,
        /** Kubernetes bearer tokens, reviewed by the API server; the cluster's RBAC decides (and API tokens, if any). */
        KUBERNETES
    }

    /** The prefix of every key. */
    public static final String PREFIX = "cloudpilot.auth.";
    /** Open by default: liveness and readiness probes carry no token. */
    public static final String DEFAULT_OPEN_PATHS = "/health";

    private static final System.Logger LOG = System.getLogger(AuthSettings.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");
    private static final Pattern OPEN_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    /** Indices probed for tokens: {@code cloudpilot.auth.tokens.0.name}, {@code .1.name}, ... up to the first gap. */
    private static final int MAX_TOKENS = 1000;

    /**
     * Reads and checks the settings.
     *
     * @param config the server's configuration
     * @return the settings
     * @throws IllegalArgumentException with a sentence saying what to fix, when the server must not start
     */
    public static AuthSettings from(Config config) {
        // every socket the server will open, not only server.host: a second one serves the same API
        List<ServerSockets.Socket> sockets = ServerSockets.of(config);
        Optional<ServerSockets.Socket> reachable = sockets.stream().filter(s -> !isLoopback(s.host())).findFirst();
        String host = reachable.orElse(sockets.getFirst()).describe();
        boolean loopback = reachable.isEmpty();
        List<ApiToken> tokens = tokens(config);
        List<String> openPaths = openPaths(config.getOptionalValue(PREFIX + "open-paths", String.class)
                .orElse(DEFAULT_OPEN_PATHS));
        Optional<String> configured = config.getOptionalValue(PREFIX + "mode", String.class)
                .map(s -> s.trim().toLowerCase(Locale.ROOT)).filter(s -> !s.isEmpty());
        Mode mode;
        if (configured.isPresent()) {
            mode = switch (configured.get()) {
                case "token" -> Mode.TOKEN;
                case "jwt" -> Mode.JWT;
                case "none" -> Mode.NONE;
                case "kubernetes" -> Mode.KUBERNETES;
                default -> throw new IllegalArgumentException(PREFIX + "mode must be token, jwt, kubernetes or none, not '"
                        + shorten(configured.get()) + "' (docs/security.md).");
            };
            if (mode == Mode.TOKEN && tokens.isEmpty()) {
                throw new IllegalArgumentException(PREFIX + "mode is token but no token is configured: add "
                        + PREFIX + "tokens (name, role, hash; docs/security.md).");
            }
        } else if (!tokens.isEmpty()) {
            mode = Mode.TOKEN;
        } else if (loopback) {
            mode = Mode.NONE;
        } else {
            throw new IllegalArgumentException("CloudPilot would serve its API on " + host + ", an address other "
                    + "machines can reach, without authentication. Configure API tokens (" + PREFIX + "tokens, see "
                    + "docs/security.md), bind to 127.0.0.1, or, if a proxy in front of CloudPilot authenticates every "
                    + "caller, set " + PREFIX + "mode=none explicitly.");
        }
        Optional<JwtAuthenticator.Settings> jwt = mode == Mode.JWT ? Optional.of(jwt(config)) : Optional.empty();
        Optional<KubernetesAuthenticator.Settings> kubernetes = mode == Mode.KUBERNETES
                ? Optional.of(kubernetes(config)) : Optional.empty();
        return new AuthSettings(mode, configured.isPresent(), tokens, openPaths, jwt, host, loopback, kubernetes);
    }

    private static KubernetesAuthenticator.Settings kubernetes(Config config) {
        String key = PREFIX + "kubernetes.";
        boolean server = config.getOptionalValue("cloudpilot.mode", String.class).orElse("server").trim()
                .equalsIgnoreCase("server");
        Optional<String> cluster = value(config, key + "cluster");
        if (server && cluster.isEmpty()) {
            throw new IllegalArgumentException(PREFIX + "mode is kubernetes in server mode: set " + key + "cluster to "
                    + "the registered cluster whose API server reviews callers' tokens and permissions (the identity "
                    + "cluster; docs/security.md).");
        }
        if (!server && cluster.isPresent()) {
            throw new IllegalArgumentException(key + "cluster names the identity cluster of server mode; in instant "
                    + "mode the cluster CloudPilot runs on reviews callers: remove it.");
        }
        List<String> audiences = new ArrayList<>();
        for (String a : value(config, key + "audiences").orElse("").split(",")) {
            if (!a.isBlank()) {
                audiences.add(a.trim());
            }
        }
        java.time.Duration ttl = config.getOptionalValue(key + "cache-ttl", java.time.Duration.class)
                .orElse(java.time.Duration.ofSeconds(10));
        if (ttl.isNegative() || ttl.compareTo(java.time.Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(key + "cache-ttl must be from PT0S (no cache) to PT5M: a revoked "
                    + "token or role keeps working for as long as its review is reused.");
        }
        int size = config.getOptionalValue(key + "cache-size", Integer.class).orElse(10_000);
        if (size < 1 || size > 1_000_000) {
            throw new IllegalArgumentException(key + "cache-size must be from 1 to 1000000 reviews.");
        }
        return new KubernetesAuthenticator.Settings(cluster, List.copyOf(audiences), ttl, size);
    }

    private static JwtAuthenticator.Settings jwt(Config config) {
        String key = PREFIX + "jwt.";
        Optional<String> jwks = value(config, key + "jwks");
        if (jwks.isPresent() && jwks.get().contains("://") && !jwks.get().startsWith("https://")) {
            throw new IllegalArgumentException(key + "jwks must be a file or an https:// URL: keys fetched without TLS "
                    + "could be replaced on the way.");
        }
        String issuer = value(config, key + "issuer").orElseThrow(() -> new IllegalArgumentException(PREFIX
                + "mode is jwt: set " + key + "issuer to the identity provider's issuer (the iss of its tokens)."));
        if (jwks.isEmpty() && !issuer.startsWith("https://")) {
            throw new IllegalArgumentException(PREFIX + "mode is jwt: set " + key + "jwks to the identity provider's "
                    + "JSON Web Key Set (a file, or an https:// URL), or give an https:// " + key + "issuer whose "
                    + "/.well-known/openid-configuration names it.");
        }
        java.time.Duration refresh = config.getOptionalValue(key + "jwks-refresh", java.time.Duration.class)
                .orElse(JwtAuthenticator.DEFAULT_REFRESH);
        if (refresh.isNegative() || refresh.isZero()) {
            throw new IllegalArgumentException(key + "jwks-refresh must be a positive duration, e.g. PT5M.");
        }
        return new JwtAuthenticator.Settings(jwks, issuer, value(config, key + "audience"),
                value(config, key + "role-claim").orElse("cloudpilot_role"),
                value(config, key + "name-claim").orElse("sub"),
                config.getOptionalValue(key + "leeway", java.time.Duration.class).orElse(java.time.Duration.ofSeconds(60)),
                refresh, value(config, key + "ca-file").map(java.nio.file.Path::of));
    }

    /** Logs what a starting server should tell its operator: warnings for an open API. */
    public void logStartup() {
        if (mode == Mode.KUBERNETES) {
            KubernetesAuthenticator.Settings k = kubernetes.get();
            LOG.log(Level.INFO, "API authentication: Kubernetes tokens reviewed by {0} (TokenReview, then the "
                    + "cluster''s RBAC through SubjectAccessReviews; answers reused for {1}), and {2} API token(s); "
                    + "open without a token: {3}", k.cluster().map(c -> "cluster " + c).orElse("the instant cluster"),
                    k.cacheTtl(), tokens.size(), openPaths);
            return;
        }
        if (mode == Mode.JWT) {
            LOG.log(Level.INFO, "API authentication: JWTs of {0} (keys {1}, role in claim {2}) and {3} API token(s); "
                    + "open without a token: {4}", jwt.get().issuer(),
                    jwt.get().jwks().orElse("by OpenID Connect discovery"), jwt.get().roleClaim(),
                    tokens.size(), openPaths);
            return;
        }
        if (mode == Mode.TOKEN) {
            LOG.log(Level.INFO, "API authentication: {0} token(s) ({1}); open without a token: {2}", tokens.size(),
                    tokens.stream().map(t -> t.name() + "=" + t.role().wire()).toList(), openPaths);
            return;
        }
        if (!loopback) {
            LOG.log(Level.WARNING, "API authentication is OFF (cloudpilot.auth.mode=none) on {0}: anyone who can "
                    + "reach this address can read every cluster, scale deployments and change the cluster registry. "
                    + "Only run this way behind a proxy that authenticates callers.", host);
        } else {
            LOG.log(Level.INFO, "API authentication is off: the server is bound to the loopback address {0}", host);
        }
        if (!tokens.isEmpty()) {
            LOG.log(Level.WARNING, "cloudpilot.auth.mode=none: the {0} configured token(s) are ignored",
                    tokens.size());
        }
    }

    /**
     * @param path a request path
     * @return whether it is served without a token
     */
    public boolean isOpen(String path) {
        return openPaths.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"));
    }

    private static List<ApiToken> tokens(Config config) {
        List<ApiToken> tokens = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < MAX_TOKENS; i++) {
            String key = PREFIX + "tokens." + i + ".";
            Optional<String> name = value(config, key + "name");
            Optional<String> role = value(config, key + "role");
            Optional<String> hash = value(config, key + "hash");
            if (name.isEmpty() && role.isEmpty() && hash.isEmpty()) {
                break;
            }
            if (name.isEmpty() || !NAME.matcher(name.get()).matches()) {
                throw new IllegalArgumentException(key + "name is required: 1 to 64 letters, digits, '.', '_', '@' "
                        + "or '-', starting with a letter or digit (it names the caller in the audit log).");
            }
            if (!names.add(name.get())) {
                throw new IllegalArgumentException(key + "name: two tokens are named '" + name.get()
                        + "'; give each a name of its own.");
            }
            Role r = role.flatMap(Role::parse).orElseThrow(() -> new IllegalArgumentException(key + "role of token '"
                    + name.get() + "' must be one of " + Role.names() + "."));
            // the hash's value is never quoted: an operator may have pasted the token itself by mistake
            if (hash.isEmpty() || !HASH.matcher(hash.get()).matches()) {
                throw new IllegalArgumentException(key + "hash of token '" + name.get() + "' must be sha256: followed "
                        + "by 64 hex digits, e.g. the output of printf %s \"$TOKEN\" | sha256sum. Configure the hash, "
                        + "never the token itself.");
            }
            String hex = hash.get().substring("sha256:".length()).toLowerCase(Locale.ROOT);
            if (!hashes.add(hex)) {
                throw new IllegalArgumentException(key + "hash of token '" + name.get() + "' is the hash of another "
                        + "configured token: every token must be different.");
            }
            tokens.add(new ApiToken(name.get(), r, HexFormat.of().parseHex(hex)));
        }
        return List.copyOf(tokens);
    }

    private static List<String> openPaths(String value) {
        List<String> paths = new ArrayList<>();
        for (String p : value.split(",")) {
            String path = p.trim();
            if (path.isEmpty()) {
                continue;
            }
            while (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (!OPEN_PATH.matcher(path).matches() || path.contains("/./") || path.contains("/../")
                    || path.endsWith("/.") || path.endsWith("/..")) {
                throw new IllegalArgumentException(PREFIX + "open-paths takes comma-separated path prefixes such as "
                        + "/health,/openapi,/metrics; '" + shorten(path) + "' is not one (to switch authentication "
                        + "off, set " + PREFIX + "mode=none).");
            }
            paths.add(path);
        }
        return List.copyOf(paths);
    }

    private static Optional<String> value(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * @param host a bind address or host name
     * @return whether every address it resolves to is a loopback address
     */
    static boolean isLoopback(String host) {
        if (host.isEmpty()) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** Names and roles only: never a hash. */
    @Override
    public String toString() {
        return "AuthSettings[mode=" + mode + ", tokens=" + tokens + ", openPaths=" + openPaths + ", host=" + host + "]";
    }
}
