package io.cloudpilot.platform.security;

import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.Clusters;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewSpecBuilder;

/**
 * Decides what a Kubernetes caller may do with the cluster's RBAC: one {@code SubjectAccessReview} per permission a
 * request needs ({@link KubernetesPermissions}), as Kiali's token strategy and kube-rbac-proxy do. Decisions are
 * cached briefly per user and permission; a review that cannot be made is a 503 and is not cached.
 */
public final class KubernetesAuthorizer {

    private record Question(KubernetesUser user, KubernetesAccess access) {
    }

    private final ReviewCluster reviewer;
    private final Cache<Question, Boolean> decisions;

    /**
     * @param settings {@code cloudpilot.auth.kubernetes.*}
     * @param clusters the server's clusters, as plugins see them
     */
    public KubernetesAuthorizer(KubernetesAuthenticator.Settings settings, Clusters clusters) {
        this.reviewer = new ReviewCluster(clusters, settings.cluster());
        this.decisions = KubernetesAuthenticator.cache(settings);
    }

    /**
     * @param user   the caller
     * @param needed what the request needs
     * @throws ApiException.Forbidden naming the first permission the caller lacks
     * @throws ApiException           503 when a review cannot be made
     */
    public void require(KubernetesUser user, List<KubernetesAccess> needed) {
        for (KubernetesAccess access : needed) {
            if (!decisions.get(new Question(user, access), q -> review(q.user(), q.access()))) {
                throw new ApiException.Forbidden("Kubernetes user '" + user.username() + "' may not "
                        + access.describe() + ", which this endpoint needs: the RBAC of the cluster decides what "
                        + "CloudPilot shows you. Ask for a Role or ClusterRole that allows it (check with: "
                        + access.canI() + ").", null);
            }
        }
    }

    private boolean review(KubernetesUser user, KubernetesAccess access) {
        SubjectAccessReviewSpecBuilder spec = new SubjectAccessReviewSpecBuilder()
                .withUser(user.username())
                .withUid(user.uid().isEmpty() ? null : user.uid())
                .withGroups(user.groups())
                .withExtra(user.extra().isEmpty() ? null : user.extra());
        if (access.isNonResource()) {
            spec.withNewNonResourceAttributes().withPath(access.path()).withVerb(access.verb()).endNonResourceAttributes();
        } else {
            spec.withNewResourceAttributes()
                    .withVerb(access.verb())
                    .withGroup(access.group())
                    .withResource(access.resource())
                    .withSubresource(access.subresource().isEmpty() ? null : access.subresource())
                    .withNamespace(access.namespace().isEmpty() ? null : access.namespace())
                    .withName(access.name().isEmpty() ? null : access.name())
                    .endResourceAttributes();
        }
        SubjectAccessReview asked = new SubjectAccessReviewBuilder().withSpec(spec.build()).build();
        SubjectAccessReview answer = reviewer.call("SubjectAccessReview",
                client -> client.authorization().v1().subjectAccessReview().create(asked));
        return answer != null && answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed())
                && !Boolean.TRUE.equals(answer.getStatus().getDenied());
    }
}
