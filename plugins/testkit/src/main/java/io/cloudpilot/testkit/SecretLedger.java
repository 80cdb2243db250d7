package io.cloudpilot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets a test run used (cluster tokens, kubeconfigs, keys, API tokens), written down so that a later scan
 * can prove none of them reached a log: never the secret itself, only its length, a 64-bit rolling hash (to find
 * candidate windows quickly) and its SHA-256 (to confirm one), in {@code target/cloudpilot-logs/secrets.ledger}.
 * A secret and its base64 encoding are both recorded.
 */
public final class SecretLedger {

    /** Where {@link ServerLogFiles} writes logs and this class writes the ledger. */
    public static final String DIRECTORY = "cloudpilot-logs";
    /** The ledger's file name. */
    public static final String FILE = "secrets.ledger";
    /** Secrets shorter than this are not scanned for (they would match by chance). */
    static final int MIN_LENGTH = 8;

    private static final Set<String> recorded = ConcurrentHashMap.newKeySet();

    private SecretLedger() {
    }

    /**
     * One recorded secret, as the ledger holds it.
     *
     * @param label   what it was, e.g. "sandbox token" (never the secret)
     * @param length  its length in UTF-8 bytes
     * @param rolling its {@link #rollingHash(byte[], int, int)}
     * @param sha256  its SHA-256, hex
     */
    public record Digest(String label, int length, long rolling, String sha256) {
    }

    /**
     * Records a secret the tests use (and its base64 form). Safe to call many times for the same secret.
     *
     * @param label  what it is, e.g. "sandbox token"; must not contain the secret
     * @param secret the secret
     */
    public static void record(String label, String secret) {
        if (secret == null || secret.length() < MIN_LENGTH) {
            return;
        }
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        append(label, bytes);
        append(label + " (base64)", Base64.getEncoder().encode(bytes));
    }

    /**
     * Records a kubeconfig file: its whole text and every credential in it (token, client key and certificate
     * data, password).
     *
     * @param label what it is
     * @param file  the kubeconfig
     */
    public static void recordKubeconfig(String label, Path file) {
        try {
            String text = Files.readString(file);
            record(label + " kubeconfig", text);
            for (String line : text.split("\n")) {
                String t = line.trim();
                for (String key : List.of("token:", "client-key-data:", "client-certificate-data:", "password:")) {
                    if (t.startsWith(key)) {
                        record(label + " kubeconfig " + key.substring(0, key.length() - 1),
                                t.substring(key.length()).trim().replace("\"", ""));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return this module's log and ledger directory, {@code target/cloudpilot-logs} */
    public static Path directory() {
        return Path.of(System.getProperty("basedir", ".")).resolve("target").resolve(DIRECTORY);
    }

    /**
     * @param ledger a ledger file
     * @return its digests
     * @throws IOException when it cannot be read
     */
    public static List<Digest> read(Path ledger) throws IOException {
        List<Digest> digests = new ArrayList<>();
        for (String line : Files.readAllLines(ledger)) {
            String[] f = line.split("\t");
            if (f.length == 4) {
                digests.add(new Digest(f[0], Integer.parseInt(f[1]), Long.parseUnsignedLong(f[2], 16), f[3]));
            }
        }
        return digests;
    }

    /**
     * Appends to a given ledger file (tests of the scanner use their own).
     *
     * @param ledger the ledger file
     * @param label  what the secret is
     * @param secret the secret
     */
    static void recordTo(Path ledger, String label, String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        write(ledger, line(label, bytes));
    }

    private static void append(String label, byte[] bytes) {
        String line = line(label, bytes);
        if (recorded.add(line)) {
            write(directory().resolve(FILE), line);
        }
    }

    private static String line(String label, byte[] bytes) {
        return label.replace('\t', ' ').replace('\n', ' ') + "\t" + bytes.length + "\t"
                + Long.toHexString(rollingHash(bytes, 0, bytes.length)) + "\t" + sha256(bytes, 0, bytes.length) + "\n";
    }

    private static synchronized void write(Path ledger, String line) {
        try {
            Files.createDirectories(ledger.getParent());
            if (!Files.exists(ledger)) {
                if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(ledger, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } else {
                    Files.createFile(ledger);
                }
            }
            Files.writeString(ledger, line, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base of the rolling hash (mod 2^64). */
    static final long BASE = 1_000_003L;

    /**
     * @param b   bytes
     * @param off where the window starts
     * @param len its length
     * @return the polynomial hash of the window, mod 2^64
     */
    static long rollingHash(byte[] b, int off, int len) {
        long h = 0;
        for (int i = off; i < off + len; i++) {
            h = h * BASE + (b[i] & 0xff);
        }
        return h;
    }

    static String sha256(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
