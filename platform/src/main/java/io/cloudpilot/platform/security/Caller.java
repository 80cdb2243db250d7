package io.cloudpilot.platform.security;

/**
 * Who a request acts for, once authenticated: the configured name of its token (never the token) and its role.
 *
 * @param name the token's configured name
 * @param role what the caller may do
 */
public record Caller(String name, Role role) {

    /** The request property that holds the current request's caller. */
    public static final String PROPERTY = Caller.class.getName();
}
