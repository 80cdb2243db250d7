package io.cloudpilot.platform.security;

import java.util.Optional;

import io.cloudpilot.spi.Clusters;

import org.eclipse.microprofile.config.Config;

/**
 * The API authentication of one server: its settings, the authenticator of its API tokens and, in {@code jwt} mode,
 * the verifier of JWTs; in {@code kubernetes} mode, the reviews of the cluster's API server.
 *
 * @param settings   the checked settings
 * @param tokens     finds the configured token a request presents
 * @param jwt        verifies JWTs, in {@code jwt} mode
 * @param kubernetes reviews tokens and permissions, in {@code kubernetes} mode
 */
public record Security(AuthSettings settings, TokenAuthenticator tokens, Optional<JwtAuthenticator> jwt,
                       Optional<Kubernetes> kubernetes) {

    /**
     * Kubernetes sign-in: who a token is (TokenReview) and what that user may do (SubjectAccessReviews).
     *
     * @param authenticator the TokenReviews
     * @param authorizer    the SubjectAccessReviews
     */
    public record Kubernetes(KubernetesAuthenticator authenticator, KubernetesAuthorizer authorizer) {
    }

    /**
     * Checks the settings only (the launcher, before anything starts): no cluster is reviewed through it.
     *
     * @param config the server's configuration
     * @return the server's security, without the Kubernetes reviews
     * @throws IllegalArgumentException when the server must not start (see {@link AuthSettings#from})
     */
    public static Security from(Config config) {
        return from(config, null);
    }

    /**
     * @param config   the server's configuration
     * @param clusters the server's clusters as plugins see them (the API server of one of them reviews callers in
     *                 {@code kubernetes} mode); null to check the settings only
     * @return the server's security
     * @throws IllegalArgumentException when the server must not start (see {@link AuthSettings#from})
     */
    public static Security from(Config config, Clusters clusters) {
        AuthSettings settings = AuthSettings.from(config);
        return new Security(settings, new TokenAuthenticator(settings.tokens()),
                settings.jwt().map(JwtAuthenticator::new),
                clusters == null ? Optional.empty() : settings.kubernetes().map(k -> new Kubernetes(
                        new KubernetesAuthenticator(k, clusters), new KubernetesAuthorizer(k, clusters))));
    }

    /** @return whether callers must authenticate */
    public boolean enabled() {
        return settings.mode() != AuthSettings.Mode.NONE;
    }

    /**
     * @param bearer the token of an {@code Authorization: Bearer} header
     * @return the caller it identifies: a JWT in {@code jwt} mode, else one of the configured API tokens; in
     * {@code kubernetes} mode a configured API token, else the user the API server's TokenReview names
     * @throws io.cloudpilot.spi.ApiException 503 when the API server cannot review the token
     */
    public Optional<Caller> authenticate(String bearer) {
        if (jwt.isPresent() && JwtAuthenticator.looksLikeJwt(bearer)) {
            return jwt.get().authenticate(bearer);
        }
        Optional<Caller> token = tokens.authenticate(bearer);
        if (token.isPresent() || kubernetes.isEmpty()) {
            return token;
        }
        return kubernetes.get().authenticator().authenticate(bearer);
    }
}
