package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where the key that encrypts cluster credentials comes from: {@code cloudpilot.secret-key} (base64 of 32 bytes;
 * environment variable {@code CLOUDPILOT_SECRET_KEY}) if set, else the key file {@code <data-dir>/secret.key}
 * (base64 text), created with permissions 0600 on first start. A key that is malformed, or a key file that others
 * can read or write, stops the server with a sentence that says what to do. Key material never appears in a
 * message or a log line.
 */
public final class SecretKeys {

    /** The key file's name in the data directory. */
    public static final String KEY_FILE = "secret.key";
    /** AES-256. */
    public static final int KEY_BYTES = 32;

    private static final System.Logger LOG = System.getLogger(SecretKeys.class.getName());
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private SecretKeys() {
    }

    /** A key that cannot be used; the message says why and what to do, without the key. */
    public static final class InvalidKeyException extends IllegalStateException {
        InvalidKeyException(String message) {
            super(message);
        }
    }

    /**
     * A loaded key.
     *
     * @param key     the AES key
     * @param source  where it came from ({@code cloudpilot.secret-key} or the key file's path)
     * @param created whether the key file was created by this call
     */
    public record Loaded(SecretKey key, String source, boolean created) {
        /** Never shows the key. */
        @Override
        public String toString() {
            return "SecretKey[source=" + source + ", created=" + created + "]";
        }
    }

    /**
     * @param configured {@code cloudpilot.secret-key}, if set
     * @param dataDir    the data directory (for the key file)
     * @return the key
     * @throws InvalidKeyException when the key is malformed or its file is not private
     */
    public static Loaded load(Optional<String> configured, Path dataDir) {
        if (configured.isPresent()) {
            byte[] key = decode(configured.get(), "cloudpilot.secret-key (CLOUDPILOT_SECRET_KEY)",
                    "Set it to 32 random bytes in base64, e.g. the output of 'openssl rand -base64 32'.");
            return new Loaded(aes(key), "cloudpilot.secret-key", false);
        }
        Path file = dataDir.resolve(KEY_FILE);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            try {
                return create(file);
            } catch (FileAlreadyExistsException raced) {
                // another process created it meanwhile: use theirs
            } catch (IOException e) {
                throw new InvalidKeyException("Cannot create the secret key file " + file + " (" + e.getClass()
                        .getSimpleName() + "): make the data directory writable, or set cloudpilot.secret-key.");
            }
        }
        return readFile(file);
    }

    /**
     * @param configured {@code cloudpilot.previous-secret-keys}: comma-separated base64 keys, if set
     * @return the keys that still open credentials sealed with them during a key rotation
     * @throws InvalidKeyException when one is malformed (the message names which, never its value)
     */
    public static java.util.List<SecretKey> previous(Optional<String> configured) {
        java.util.List<SecretKey> keys = new java.util.ArrayList<>();
        if (configured.isEmpty()) {
            return keys;
        }
        String[] values = configured.get().split(",");
        for (int i = 0; i < values.length; i++) {
            if (values[i].isBlank()) {
                continue;
            }
            keys.add(aes(decode(values[i], "Key " + (i + 1) + " of cloudpilot.previous-secret-keys "
                    + "(CLOUDPILOT_PREVIOUS_SECRET_KEYS)", "Give the earlier keys as base64 of 32 bytes each, separated "
                    + "by commas (docs/registry.md, key rotation).")));
        }
        return keys;
    }

    private static Loaded create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        byte[] text = (Base64.getEncoder().encodeToString(key) + "\n").getBytes(StandardCharsets.US_ASCII);
        boolean posix = Files.getFileAttributeView(file.getParent(), PosixFileAttributeView.class) != null;
        if (posix) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        } else {
            Files.createFile(file);
        }
        Files.write(file, text, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        Arrays.fill(text, (byte) 0);
        if (posix) {
            LOG.log(Level.WARNING, "Created a new secret key for cluster credentials at {0} (permissions 0600). Back it "
                    + "up: without it the stored credentials cannot be read.", file);
        } else {
            LOG.log(Level.WARNING, "Created a new secret key for cluster credentials at {0}, on a file system without "
                    + "POSIX permissions: restrict access to it yourself.", file);
        }
        return new Loaded(aes(key), file.toString(), true);
    }

    private static Loaded readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidKeyException("The secret key file " + file + " is not a regular file: remove it to have a "
                    + "new key created (credentials stored with the old key are then lost), or restore the original.");
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view != null) {
            Set<PosixFilePermission> perms;
            try {
                perms = view.readAttributes().permissions();
            } catch (IOException e) {
                throw new InvalidKeyException("Cannot read the permissions of the secret key file " + file + ".");
            }
            if (perms.stream().anyMatch(OTHERS::contains)) {
                throw new InvalidKeyException("The secret key file " + file + " is accessible to group or others ("
                        + PosixFilePermissions.toString(perms) + "): it must be readable by CloudPilot's user only. Run "
                        + "'chmod 600 " + file + "' and start again.");
            }
        }
        byte[] text;
        try {
            text = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InvalidKeyException("Cannot read the secret key file " + file + " (" + e.getClass().getSimpleName()
                    + "): CloudPilot's user must own it.");
        }
        String value = new String(text, StandardCharsets.US_ASCII);
        Arrays.fill(text, (byte) 0);
        byte[] key = decode(value, "The secret key file " + file,
                "Restore the original file (credentials stored with another key cannot be read), or remove it to have "
                        + "a new key created.");
        return new Loaded(aes(key), file.toString(), false);
    }

    private static byte[] decode(String value, String what, String todo) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException(what + " is not valid base64. " + todo);
        }
        if (key.length != KEY_BYTES) {
            int n = key.length;
            Arrays.fill(key, (byte) 0);
            throw new InvalidKeyException(what + " holds " + n + " bytes after base64 decoding; an AES-256 key is "
                    + KEY_BYTES + " bytes. " + todo);
        }
        return key;
    }

    private static SecretKey aes(byte[] key) {
        SecretKey k = new SecretKeySpec(key, "AES");
        Arrays.fill(key, (byte) 0);
        return k;
    }
}
