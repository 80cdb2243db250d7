package io.cloudpilot.conformance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.cloudpilot.testkit.SecretLedger;
import io.cloudpilot.testkit.SecretScanner;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The last test of the build (the last class of the conformance module, the last module): every secret the test
 * suite used (the ledgers of every module: cluster tokens, kubeconfigs, keys, the control plane's tokens) is looked
 * for in every log the suite produced — the in-process servers' logs at every level, the distribution's server logs,
 * the control plane's, and every test report and test output. A finding names the file and the line, never the
 * secret.
 */
@Order(Integer.MAX_VALUE)
class SecretScanTest {

    @Test
    void noSecretTheTestsUsedAppearsInAnyLogOrTestOutput() throws Exception {
        Path reactor = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
        SecretScanner.Inputs inputs = SecretScanner.inputs(reactor, 4);
        List<SecretLedger.Digest> secrets = new ArrayList<>();
        for (Path ledger : inputs.ledgers()) {
            secrets.addAll(SecretLedger.read(ledger));
        }
        assertTrue(!secrets.isEmpty(), "the tests recorded the secrets they used: " + inputs.ledgers());
        // control: the modules whose tests use secrets wrote their ledgers, this one's when its suite ran
        List<String> modules = new ArrayList<>(List.of("plugins/testkit", "dist"));
        if (K8sAssets.find().isPresent()) {
            modules.add("conformance");
        }
        for (String module : modules) {
            Path ledger = reactor.resolve(module).resolve("target").resolve(SecretLedger.DIRECTORY)
                    .resolve(SecretLedger.FILE);
            assertThat(inputs.ledgers()).as("the ledger of " + module + " is read: " + inputs.ledgers()).contains(ledger);
        }
        assertTrue(inputs.logs().stream().anyMatch(p -> p.getFileName().toString().startsWith("server-")),
                "the in-process servers' logs were captured: " + inputs.logs().size() + " files");
        List<SecretScanner.Finding> findings = SecretScanner.scan(inputs.logs(), secrets);
        long bytes = 0;
        for (Path p : inputs.logs()) {
            bytes += java.nio.file.Files.size(p);
        }
        System.out.printf("secret scan: %d secrets from %d ledgers, %d files (%d MB), %d findings%n", secrets.size(),
                inputs.ledgers().size(), inputs.logs().size(), bytes >> 20, findings.size());
        assertTrue(findings.isEmpty(), "secrets in logs or test output (file:line: what):\n"
                + findings.stream().map(SecretScanner.Finding::toString).collect(Collectors.joining("\n")));
    }
}
