package io.cloudpilot.platform.registry;

import java.util.Arrays;

/** How CloudPilot authenticates to a registered cluster. */
public enum AuthKind {
    /** A bearer token ({@code api_server} + {@code token}). */
    TOKEN("token"),
    /** The credentials of a kubeconfig's current context. */
    KUBECONFIG("kubeconfig"),
    /** A kubeconfig file on the server ({@code registry.kubeconfig-dir}); never stored in the database. */
    KUBECONFIG_FILE("kubeconfig-file");

    private final String wire;

    AuthKind(String wire) {
        this.wire = wire;
    }

    /** @return the name in the API and the database */
    public String wire() {
        return wire;
    }

    /**
     * @param wire a name of {@link #wire()}
     * @return the kind
     */
    public static AuthKind of(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown auth kind " + wire));
    }
}
