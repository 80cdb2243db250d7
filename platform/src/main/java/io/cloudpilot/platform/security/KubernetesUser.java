package io.cloudpilot.platform.security;

import java.util.List;
import java.util.Map;

/**
 * A caller as the Kubernetes API server identified it in a {@code TokenReview}: what a {@code SubjectAccessReview}
 * needs to decide for this caller.
 *
 * @param username e.g. {@code alice@example.com} or {@code system:serviceaccount:shop:ci}
 * @param uid      the user's uid, or {@code ""}
 * @param groups   the user's groups
 * @param extra    the authenticator's extra attributes (e.g. a service account token's pod name)
 */
public record KubernetesUser(String username, String uid, List<String> groups, Map<String, List<String>> extra) {

    /** The prefix of a Kubernetes caller's principal, as {@code token:} and {@code jwt:} are of the others. */
    public static final String PRINCIPAL_PREFIX = "kubernetes:";

    /**
     * Copies the collections so a cached user cannot be changed.
     */
    public KubernetesUser {
        uid = uid == null ? "" : uid;
        groups = groups == null ? List.of() : List.copyOf(groups);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    /** @return the principal of the audit log, e.g. {@code kubernetes:alice@example.com} */
    public String principal() {
        return PRINCIPAL_PREFIX + username;
    }
}
