package io.cloudpilot.platform.registry;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts credentials at rest: AES-256-GCM, a random 96-bit nonce per value, a 128-bit tag, and the cluster's
 * name as associated data (a value copied onto another cluster's row does not decrypt). A sealed value reads
 * {@code v1:<key id>:<base64(nonce ‖ ciphertext ‖ tag)>}; the key id (16 hex digits of an HMAC of a constant under
 * the key) tells "the key changed" apart from "the value was altered" without revealing anything about the key.
 *
 * <p>Values are sealed with the current key; the previous keys (a key rotation in progress) still open the values
 * sealed with them, and {@link #reseal} moves such a value to the current key.
 */
public final class SecretBox {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final String keyId;
    private final java.util.Map<String, SecretKey> previous;

    /**
     * Why a sealed value cannot be opened.
     */
    public enum Failure {
        /** It was sealed under another key. */
        KEY_CHANGED,
        /** It is malformed or was altered (or moved to another cluster's row). */
        CORRUPTED
    }

    /** A sealed value that cannot be opened; the message never holds key or plaintext. */
    public static final class UnreadableException extends Exception {
        private final Failure failure;

        UnreadableException(Failure failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }

        /** @return why */
        public Failure failure() {
            return failure;
        }
    }

    /**
     * @param key an AES-256 key
     */
    public SecretBox(SecretKey key) {
        this(key, java.util.List.of());
    }

    /**
     * @param key      the AES-256 key values are sealed with
     * @param previous AES-256 keys that still open the values sealed with them
     */
    public SecretBox(SecretKey key, java.util.List<SecretKey> previous) {
        check(key);
        this.key = key;
        this.keyId = keyId(key);
        java.util.Map<String, SecretKey> old = new java.util.LinkedHashMap<>();
        for (SecretKey k : previous) {
            check(k);
            String id = keyId(k);
            if (!id.equals(keyId)) {
                old.put(id, k);
            }
        }
        this.previous = java.util.Map.copyOf(old);
    }

    private static void check(SecretKey key) {
        if (key.getEncoded() == null || key.getEncoded().length != SecretKeys.KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is 32 bytes");
        }
    }

    /** @return how many previous keys still open values */
    public int previousKeys() {
        return previous.size();
    }

    /**
     * @param sealed a value of {@link #seal}
     * @return whether it was sealed with a previous key, i.e. {@link #reseal} would move it to the current key
     */
    public boolean sealedWithPreviousKey(String sealed) {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
        return parts.length == 3 && previous.containsKey(parts[1]);
    }

    /**
     * @param clusterName the associated data
     * @param sealed      a value sealed with the current or a previous key
     * @return the same secret sealed with the current key
     * @throws UnreadableException when no key of this box opens it
     */
    public String reseal(String clusterName, String sealed) throws UnreadableException {
        return seal(clusterName, open(clusterName, sealed));
    }

    /** @return the id of the key values are sealed with */
    public String keyId() {
        return keyId;
    }

    /**
     * @param clusterName the associated data
     * @param plaintext   the secret
     * @return the sealed value
     */
    public String seal(String clusterName, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(clusterName.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed);
            return VERSION + ":" + keyId + ":" + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * @param clusterName the associated data it was sealed with
     * @param sealed      a value of {@link #seal}
     * @return the secret
     * @throws UnreadableException when it was sealed under another key, or is corrupt
     */
    public String open(String clusterName, String sealed) throws UnreadableException {
        String[] parts = sealed == null ? new String[0] : sealed.split(":", 3);
        if (parts.length != 3 || !parts[0].equals(VERSION)) {
            throw new UnreadableException(Failure.CORRUPTED, "the stored value is not in a known format");
        }
        SecretKey with = parts[1].equals(keyId) ? key : previous.get(parts[1]);
        if (with == null) {
            throw new UnreadableException(Failure.KEY_CHANGED, "it was encrypted with another secret key");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new UnreadableException(Failure.CORRUPTED, "the stored value is not valid base64");
        }
        if (bytes.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new UnreadableException(Failure.CORRUPTED, "the stored value is truncated");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, with, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(clusterName.getBytes(StandardCharsets.UTF_8));
            byte[] plain = cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new UnreadableException(Failure.CORRUPTED, "the stored value fails its integrity check");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static String keyId(SecretKey key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] id = mac.doFinal("cloudpilot secret key id".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(id, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "SecretBox[keyId=" + keyId + ", previous=" + previous.keySet() + "]";
    }
}
