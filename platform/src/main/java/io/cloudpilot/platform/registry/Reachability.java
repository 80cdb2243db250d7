package io.cloudpilot.platform.registry;

import java.util.Arrays;

/** What CloudPilot last saw when it called a cluster: its check at registration, then every call to it. */
public enum Reachability {
    /** It answered. */
    REACHABLE("reachable"),
    /** It did not answer, or refused the credentials ({@code last_error} says which). */
    UNREACHABLE("unreachable"),
    /** Not called since it was registered ({@code verify: false}). */
    UNKNOWN("unknown");

    private final String wire;

    Reachability(String wire) {
        this.wire = wire;
    }

    /** @return the name in the API and the database */
    public String wire() {
        return wire;
    }

    /**
     * @param wire a name of {@link #wire()}
     * @return the value
     */
    public static Reachability of(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(wire)).findFirst().orElse(UNKNOWN);
    }
}
