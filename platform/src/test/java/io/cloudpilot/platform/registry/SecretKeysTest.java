package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the registry's key comes from, on real files.
 */
class SecretKeysTest {

    @TempDir
    Path dir;

    private static String keyId(SecretKeys.Loaded k) {
        return new SecretBox(k.key()).keyId();
    }

    @Test
    void keyFileIsCreatedOwnerOnlyAndReusedAfterwards() throws IOException {
        Path data = dir.resolve("data");
        SecretKeys.Loaded first = SecretKeys.load(Optional.empty(), data);
        assertTrue(first.created());
        Path file = data.resolve("secret.key");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(32, Base64.getDecoder().decode(Files.readString(file).trim()).length);
        SecretKeys.Loaded second = SecretKeys.load(Optional.empty(), data);
        assertFalse(second.created());
        assertEquals(keyId(first), keyId(second));
        assertThat(first.toString()).doesNotContain(Files.readString(file).trim());
    }

    @Test
    void aKeyFileOthersCanReadStopsTheServer() throws IOException {
        SecretKeys.load(Optional.empty(), dir);
        Path file = dir.resolve("secret.key");
        String key = Files.readString(file).trim();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        SecretKeys.InvalidKeyException e = assertThrows(SecretKeys.InvalidKeyException.class,
                () -> SecretKeys.load(Optional.empty(), dir));
        assertThat(e.getMessage()).as(e.getMessage()).contains("chmod 600 " + file);
        assertThat(e.getMessage()).doesNotContain(key);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw----r--"));
        assertThrows(SecretKeys.InvalidKeyException.class, () -> SecretKeys.load(Optional.empty(), dir));
    }

    @Test
    void aKeyFileOfTheWrongLengthStopsTheServer() throws IOException {
        Path file = dir.resolve("secret.key");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[16]));
        SecretKeys.InvalidKeyException e = assertThrows(SecretKeys.InvalidKeyException.class,
                () -> SecretKeys.load(Optional.empty(), dir));
        assertThat(e.getMessage()).as(e.getMessage()).contains("16 bytes", "32");
        Files.writeString(file, "not base64 at all!");
        e = assertThrows(SecretKeys.InvalidKeyException.class, () -> SecretKeys.load(Optional.empty(), dir));
        assertThat(e.getMessage()).as(e.getMessage()).contains("not valid base64");
    }

    @Test
    void aConfiguredKeyWinsAndIsValidated() throws IOException {
        byte[] raw = new byte[32];
        raw[0] = 7;
        String configured = Base64.getEncoder().encodeToString(raw);
        SecretKeys.Loaded k = SecretKeys.load(Optional.of(configured), dir);
        assertEquals("cloudpilot.secret-key", k.source());
        assertFalse(Files.exists(dir.resolve("secret.key")), "no key file when the key is configured");
        assertNotEquals(keyId(k), keyId(SecretKeys.load(Optional.empty(), dir)));

        String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
        SecretKeys.InvalidKeyException e = assertThrows(SecretKeys.InvalidKeyException.class,
                () -> SecretKeys.load(Optional.of(shortKey), dir));
        assertTrue(e.getMessage().contains("cloudpilot.secret-key") && e.getMessage().contains("31 bytes"),
                e.getMessage());
        assertThat(e.getMessage()).doesNotContain(shortKey);
        e = assertThrows(SecretKeys.InvalidKeyException.class, () -> SecretKeys.load(Optional.of("%%%"), dir));
        assertThat(e.getMessage()).as(e.getMessage()).contains("openssl rand -base64 32");
    }
}
