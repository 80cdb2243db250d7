package io.cloudpilot.platform.http.edge;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.cloudpilot.platform.AllLogs;
import io.cloudpilot.platform.CloudPilotServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/1.1 framing that a proxy in front could read differently than the server (request smuggling), over raw
 * sockets against a real server: each ambiguous request is refused with a 400 envelope and the connection is
 * closed, so nothing behind it is read as a request; valid framings the old parser refused (chunk extensions,
 * {@code CHUNKED}) are served. Every answer, even for bytes that are not HTTP, is the envelope (RFC 9112 §2–§7).
 */
class HttpFramingTest {

    private static final int WAIT_MS = 1500;
    private static final String ADD = "POST /k8s/cluster/add HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    /** A request behind a body: executed only if the server misread where the body ended. */
    private static final String SMUGGLED = "GET /audit?principal=smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

    @TempDir
    static Path dataDir;

    private static CloudPilotServer server;
    private static int port;

    @BeforeAll
    static void start() {
        server = EdgeServers.start(dataDir, Map.of());
        port = server.port();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static RawHttp.Exchange send(String raw) {
        return RawHttp.send(port, raw, WAIT_MS);
    }

    /** A refusal: one 400 envelope, the connection closed, the request behind the body never executed. */
    private static void assertRefused(RawHttp.Exchange exchange, int status, String messagePart) {
        RawHttp.Response r = exchange.only();
        assertEquals(status, r.status(), r::toString);
        assertTrue(r.isEnvelope(), r::toString);
        assertThat(r.message()).as(r::message).contains(messagePart);
        assertTrue(exchange.closed(), "connection closed after the refusal");
    }

    @Test
    void transferEncodingWithContentLengthIsRefused() {
        assertRefused(send(ADD + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + SMUGGLED), 400,
                "Transfer-Encoding and Content-Length together");
        assertRefused(send(ADD + "Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + SMUGGLED), 400,
                "Transfer-Encoding and Content-Length together");
    }

    @Test
    void conflictingOrMalformedContentLengthIsRefused() {
        assertRefused(send(ADD + "Content-Length: 2\r\nContent-Length: 30\r\n\r\n{}" + SMUGGLED), 400,
                "different Content-Length values");
        assertRefused(send(ADD + "Content-Length: 2, 30\r\n\r\n{}" + SMUGGLED), 400, "different Content-Length values");
        for (String value : new String[] {"+2", "-1", "0x2", "2 2", "", "99999999999999999999"}) {
            assertRefused(send(ADD + "Content-Length: " + value + "\r\n\r\n{}" + SMUGGLED), 400,
                    "Content-Length must be a decimal number");
        }
    }

    @Test
    void identicalContentLengthsAreOneLength() {
        RawHttp.Exchange e = send(ADD + "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}" + SMUGGLED);
        assertEquals(2, e.responses().size(), e::toString);
        assertThat(e.responses().getFirst().message()).as("the body {} was read as JSON").contains("'name'");
        assertEquals(200, e.responses().get(1).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"xchunked", "chunked, identity", "identity", "chunked;q=1", "gzip"})
    void aTransferEncodingThatDoesNotEndInChunkedIsRefused(String value) {
        assertRefused(send(ADD + "Transfer-Encoding: " + value + "\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + SMUGGLED), 400,
                "final Transfer-Encoding must be chunked");
    }

    @Test
    void otherCodingsBeforeChunkedAreNotImplemented() {
        assertRefused(send(ADD + "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + SMUGGLED), 501,
                "Only Transfer-Encoding: chunked");
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked", "CHUNKED", "Chunked"})
    void chunkedInAnyCaseIsChunked(String value) {
        // transfer-coding names are case-insensitive (RFC 9112 §7): the body is the chunks, what follows a request
        RawHttp.Exchange e = send(ADD + "Transfer-Encoding: " + value + "\r\n\r\n2\r\n{}\r\n0\r\n\r\n" + SMUGGLED);
        assertEquals(2, e.responses().size(), e::toString);
        assertEquals(400, e.responses().getFirst().status());
        assertThat(e.responses().getFirst().message()).as("the body {} was read as JSON").contains("'name'");
        assertEquals(200, e.responses().get(1).status());
    }

    @Test
    void chunkExtensionsAndTrailersAreAccepted() {
        RawHttp.Exchange e = send(ADD + "Transfer-Encoding: chunked\r\n\r\n1;ext=1\r\n{\r\n1 ; a=\"b c\";d\r\n}\r\n"
                + "0;last\r\nX-Trailer: t\r\n\r\n" + SMUGGLED);
        assertEquals(2, e.responses().size(), e::toString);
        assertEquals(400, e.responses().getFirst().status());
        assertThat(e.responses().getFirst().message()).as("the body {} was read as JSON").contains("'name'");
        assertEquals(200, e.responses().get(1).status());
    }

    @Test
    void aMalformedChunkIs400AndItsContentReachesNoLog() {
        String secret = "tok-" + UUID.randomUUID();
        String body = "{\"name\":\"a\",\"api_server\":\"https://k.example\",\"token\":\"" + secret + "\"}";
        try (AllLogs logs = new AllLogs()) {
            // the body where a chunk size belongs, a size that is not hex, a chunk longer than its size
            assertRefused(send(ADD + "Transfer-Encoding: chunked\r\n\r\n" + body + "\r\n0\r\n\r\n"), 400,
                    "chunk-size line is malformed");
            assertRefused(send(ADD + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n"), 400,
                    "chunk-size line is malformed");
            assertRefused(send(ADD + "Transfer-Encoding: chunked\r\n\r\n4\r\n" + body + "\r\n0\r\n\r\n"), 400,
                    "not followed by CRLF");
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains(secret)), "the body reached a log line");
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains(" SEVERE ")), "no SEVERE line for bad input");
        }
    }

    @Test
    void aBodyLeftUnreadAfterAnAnswerIsNeverReadAsARequest() {
        // 413 before the body is read (over cluster/add's 1 MiB): the body must not become the next request
        String body = SMUGGLED + "x".repeat(1000);
        RawHttp.Exchange e = send(ADD + "Content-Length: 2000000\r\n\r\n" + body);
        assertEquals(413, e.only().status(), e::toString);
        assertTrue(e.closed(), "connection closed after the 413");
    }

    @Test
    void connectionCloseClosesTheConnection() {
        RawHttp.Exchange e = send("GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Close\r\n\r\n"
                + SMUGGLED);
        assertEquals(200, e.only().status());
        assertEquals("close", e.only().headers().get("connection"));
        assertTrue(e.closed(), "the server closed the connection after the answer");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        RawHttp.Exchange e = send(SMUGGLED + SMUGGLED + "GET /no/such HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(3, e.responses().size(), e::toString);
        assertEquals(200, e.responses().get(0).status());
        assertEquals(200, e.responses().get(1).status());
        assertEquals(404, e.responses().get(2).status());
        assertFalse(e.closed(), "keep-alive");
    }

    @Test
    void malformedHeadsAreRefused() {
        assertRefused(send("GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\n folded\r\n\r\n"), 400,
                "Folded header lines");
        assertRefused(send("GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length : 0\r\n\r\n"), 400,
                "no space before the colon");
        assertRefused(send("GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\nX-A: 1\r\n\r\n"), 400, "CRLF");
        assertRefused(send("GET /k8s/cluster/list HTTP/1.1\r\n\r\n"), 400, "exactly one Host");
        assertRefused(send("GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\n\r\n"), 400,
                "exactly one Host");
        assertRefused(send("GET  /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), 400, "request line");
        assertRefused(send("\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n"), 400,
                "request line");
    }

    @Test
    void everyAnswerOfTheWebServerIsTheEnvelope() {
        assertRefused(send("GET /k8s/cluster/list HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"), 505, "HTTP/1.1");
        assertRefused(send("GET /k8s/cluster/list?x=" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
                414, "request line is longer");
        assertRefused(send("GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(40_000)
                + "\r\n\r\n"), 431, "header section is larger");
        assertRefused(send(ADD + "Content-Encoding: gzip\r\nContent-Length: 2\r\n\r\n{}"), 415, "Content-Encoding");
        RawHttp.Response badEscape = send("GET /k8s/cluster/list?x=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .responses().getFirst();
        assertEquals(400, badEscape.status());
        assertTrue(badEscape.isEnvelope(), badEscape::toString);
        RawHttp.Response health = send("GET /health/foo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").responses().getFirst();
        assertEquals(404, health.status());
        assertTrue(health.isEnvelope(), health::toString);
        assertEquals("NotFound", health.json().path("data").path("error_type").asString());
        RawHttp.Response colon = send("GET /audit?since=2026-11-25T17:00:00Z HTTP/1.1\r\nHost: 127.0.0.1"
                + "\r\n\r\n").responses().getFirst();
        assertEquals(200, colon.status(), "a raw ':' in a query value is allowed (RFC 3986 §3.4)");
    }
}
