package io.cloudpilot.platform.security;

/**
 * One configured API token: its name (shown in the audit log), its role, and the SHA-256 of the token. The token
 * itself is never configured, stored or held.
 *
 * @param name   e.g. {@code ci-deployer}
 * @param role   what it may do
 * @param sha256 the 32 bytes of SHA-256 over the token's UTF-8 bytes
 */
@SuppressWarnings("ArrayRecordComponent") // compared only with MessageDigest.isEqual, never as a record
public record ApiToken(String name, Role role, byte[] sha256) {

    /** No hash in logs or messages. */
    @Override
    public String toString() {
        return "ApiToken[" + name + ", " + role.wire() + "]";
    }
}
