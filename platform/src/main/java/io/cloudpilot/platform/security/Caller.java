package io.cloudpilot.platform.security;

/**
 * Who a request acts for, once authenticated: an unambiguous principal (never the credential) and its role. The
 * principal says how the caller authenticated, so a JWT whose name claim equals an API token's name is never taken
 * for that token: {@code token:NAME} for a configured API token, {@code jwt:NAME} for a JWT (its name claim).
 *
 * @param name the principal, e.g. {@code token:grafana} or {@code jwt:ada}
 * @param role what the caller may do
 */
public record Caller(String name, Role role) {

    /** The request property that holds the current request's caller. */
    public static final String PROPERTY = Caller.class.getName();

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
}
