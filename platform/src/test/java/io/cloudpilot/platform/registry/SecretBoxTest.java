package io.cloudpilot.platform.registry;

import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * AES-256-GCM with a random nonce and the cluster's name as associated data.
 */
class SecretBoxTest {

    private static SecretBox box() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new SecretBox(new SecretKeySpec(key, "AES"));
    }

    @Test
    void sealsAndOpens() throws Exception {
        SecretBox box = box();
        String sealed = box.seal("prod", "my-token");
        assertTrue(sealed.startsWith("v1:" + box.keyId() + ":"), sealed);
        assertThat(sealed).doesNotContain("my-token");
        assertEquals("my-token", box.open("prod", sealed));
        assertNotEquals(sealed, box.seal("prod", "my-token"), "a fresh nonce every time");
        byte[] raw = Base64.getDecoder().decode(sealed.split(":")[2]);
        assertEquals(12 + "my-token".length() + 16, raw.length, "96-bit nonce, 128-bit tag");
    }

    @Test
    void anotherClustersNameDoesNotOpenIt() throws Exception {
        SecretBox box = box();
        String sealed = box.seal("prod", "my-token");
        SecretBox.UnreadableException e = assertThrows(SecretBox.UnreadableException.class,
                () -> box.open("staging", sealed));
        assertEquals(SecretBox.Failure.CORRUPTED, e.failure());
    }

    @Test
    void anotherKeyIsReportedAsAKeyChange() {
        String sealed = box().seal("prod", "my-token");
        SecretBox.UnreadableException e = assertThrows(SecretBox.UnreadableException.class,
                () -> box().open("prod", sealed));
        assertEquals(SecretBox.Failure.KEY_CHANGED, e.failure());
        assertThat(e.getMessage()).doesNotContain("my-token");
    }

    @Test
    void alteredValuesAreRejected() {
        SecretBox box = box();
        String sealed = box.seal("prod", "my-token");
        String[] parts = sealed.split(":");
        byte[] raw = Base64.getDecoder().decode(parts[2]);
        raw[raw.length - 1] ^= 1;
        String altered = parts[0] + ":" + parts[1] + ":" + Base64.getEncoder().encodeToString(raw);
        assertEquals(SecretBox.Failure.CORRUPTED,
                assertThrows(SecretBox.UnreadableException.class, () -> box.open("prod", altered)).failure());
        assertEquals(SecretBox.Failure.CORRUPTED,
                assertThrows(SecretBox.UnreadableException.class, () -> box.open("prod", "garbage")).failure());
        assertThat(box.toString()).doesNotContain(parts[2]);
    }
}
