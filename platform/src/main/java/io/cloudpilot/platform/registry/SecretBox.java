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
 */
public final class SecretBox {

    private static final String VERSION = "v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final String keyId;

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
        if (key.getEncoded() == null || key.getEncoded().length != SecretKeys.KEY_BYTES) {
            throw new IllegalArgumentException("an AES-256 key is 32 bytes");
        }
        this.key = key;
        this.keyId = keyId(key);
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
        if (!parts[1].equals(keyId)) {
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
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
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
        return "SecretBox[keyId=" + keyId + "]";
    }
}
