package io.cloudpilot.platform.security;

import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * The API authentication of one server: its settings, the authenticator of its API tokens and, in {@code jwt} mode,
 * the verifier of JWTs.
 *
 * @param settings the checked settings
 * @param tokens   finds the configured token a request presents
 * @param jwt      verifies JWTs, in {@code jwt} mode
 */
public record Security(AuthSettings settings, TokenAuthenticator tokens, Optional<JwtAuthenticator> jwt) {

    /**
     * @param config the server's configuration
     * @return the server's security
     * @throws IllegalArgumentException when the server must not start (see {@link AuthSettings#from})
     */
    public static Security from(Config config) {
        AuthSettings settings = AuthSettings.from(config);
        return new Security(settings, new TokenAuthenticator(settings.tokens()),
                settings.jwt().map(JwtAuthenticator::new));
    }

    /** @return whether callers must authenticate */
    public boolean enabled() {
        return settings.mode() != AuthSettings.Mode.NONE;
    }

    /**
     * @param bearer the token of an {@code Authorization: Bearer} header
     * @return the caller it identifies: a JWT in {@code jwt} mode, else one of the configured API tokens
     */
    public Optional<Caller> authenticate(String bearer) {
        if (jwt.isPresent() && JwtAuthenticator.looksLikeJwt(bearer)) {
            return jwt.get().authenticate(bearer);
        }
        return tokens.authenticate(bearer);
    }
}
