package io.cloudpilot.platform.audit;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An audit line cannot be forged by what a caller controls (paths, names), and stays one line.
 */
class AuditRecordTest {

    @Test
    void callerControlledValuesCannotForgeALineOrAField() {
        String path = "/x\n2026-01-01T00:00:00.000Z principal=\"admin\" result=\"ok\"";
        AuditRecord r = new AuditRecord(Instant.parse("2026-11-25T17:58:26.317Z"), "anonymous", null, "GET " + path,
                "GET", path, "a\" result=\"ok", null, null, null, null, "denied", 401);
        String line = r.line();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("time=2026-11-25T17:58:26.317Z principal=\"anonymous\" role=-"), line);
        assertThat(line).as(line).contains("cluster=\"a\\\" result=\\\"ok\"");
        assertThat(line).as(line).contains("\\u000a");
        assertThat(line).as(line).doesNotContain(" principal=\"admin\"");
    }

    @Test
    void longValuesAreCut() {
        String longName = "n".repeat(5000);
        AuditRecord r = new AuditRecord(Instant.now(), longName, "viewer", "a", "GET", "/", null, null, null, null,
                null, "ok", 200);
        assertEquals(AuditRecord.MAX + 1, r.principal().length());
    }
}
