package io.cloudpilot.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Deterministic names, ids and pseudo-random numbers derived from strings, so that generated objects, logs and
 * metrics are the same on every start.
 */
final class Names {

    /** The alphabet Kubernetes uses for generated name suffixes (no vowels, no confusable characters). */
    private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

    private Names() {
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(String seed, int length) {
        StringBuilder sb = new StringBuilder();
        int round = 0;
        while (sb.length() < length) {
            sb.append(HexFormat.of().formatHex(sha256(seed + "#" + round++)));
        }
        return sb.substring(0, length);
    }

    static long hash(String seed) {
        byte[] d = sha256(seed);
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xff);
        }
        return h;
    }

    /**
     * @param seed   the seed
     * @param length the length
     * @return a name suffix such as {@code x2k9p}
     */
    static String suffix(String seed, int length) {
        byte[] d = sha256(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt((d[i] & 0xff) % ALPHABET.length()));
        }
        return sb.toString();
    }

    /**
     * @param seed a seed such as {@code Pod/shop/frontend-x}
     * @return a stable name-based UUID
     */
    static String uid(String seed) {
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * @param seed a seed
     * @return a number in [0, 1)
     */
    static double fraction(String seed) {
        return (hash(seed) >>> 11) / (double) (1L << 53);
    }
}
