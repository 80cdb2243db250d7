package io.cloudpilot.conformance;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The one part of a kubelet the API server needs here: {@code GET /containerLogs/{namespace}/{pod}/{container}},
 * which the API server proxies {@code pods/log} to (at the node's InternalIP and
 * {@code status.daemonEndpoints.kubeletEndpoint.port}). HTTPS on loopback with a certificate of the suite's CA,
 * which the API server verifies ({@code --kubelet-certificate-authority}). Honours {@code tailLines},
 * {@code sinceSeconds}, {@code timestamps} and {@code previous} as the kubelet does.
 */
final class FakeKubelet implements AutoCloseable {

    /** One line a container wrote, and when. */
    record LogLine(Instant time, String text) {
    }

    private static final DateTimeFormatter RFC3339_NANO = DateTimeFormatter.ofPattern(
            "yyyy-MM-dd'T'HH:mm:ss.nnnnnnnnn'Z'").withZone(java.time.ZoneOffset.UTC);

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, List<LogLine>> logs = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    FakeKubelet(Pki pki) throws IOException, GeneralSecurityException {
        Pki.Issued certificate = pki.server("fake-kubelet");
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(certificate.serverContext(pki.ca().certificate())));
        server.createContext("/containerLogs/", this::containerLogs);
        server.createContext("/", exchange -> answer(exchange, 404, "not served by the fake kubelet\n"));
        server.setExecutor(executor);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /**
     * The log of every container with this name in the namespace (pods are named by their ReplicaSet, so tests
     * do not know the names in advance).
     *
     * @param previous the log of the previous (terminated) instance instead of the current one
     */
    void setLog(String namespace, String container, boolean previous, List<LogLine> lines) {
        logs.put(key(namespace, container, previous), List.copyOf(lines));
    }

    /** @return the paths and queries the API server sent, oldest first */
    List<String> requests() {
        return List.copyOf(requests);
    }

    /** Lines written {@code step} apart, the last one {@code step} ago. */
    static List<LogLine> lines(Duration step, String... texts) {
        Instant now = Instant.now();
        List<LogLine> out = new ArrayList<>();
        for (int i = 0; i < texts.length; i++) {
            out.add(new LogLine(now.minus(step.multipliedBy(texts.length - i)), texts[i]));
        }
        return out;
    }

    private void containerLogs(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(path + (query == null ? "" : "?" + query));
        String[] parts = path.substring("/containerLogs/".length()).split("/");
        if (parts.length != 3) {
            answer(exchange, 400, "expected /containerLogs/{namespace}/{pod}/{container}\n");
            return;
        }
        Map<String, String> params = parse(query);
        boolean previous = "true".equals(params.get("previous"));
        List<LogLine> lines = logs.get(key(parts[0], parts[2], previous));
        if (lines == null) {
            answer(exchange, previous ? 400 : 404, previous
                    ? "previous terminated container \"" + parts[2] + "\" in pod \"" + parts[1] + "\" not found\n"
                    : "container \"" + parts[2] + "\" in pod \"" + parts[1] + "\" has no log\n");
            return;
        }
        List<LogLine> selected = new ArrayList<>(lines);
        if (params.containsKey("sinceSeconds")) {
            Instant since = Instant.now().minusSeconds(Long.parseLong(params.get("sinceSeconds")));
            selected.removeIf(line -> line.time().isBefore(since));
        }
        if (params.containsKey("tailLines")) {
            int tail = Integer.parseInt(params.get("tailLines"));
            selected = selected.subList(Math.max(0, selected.size() - tail), selected.size());
        }
        boolean timestamps = "true".equals(params.get("timestamps"));
        StringBuilder body = new StringBuilder();
        for (LogLine line : selected) {
            if (timestamps) {
                body.append(RFC3339_NANO.format(line.time())).append(' ');
            }
            body.append(line.text()).append('\n');
        }
        answer(exchange, 200, body.toString());
    }

    private static Map<String, String> parse(String query) {
        Map<String, String> out = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                out.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String key(String namespace, String container, boolean previous) {
        return namespace + "/" + container + (previous ? "/previous" : "");
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
