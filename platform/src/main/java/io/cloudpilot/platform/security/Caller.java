package io.cloudpilot.platform.security;

/**
 * Who a request acts for, once authenticated: the configured name of its token (never the token) and its role,
 * or a Kubernetes user, whose requests are decided by the cluster's RBAC instead of a role.
 *
 * @param name       the token's configured name, or the Kubernetes user's principal ({@code kubernetes:alice})
 * @param role       what the caller may do; null for a Kubernetes user
 * @param kubernetes the Kubernetes user, when the API server identified the caller
 */
public record Caller(String name, Role role, KubernetesUser kubernetes) {

    /** The request property that holds the current request's caller. */
    public static final String PROPERTY = Caller.class.getName();

    /**
     * @param name the token's configured name
     * @param role what the caller may do
     */
    public Caller(String name, Role role) {
        this(name, role, null);
    }

    /**
     * @param user a user the Kubernetes API server identified
     * @return the caller, decided by RBAC
     */
    public static Caller of(KubernetesUser user) {
        return new Caller(user.principal(), null, user);
    }

    /** @return the role as the audit log shows it; null for a Kubernetes user */
    public String roleName() {
        return role == null ? null : role.wire();
    }
}
