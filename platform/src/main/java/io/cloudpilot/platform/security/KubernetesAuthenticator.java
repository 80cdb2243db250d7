package io.cloudpilot.platform.security;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.cloudpilot.spi.Clusters;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.api.model.authentication.UserInfo;

/**
 * Signs callers in with the cluster's own identities ({@code cloudpilot.auth.mode=kubernetes}): a bearer token
 * (a {@code kubectl create token} token, an OIDC id token the API server accepts, a ServiceAccount token) is sent to
 * the API server in a {@code TokenReview}; the user it names becomes the caller, whose requests
 * {@link KubernetesAuthorizer} then decides with the cluster's RBAC. Answers are cached briefly by the token's
 * SHA-256 (never the token); a review that cannot be made is a 503 and is not cached.
 */
public final class KubernetesAuthenticator {

    private static final System.Logger LOG = System.getLogger(KubernetesAuthenticator.class.getName());
    /** Longer bearer tokens are refused without a review: a caller must not make us send anything it likes. */
    static final int MAX_TOKEN_LENGTH = 8192;

    /**
     * {@code cloudpilot.auth.kubernetes.*}.
     *
     * @param cluster   in server mode, the registered cluster whose API server reviews callers (the identity
     *                  cluster); empty in instant mode (the instant cluster)
     * @param audiences audiences a token must be meant for ({@code TokenReview} {@code spec.audiences}); empty: the
     *                  API server's own
     * @param cacheTtl  how long a review's answer is reused; zero: never
     * @param cacheSize answers kept at most, per cache
     */
    public record Settings(Optional<String> cluster, List<String> audiences, Duration cacheTtl, int cacheSize) {
    }

    private final Settings settings;
    private final ReviewCluster reviewer;
    private final Cache<String, Optional<KubernetesUser>> answers;

    /**
     * @param settings the settings
     * @param clusters the server's clusters, as plugins see them
     */
    public KubernetesAuthenticator(Settings settings, Clusters clusters) {
        this.settings = settings;
        this.reviewer = new ReviewCluster(clusters, settings.cluster());
        this.answers = cache(settings);
    }

    static <K, V> Cache<K, V> cache(Settings settings) {
        return Caffeine.newBuilder().expireAfterWrite(settings.cacheTtl())
                .maximumSize(settings.cacheTtl().isZero() ? 0 : settings.cacheSize()).build();
    }

    /** @return the settings */
    public Settings settings() {
        return settings;
    }

    /**
     * @param token a bearer token
     * @return the caller the API server says it belongs to; empty when it says the token is not valid
     * @throws io.cloudpilot.spi.ApiException 503 when the review cannot be made
     */
    public Optional<Caller> authenticate(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            return Optional.empty();
        }
        String key = HexFormat.of().formatHex(TokenAuthenticator.sha256(token));
        return answers.get(key, k -> review(token)).map(Caller::kubernetes);
    }

    private Optional<KubernetesUser> review(String token) {
        TokenReview asked = new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences(settings.audiences().isEmpty() ? null : settings.audiences()).endSpec().build();
        TokenReview answer = reviewer.call("TokenReview",
                client -> client.authentication().v1().tokenReviews().create(asked));
        var status = answer == null ? null : answer.getStatus();
        if (status == null || !Boolean.TRUE.equals(status.getAuthenticated()) || status.getUser() == null
                || status.getUser().getUsername() == null || status.getUser().getUsername().isEmpty()) {
            // the API server's reason is logged, never the token; it does not quote the token either
            LOG.log(Level.DEBUG, "TokenReview: not authenticated ({0})", status == null ? "no status"
                    : String.valueOf(status.getError()));
            return Optional.empty();
        }
        if (!settings.audiences().isEmpty() && (status.getAudiences() == null
                || status.getAudiences().stream().noneMatch(settings.audiences()::contains))) {
            LOG.log(Level.DEBUG, "TokenReview: authenticated for other audiences {0}", status.getAudiences());
            return Optional.empty();
        }
        UserInfo user = status.getUser();
        return Optional.of(new KubernetesUser(user.getUsername(), user.getUid(), user.getGroups(), user.getExtra()));
    }
}
