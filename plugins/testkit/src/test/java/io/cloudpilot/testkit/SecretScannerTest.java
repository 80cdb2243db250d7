package io.cloudpilot.testkit;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The scanner behind the distribution's secret scan finds a planted secret (plain or base64) by its digest alone,
 * names file and line but never the secret, and finds nothing in a clean log.
 */
class SecretScannerTest {

    @TempDir
    Path dir;

    @Test
    void findsAPlantedSecretByItsDigestAndNamesFileAndLineOnly() throws Exception {
        String secret = randomToken();
        Path ledger = dir.resolve(SecretLedger.FILE);
        SecretLedger.recordTo(ledger, "planted token", secret);
        SecretLedger.recordTo(ledger, "planted token (base64)",
                Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        assertThat(Files.readString(ledger)).as("the ledger holds digests, not the secret").doesNotContain(secret);

        Path log = dir.resolve("server.log");
        Files.writeString(log, "INFO starting\nFINE connecting to cluster x\nFINEST header Authorization: Bearer "
                + secret + "\nINFO done\n" + secret + "\nkubeconfig-data "
                + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
        Path clean = dir.resolve("clean.log");
        Files.writeString(clean, "INFO nothing to see " + secret.substring(0, secret.length() - 1) + "\n");

        List<SecretScanner.Finding> findings = SecretScanner.scan(List.of(log, clean), SecretLedger.read(ledger));

        assertEquals(List.of(3, 5, 6), findings.stream().map(SecretScanner.Finding::line).sorted().toList(),
                findings.toString());
        assertTrue(findings.stream().allMatch(f -> f.file().equals(log)), "nothing in the clean log: " + findings);
        assertTrue(findings.stream().anyMatch(f -> f.label().equals("planted token (base64)")), findings.toString());
        assertThat(findings.toString()).as("a finding never shows the secret").doesNotContain(secret);
        assertTrue(findings.getFirst().toString().startsWith(log + ":"), findings.getFirst().toString());
    }

    @Test
    void findsASecretThatIsTheWholeFile() throws Exception {
        String secret = randomToken();
        Path ledger = dir.resolve(SecretLedger.FILE);
        SecretLedger.recordTo(ledger, "whole", secret);
        Path log = dir.resolve("exact.log");
        Files.writeString(log, secret);
        assertEquals(1, SecretScanner.scan(List.of(log), SecretLedger.read(ledger)).size());
    }

    private static String randomToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
