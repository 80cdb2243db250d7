package io.cloudpilot.platform.http.edge;

import java.nio.file.Path;
import java.util.Map;

import io.cloudpilot.platform.CloudPilotServer;
import io.cloudpilot.platform.security.TokenAuthenticator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DNS rebinding: with authentication off (loopback, no tokens), a web page whose name resolves to 127.0.0.1 after it
 * loaded could drive the API from the visitor's browser; the browser sends the page's name as Host. The server
 * answers only loopback Host values and the configured names. With authentication on, the check is off: a rebound
 * page has no token to send.
 */
class HostCheckTest {

    @TempDir
    Path dataDir;

    private CloudPilotServer start(Map<String, String> extra) {
        return EdgeServers.start(dataDir, extra);
    }

    private static RawHttp.Response get(int port, String host, String extraHeaders) {
        return RawHttp.send(port, "GET /k8s/cluster/list HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders + "\r\n",
                1000).responses().getFirst();
    }

    @Test
    void withoutAuthenticationOnlyLoopbackHostsAreAnswered() {
        try (CloudPilotServer server = start(Map.of("cloudpilot.http.allowed-hosts", "cloudpilot.lab"))) {
            int port = server.port();
            for (String host : new String[] {"attacker.example:" + port, "attacker.example", "127.0.0.1.nip.io:" + port,
                    "0.0.0.0:" + port, "192.168.1.10", "[::ffff:192.168.1.1]", "localhost.attacker.example",
                    "999.0.0.1", "127.0.0.1:80@attacker.example", "127.0.0.1:x", "localhost:"}) {
                RawHttp.Response r = get(port, host, "");
                assertEquals(403, r.status(), host);
                assertTrue(r.isEnvelope(), r::toString);
                assertEquals("Forbidden", r.json().path("data").path("error_type").asString());
                assertThat(r.message()).as(r::message).contains("cloudpilot.http.allowed-hosts");
            }
            for (String host : new String[] {"127.0.0.1:" + port, "127.0.0.1", "127.1.2.3:" + port, "localhost:" + port,
                    "LOCALHOST", "api.localhost", "[::1]:" + port, "[::1]", "cloudpilot.lab:" + port, "CloudPilot.Lab"}) {
                assertEquals(200, get(port, host, "").status(), host);
            }
            // an absolute-form target names the host too (RFC 9112 §3.2.2)
            RawHttp.Response absolute = RawHttp.send(port, """
                    GET http://attacker.example/k8s/cluster/list HTTP/1.1\r
                    Host: 127.0.0.1\r
                    \r
                    """, 1000).responses().getFirst();
            assertEquals(403, absolute.status());
        }
    }

    @Test
    void withAuthenticationAnyHostGetsTheAuthenticationAnswer() {
        String token = "cpt_" + java.util.UUID.randomUUID();
        try (CloudPilotServer server = start(Map.of("cloudpilot.auth.tokens.0.name", "ops",
                "cloudpilot.auth.tokens.0.role", "viewer",
                "cloudpilot.auth.tokens.0.hash",
                "sha256:" + java.util.HexFormat.of().formatHex(TokenAuthenticator.sha256(token))))) {
            int port = server.port();
            assertEquals(401, get(port, "attacker.example", "").status());
            assertEquals(200, get(port, "cloudpilot.example.com", "Authorization: Bearer " + token + "\r\n").status());
        }
    }

    @Test
    void allowedHostsMustBeNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> start(Map.of("cloudpilot.http.allowed-hosts", "ok.example, http://bad/")).close());
        assertThat(e.getMessage()).as(e.getMessage()).contains("cloudpilot.http.allowed-hosts");
    }
}
