package io.cloudpilot.plugin.toolkit;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Timestamps parse to the same instant whether they take the fast path (the form Kubernetes writes) or not.
 */
class AgesParseTest {

    @Test
    void sameInstantAsTheFullParser() {
        for (String ts : new String[] {"2024-06-11T20:21:00Z", "1999-12-31T23:59:59Z", "2024-02-29T00:00:00Z",
                "2024-06-11T20:21:00.123456Z", "2024-06-11T22:21:00+02:00"}) {
            assertEquals(OffsetDateTime.parse(ts).toInstant(), Ages.parse(ts), ts);
        }
    }

    @Test
    void malformedIsNull() {
        assertNull(Ages.parse("2023-02-30T00:00:00Z"));
        assertNull(Ages.parse("2024-13-01T00:00:00Z"));
        assertNull(Ages.parse("2024-06-11 20:21:00Z"));
        assertNull(Ages.parse("yesterday"));
        assertNull(Ages.parse(""));
        assertEquals(Instant.parse("2024-06-11T20:21:00Z"), Ages.parse("2024-06-11T20:21:00Z"));
    }
}
