package io.cloudpilot.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Finds the configured token a presented bearer token belongs to. The presented token is hashed (SHA-256) and
 * compared with <em>every</em> configured hash with {@link MessageDigest#isEqual} (constant time per comparison,
 * no early exit), so the time taken says nothing about which token, or how much of one, matched.
 */
public final class TokenAuthenticator {

    private final List<ApiToken> tokens;

    /**
     * @param tokens the configured tokens
     */
    public TokenAuthenticator(List<ApiToken> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /**
     * @param presented the bearer token a request carried
     * @return the caller it identifies, if it is one of the configured tokens
     */
    public Optional<Caller> authenticate(String presented) {
        byte[] hash = sha256(presented);
        ApiToken match = null;
        for (ApiToken t : tokens) {
            // evaluate every comparison; remember the first match without leaving the loop
            boolean equal = MessageDigest.isEqual(hash, t.sha256());
            if (equal && match == null) {
                match = t;
            }
        }
        return match == null ? Optional.empty() : Optional.of(Caller.token(match.name(), match.role()));
    }

    /**
     * @param token a token
     * @return SHA-256 of its UTF-8 bytes
     */
    public static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
