package io.cloudpilot.platform.audit;

/**
 * Who the current request acts for, as the audit log names it; {@code anonymous} until CloudPilot's own API
 * authentication sets it.
 */
public final class AuditPrincipal {

    private static final InheritableThreadLocal<String> CURRENT = new InheritableThreadLocal<>();

    private AuditPrincipal() {
    }

    /** @param principal who the current request acts for */
    public static void set(String principal) {
        CURRENT.set(principal);
    }

    /** Forgets the current principal. */
    public static void clear() {
        CURRENT.remove();
    }

    /** @return who the current request acts for */
    public static String current() {
        String p = CURRENT.get();
        return p == null ? "anonymous" : p;
    }
}
