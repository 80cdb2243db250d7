package io.cloudpilot.platform.security;

/**
 * Who a request acts for, once authenticated: an unambiguous principal (never the credential) and its role. The
 * principal says how the caller authenticated, so a JWT whose name claim equals an API token's name is never taken
 * for that token: {@code token:NAME} for a configured API token, {@code jwt:NAME} for a JWT (its name claim),
 * {@code kubernetes:USER} for a user the Kubernetes API server identified, whose requests the cluster's RBAC decides
 * instead of a role.
 *
 * @param name       the principal, e.g. {@code token:grafana}, {@code jwt:ada} or {@code kubernetes:alice}
 * @param role       what the caller may do; null for a Kubernetes user
 * @param kubernetes the Kubernetes user, when the API server identified the caller; else null
 */
public record Caller(String name, Role role, KubernetesUser kubernetes) {

    /** The request property that holds the current request's caller. */
    public static final String PROPERTY = Caller.class.getName();

    /**
     * @param name the principal
     * @param role what the caller may do
     */
    public Caller(String name, Role role) {
        this(name, role, null);
    }

    /**
     * @param tokenName the configured name of an API token
     * @param role      its role
     * @return the caller {@code token:NAME}
     */
    public static Caller token(String tokenName, Role role) {
        return new Caller("token:" + tokenName, role);
    }

    /**
     * @param claimed the JWT's name claim
     * @param role    the role it claims
     * @return the caller {@code jwt:NAME}
     */
    public static Caller jwt(String claimed, Role role) {
        return new Caller("jwt:" + claimed, role);
    }

    /**
     * @param user a user the Kubernetes API server identified
     * @return the caller {@code kubernetes:USER}, decided by RBAC
     */
    public static Caller kubernetes(KubernetesUser user) {
        return new Caller(user.principal(), null, user);
    }

    /** @return the role as the audit log shows it; null for a Kubernetes user */
    public String roleName() {
        return role == null ? null : role.wire();
    }
}
