package io.cloudpilot.plugin.istioworkloads;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Level and time parsing of the log formats an istiod or gateway pod writes.
 */
class LogLinesTest {

    @Test
    void istioFormatCarriesLevelAndScope() {
        LogLines.Parsed p = LogLines.parse("2026-11-25T16:42:57.735092Z\twarn\tmodel\tvirtual service shop/ghost: gateway not found");
        assertEquals("warning", p.level());
        assertEquals("model", p.scope());
        assertEquals("2026-11-25T16:42:57.735092Z", p.timestamp());
        assertEquals("istio", p.format());
        LogLines.Parsed noScope = LogLines.parse("2026-11-25T16:42:57.735092Z\tinfo\tEnvoy proxy is ready");
        assertEquals("info", noScope.level());
        assertNull(noScope.scope());
    }

    @Test
    void anInfoLineMentioningFailuresIsNotAnError() {
        // the earlier implementation matched the substring "err"/"fail" anywhere in the line
        assertEquals("info", LogLines.parse("2026-11-25T16:42:57.735092Z\tinfo\tads\tretrying failover cluster after stderr flush").level());
    }

    @Test
    void accessLogsAreGradedByStatus() {
        assertEquals("error", LogLines.parse("[2026-11-25T13:43:31.843Z] \"GET /api HTTP/2\" 504 UT response_timeout - \"-\" 0 24").level());
        assertEquals("warning", LogLines.parse("[2026-11-25T13:43:31.843Z] \"GET /healthz HTTP/1.1\" 404 NR route_not_found - \"-\" 0 0").level());
        assertEquals("info", LogLines.parse("[2026-11-25T13:43:31.843Z] \"GET / HTTP/1.1\" 200 - via_upstream - \"-\" 0 10").level());
    }

    @Test
    void envoyKlogAndStructuredLines() {
        assertEquals("error", LogLines.parse("[2026-11-25 10:00:00.000][15][error][config] rejected").level());
        assertEquals("warning", LogLines.parse("W1125 10:00:00.000000       1 reflector.go:547] watch ended").level());
        assertEquals("error", LogLines.parse("{\"level\":\"error\",\"msg\":\"boom\"}").level());
        assertEquals("warning", LogLines.parse("time=\"2026-11-25T10:00:00Z\" level=warning msg=slow").level());
        assertEquals("info", LogLines.parse("plain text without a level").level());
    }

    @Test
    void kubeletPrefixKeepsTheInnerLevel() {
        LogLines.Parsed p = LogLines.parse("2026-11-25T16:42:57.735092123Z 2026-11-25T16:42:57.735092Z\terror\tads\tpush failed");
        assertEquals("error", p.level());
        assertEquals("ads", p.scope());
    }
}
