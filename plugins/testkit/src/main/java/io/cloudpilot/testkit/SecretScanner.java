package io.cloudpilot.testkit;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Scans files for the secrets of a {@link SecretLedger} without knowing them: a rolling hash over every window of
 * each recorded length finds candidates, SHA-256 confirms them. A finding names the file, the line and the secret's
 * label, never the secret.
 */
public final class SecretScanner {

    private SecretScanner() {
    }

    /**
     * A secret found in a file.
     *
     * @param file  the file
     * @param line  the line (1-based) where it starts
     * @param label the secret's label
     */
    public record Finding(Path file, int line, String label) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + label;
        }
    }

    /**
     * @param files   the files to scan
     * @param digests the secrets to look for
     * @return every occurrence
     * @throws IOException when a file cannot be read
     */
    public static List<Finding> scan(Collection<Path> files, Collection<SecretLedger.Digest> digests) throws IOException {
        Map<Integer, Map<Long, List<SecretLedger.Digest>>> byLength = new HashMap<>();
        for (SecretLedger.Digest d : digests) {
            byLength.computeIfAbsent(d.length(), k -> new HashMap<>())
                    .computeIfAbsent(d.rolling(), k -> new ArrayList<>()).add(d);
        }
        List<Finding> findings = new ArrayList<>();
        for (Path file : files) {
            byte[] b = Files.readAllBytes(file);
            for (Map.Entry<Integer, Map<Long, List<SecretLedger.Digest>>> e : byLength.entrySet()) {
                int len = e.getKey();
                if (b.length < len) {
                    continue;
                }
                long power = 1; // BASE^(len-1) mod 2^64
                for (int i = 1; i < len; i++) {
                    power *= SecretLedger.BASE;
                }
                long h = SecretLedger.rollingHash(b, 0, len);
                for (int start = 0; ; start++) {
                    List<SecretLedger.Digest> candidates = e.getValue().get(h);
                    if (candidates != null) {
                        String sha = SecretLedger.sha256(b, start, len);
                        for (SecretLedger.Digest d : candidates) {
                            if (d.sha256().equals(sha)) {
                                findings.add(new Finding(file, lineOf(b, start), d.label()));
                            }
                        }
                    }
                    if (start + len >= b.length) {
                        break;
                    }
                    h = (h - (b[start] & 0xff) * power) * SecretLedger.BASE + (b[start + len] & 0xff);
                }
            }
        }
        return findings;
    }

    /**
     * Every ledger and every log under the {@code target} directories below a root (a reactor's modules).
     *
     * @param root     the root, e.g. the reactor's directory
     * @param maxDepth how deep the module directories go
     * @return the ledgers and the files to scan
     * @throws IOException when the tree cannot be read
     */
    public static Inputs inputs(Path root, int maxDepth) throws IOException {
        List<Path> ledgers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        // the target directories of the modules, not what is inside them, and never a hidden directory such as
        // .git (whose files come and go while the build runs)
        List<Path> targetDirs = new ArrayList<>();
        Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), maxDepth,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir,
                            BasicFileAttributes attrs) {
                        String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                        if (!dir.equals(root) && name.startsWith(".")) {
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        if (name.equals("target")) {
                            targetDirs.add(dir);
                            return FileVisitResult.SKIP_SUBTREE;
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // gone while walking: nothing to scan
                    }
                });
        for (Path target : targetDirs) {
            for (String dir : List.of(SecretLedger.DIRECTORY, "surefire-reports", "failsafe-reports")) {
                Path d = target.resolve(dir);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(d)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String name = f.getFileName().toString();
                        if (name.equals(SecretLedger.FILE)) {
                            ledgers.add(f);
                        } else if (name.endsWith(".log") || name.endsWith(".txt") || name.endsWith(".xml")
                                || name.endsWith(".dumpstream")) {
                            logs.add(f);
                        }
                    }
                }
            }
        }
        return new Inputs(ledgers, logs);
    }

    /**
     * @param ledgers the ledger files found
     * @param logs    the log and report files found
     */
    public record Inputs(List<Path> ledgers, List<Path> logs) {
    }

    private static int lineOf(byte[] b, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (b[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
