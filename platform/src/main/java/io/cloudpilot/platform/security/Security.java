package io.cloudpilot.platform.security;

import org.eclipse.microprofile.config.Config;

/**
 * The API authentication of one server: its settings and the authenticator of its tokens.
 *
 * @param settings the checked settings
 * @param tokens   finds the configured token a request presents
 */
public record Security(AuthSettings settings, TokenAuthenticator tokens) {

    /**
     * @param config the server's configuration
     * @return the server's security
     * @throws IllegalArgumentException when the server must not start (see {@link AuthSettings#from})
     */
    public static Security from(Config config) {
        AuthSettings settings = AuthSettings.from(config);
        return new Security(settings, new TokenAuthenticator(settings.tokens()));
    }

    /** @return whether callers must authenticate */
    public boolean enabled() {
        return settings.mode() == AuthSettings.Mode.TOKEN;
    }
}
