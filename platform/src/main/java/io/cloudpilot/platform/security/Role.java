package io.cloudpilot.platform.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a caller of CloudPilot's API may do. Each role includes the ones before it.
 */
public enum Role {
    /** Reads: every {@code GET}. */
    VIEWER,
    /** Reads and writes to clusters (scaling). */
    OPERATOR,
    /** Everything, including the cluster registry and the audit log. */
    ADMIN;

    /**
     * @param required the role an operation needs
     * @return whether this role may perform it
     */
    public boolean allows(Role required) {
        return compareTo(required) >= 0;
    }

    /** @return the name as configured and shown: {@code viewer}, {@code operator}, {@code admin} */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a configured role
     * @return the role, if the text names one
     */
    public static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.wire().equals(t)).findFirst();
    }

    /** @return {@code viewer, operator, admin} */
    static String names() {
        return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
    }
}
