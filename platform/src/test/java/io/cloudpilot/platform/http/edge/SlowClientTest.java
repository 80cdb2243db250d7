package io.cloudpilot.platform.http.edge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.cloudpilot.platform.CloudPilotServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow clients (slowloris): a client that connects and sends nothing, or trickles its request head a byte at a time,
 * is cut after {@code cloudpilot.http.header-timeout} (1 s here), while normal clients are served, also when the
 * slow ones hold every connection {@code server.max-tcp-connections} allows.
 */
class SlowClientTest {

    private static final int CAP = 6;
    /** How long a slow socket may stay open before the test calls it not cut: far above the 1 s timeout. */
    private static final int CUT_WITHIN_MS = 15_000;

    @TempDir
    static Path dataDir;

    private static CloudPilotServer server;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(20)).build();

    @BeforeAll
    static void start() {
        server = EdgeServers.start(dataDir, Map.of("cloudpilot.http.header-timeout", "PT1S",
                "server.max-tcp-connections", Integer.toString(CAP)));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static int normalRequest() throws Exception {
        HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(server.url() + "/k8s/cluster/list"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode();
    }

    /** Sends the head one byte every 200 ms, forever; returns how the server ended it. */
    private static CompletableFuture<String> trickle(Socket socket) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] head = "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
            try {
                OutputStream out = socket.getOutputStream();
                long end = System.currentTimeMillis() + CUT_WITHIN_MS;
                for (int i = 0; System.currentTimeMillis() < end; i++) {
                    out.write(i < head.length ? head[i] : 'a');
                    out.flush();
                    Thread.sleep(200);
                }
                return "still open";
            } catch (IOException e) {
                return "cut";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        });
    }

    /** @return "cut" when the server closes the silent socket, else "still open" */
    private static String awaitCut(Socket socket) throws IOException {
        socket.setSoTimeout(CUT_WITHIN_MS);
        InputStream in = socket.getInputStream();
        try {
            while (in.read() >= 0) {
                // a slow client gets no answer: it never finished its request
            }
            return "cut";
        } catch (SocketTimeoutException e) {
            return "still open";
        } catch (SocketException e) {
            return "cut";
        }
    }

    @Test
    void slowClientsAreCutWhileNormalClientsAreServed() throws Exception {
        List<Socket> silent = new ArrayList<>();
        List<Socket> trickling = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                silent.add(new Socket(java.net.InetAddress.getLoopbackAddress(), server.port()));
                trickling.add(new Socket(java.net.InetAddress.getLoopbackAddress(), server.port()));
            }
            List<CompletableFuture<String>> trickles = trickling.stream().map(SlowClientTest::trickle).toList();
            for (int i = 0; i < 5; i++) {
                assertEquals(200, normalRequest(), "a normal client is served while slow ones are connected");
            }
            for (Socket s : silent) {
                assertEquals("cut", awaitCut(s), "a client that sends nothing is cut");
            }
            for (CompletableFuture<String> t : trickles) {
                assertEquals("cut", t.get(CUT_WITHIN_MS + 5_000, TimeUnit.MILLISECONDS),
                        "a client that trickles its head is cut");
            }
        } finally {
            for (Socket s : silent) {
                s.close();
            }
            for (Socket s : trickling) {
                s.close();
            }
        }
    }

    @Test
    void whenSlowClientsHoldEveryConnectionNormalClientsAreServedOnceTheyAreCut() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < CAP; i++) {
                silent.add(new Socket(java.net.InetAddress.getLoopbackAddress(), server.port()));
            }
            assertEquals(200, normalRequest(), "the normal client waits in the accept queue, then is served");
            for (Socket s : silent) {
                assertEquals("cut", awaitCut(s));
            }
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }
}
