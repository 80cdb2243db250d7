package io.cloudpilot.platform.registry;

import java.util.Arrays;

/** How the connection to a registered cluster's API server is secured. */
public enum TlsMode {
    /** TLS verified against the CA data given with the registration. */
    VERIFIED_CA_DATA("verified-ca-data"),
    /** TLS verified against the JVM's trusted CAs. */
    VERIFIED_SYSTEM_TRUST("verified-system-trust"),
    /** TLS without verifying the server (explicit opt-in: {@code insecure_skip_tls_verify}). */
    INSECURE_SKIP_VERIFY("insecure-skip-verify"),
    /** No TLS at all (explicit opt-in: {@code insecure} with an {@code http://} address). */
    PLAIN_HTTP("plain-http");

    private final String wire;

    TlsMode(String wire) {
        this.wire = wire;
    }

    /** @return the name in the API and the database */
    public String wire() {
        return wire;
    }

    /**
     * @param wire a name of {@link #wire()}
     * @return the mode
     */
    public static TlsMode of(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire.equals(wire)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown TLS mode " + wire));
    }
}
