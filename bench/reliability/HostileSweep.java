import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.cloudpilot.sandbox.SandboxCluster;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The hostile sweep behind {@code bench/reliability/hostile.sh}: the assembled distribution in its own JVM (server
 * mode, authentication off on loopback, CloudPilot's loggers at ALL and Helidon's at FINE), one sandbox cluster
 * registered with a token, and, over raw sockets, (1) request framings a proxy could read differently, malformed
 * heads and bytes that are not HTTP, (2) every query parameter of every GET endpoint of {@code /openapi} with
 * hostile values, sent raw and percent-encoded, (3) hostile bodies to every POST endpoint. Every body carries a
 * secret token, and every request an {@code Authorization} header with another. Counts the answers that are 5xx,
 * the answers outside the envelope ({@code {code, message, data}} with code = status, {@code error_type} on errors),
 * the connections closed with no answer, and each secret (plain or base64) in the server's log; writes Markdown.
 *
 * <p>Arguments: {@code --dist DIR --out FILE [--parts framing,values,bodies]}.
 */
public final class HostileSweep {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BODY_SECRET = "sweep-body-" + UUID.randomUUID();
    private static final String BEARER_SECRET = "sweep-bearer-" + UUID.randomUUID();

    /** One case's outcome. */
    record Outcome(String part, String name, List<Integer> statuses, int outsideEnvelope, boolean noAnswer) {
        /** A server error: 501 and 505 are refusals of what the request asked for (RFC 9112 §6.1, RFC 9110 §15.6.6). */
        boolean has5xx() {
            return statuses.stream().anyMatch(s -> s >= 500 && s != 501 && s != 505);
        }

        /** A request that never ends (its body stops short): no answer is due until the request deadline. */
        boolean incomplete() {
            return name.startsWith("incomplete: ");
        }
    }

    private static final List<String> VALUES = List.of(
            "", " ", "a b", "2026-11-25T17:00:00Z", "%zz", "%", "%%", "%0", "%00", "%0d%0aX-Injected:%201", "%ff%fe",
            "%c0%af", "a".repeat(10_000), "é".repeat(5_000), "a".repeat(100_000), "\u0000", "\r\nX-Injected: 1",
            "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "-1", "0", "-9223372036854775809", "99999999999999999999999999",
            "1e309", "NaN", "0x10", "true", "yes", "!@#$%^&*()", "'; DROP TABLE clusters; --", "<script>alert(1)</script>",
            "${jndi:ldap://x/a}", "{{7*7}}", "a=b=c", "a&b", "a#b", "a?b", "😀", "\uFFFF", "a,b,,c", "app in (a,b",
            "metadata.name=", "k=v,k=v", "null", "[]", "{}");

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        Path dist = Path.of(a.get("dist")).toAbsolutePath();
        Path out = Path.of(a.get("out")).toAbsolutePath();
        List<String> parts = List.of(a.getOrDefault("parts", "framing,values,bodies").split(","));
        Path work = Files.createTempDirectory("cloudpilot-hostile-");
        Path home = loudCopy(dist, work.resolve("dist"));
        SandboxCluster cluster = SandboxCluster.start();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = work.resolve("server.log");
        Process server = new ProcessBuilder(home.resolve("bin/cloudpilot").toString(), "--port", Integer.toString(port),
                "--data-dir", work.resolve("data").toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        List<Outcome> outcomes = new ArrayList<>();
        Instant started = Instant.now();
        try {
            waitReady(http, base, server, log);
            HttpResponse<String> add = http.send(HttpRequest.newBuilder(URI.create(base + "/k8s/cluster/add"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", "alpha",
                            "api_server", cluster.url(), "token", cluster.token(), "insecure", true)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (add.statusCode() != 200) {
                throw new IllegalStateException("could not register the sandbox: " + add.body());
            }
            JsonNode openapi = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/openapi"))
                    .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString()).body());

            if (parts.contains("framing")) {
                framing(port, outcomes);
                System.out.println("framing: " + outcomes.size() + " cases");
            }
            if (parts.contains("values")) {
                values(port, openapi, outcomes);
                System.out.println("values: " + outcomes.size() + " cases so far");
            }
            if (parts.contains("bodies")) {
                bodies(port, openapi, outcomes);
                System.out.println("bodies: " + outcomes.size() + " cases in all");
            }
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            outcomes.add(new Outcome("after", "GET /health/ready", List.of(ready.statusCode()),
                    ready.statusCode() == 200 ? 0 : 1, false));
        } finally {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
            cluster.close();
        }
        String serverLog = Files.readString(log, StandardCharsets.ISO_8859_1);
        Map<String, Integer> leaks = new TreeMap<>();
        Map<String, String> secrets = Map.of("cluster token", cluster.token(), "body token", BODY_SECRET,
                "bearer token", BEARER_SECRET);
        for (Map.Entry<String, String> s : secrets.entrySet()) {
            int n = count(serverLog, s.getValue())
                    + count(serverLog, Base64.getEncoder().encodeToString(s.getValue().getBytes(StandardCharsets.UTF_8)));
            leaks.put(s.getKey(), n);
        }
        long severe = serverLog.lines().filter(l -> l.contains(" SEVERE ")).count();
        String report = report(outcomes, leaks, severe, Duration.between(started, Instant.now()), serverLog.length());
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("written to " + out);
    }

    /** A copy of the distribution whose logging is turned up: CloudPilot at ALL, Helidon and Jersey at FINE. */
    private static Path loudCopy(Path dist, Path home) throws IOException {
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("conf"));
        try (var files = Files.list(dist.resolve("bin"))) {
            for (Path f : files.toList()) {
                Files.copy(f, home.resolve("bin").resolve(f.getFileName()));
            }
        }
        Files.createSymbolicLink(home.resolve("lib"), dist.resolve("lib"));
        Files.createSymbolicLink(home.resolve("plugins"), dist.resolve("plugins"));
        Files.copy(dist.resolve("conf/cloudpilot.yaml"), home.resolve("conf/cloudpilot.yaml"));
        Files.writeString(home.resolve("conf/logging.properties"), """
                handlers=io.helidon.logging.jul.HelidonConsoleHandler
                io.helidon.logging.jul.HelidonConsoleHandler.level=ALL
                java.util.logging.SimpleFormatter.format=%1$tY-%1$tm-%1$tdT%1$tH:%1$tM:%1$tS.%1$tL %4$s %3$s: %5$s%6$s%n
                .level=INFO
                io.cloudpilot.level=ALL
                cloudpilot.audit.level=ALL
                io.helidon.level=FINE
                org.glassfish.level=FINE
                io.fabric8.mockwebserver.level=WARNING
                org.jboss.weld.level=WARNING
                """);
        return home;
    }

    private static void framing(int port, List<Outcome> outcomes) {
        String add = "POST /k8s/cluster/add HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer " + BEARER_SECRET + "\r\n";
        // a registration without api_server: read whole, it is a 400 that never reaches the network
        String body = "{\"name\":\"x\",\"token\":\"" + BODY_SECRET + "\"}";
        String hex = Integer.toHexString(body.length());
        String behind = "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("TE + CL", add + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + behind);
        cases.put("CL + TE", add + "Transfer-Encoding: chunked\r\nContent-Length: 200\r\n\r\n0\r\n\r\n" + behind);
        cases.put("two CL", add + "Content-Length: 2\r\nContent-Length: " + body.length() + "\r\n\r\n" + body + behind);
        cases.put("CL list", add + "Content-Length: 2, " + body.length() + "\r\n\r\n" + body);
        for (String cl : List.of("+" + body.length(), "-1", "0x20", " ", "1 1", "99999999999999999999999", "1.0")) {
            cases.put("CL '" + cl + "'", add + "Content-Length: " + cl + "\r\n\r\n" + body + behind);
        }
        for (String te : List.of("CHUNKED", "xchunked", "chunked, identity", "identity", "gzip, chunked", "chunked, chunked",
                " chunked", "chunked\t", "chunk", "\"chunked\"")) {
            cases.put("TE '" + te + "'", add + "Transfer-Encoding: " + te + "\r\n\r\n" + hex + "\r\n" + body
                    + "\r\n0\r\n\r\n" + behind);
        }
        cases.put("TE twice", add + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + hex + "\r\n"
                + body + "\r\n0\r\n\r\n");
        cases.put("chunk extension", add + "Transfer-Encoding: chunked\r\n\r\n" + hex + ";ext=\"1\"\r\n" + body
                + "\r\n0\r\n\r\n");
        cases.put("chunk trailer", add + "Transfer-Encoding: chunked\r\n\r\n" + hex + "\r\n" + body
                + "\r\n0\r\nX-T: 1\r\n\r\n");
        cases.put("body as chunk size", add + "Transfer-Encoding: chunked\r\n\r\n" + body + "\r\n0\r\n\r\n");
        cases.put("chunk size zz", add + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n");
        cases.put("chunk too short", add + "Transfer-Encoding: chunked\r\n\r\n4\r\n" + body + "\r\n0\r\n\r\n");
        cases.put("chunk size overflow", add + "Transfer-Encoding: chunked\r\n\r\nffffffffffff\r\n" + body + "\r\n0\r\n\r\n");
        cases.put("incomplete: chunk no end", add + "Transfer-Encoding: chunked\r\n\r\n" + hex + "\r\n" + body);
        cases.put("incomplete: body shorter than CL", add + "Content-Length: 500\r\n\r\n" + body);
        cases.put("Connection: close", "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                + behind);
        cases.put("Expect 100-continue", add + "Expect: 100-continue\r\nContent-Length: " + body.length() + "\r\n\r\n"
                + body);
        cases.put("gzip body", add + "Content-Encoding: gzip\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        cases.put("HTTP/1.0", "GET /k8s/cluster/list HTTP/1.0\r\n\r\n");
        cases.put("HTTP/2.0 line", "GET /k8s/cluster/list HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("h2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
        cases.put("lower-case version", "GET /k8s/cluster/list http/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("TLS hello", "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003" + "\u0000".repeat(40));
        cases.put("garbage line", "HELLO\r\n\r\n");
        cases.put("no Host", "GET /k8s/cluster/list HTTP/1.1\r\n\r\n");
        cases.put("two Hosts", "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n\r\n");
        cases.put("foreign Host", "GET /k8s/cluster/list HTTP/1.1\r\nHost: evil.example\r\n\r\n");
        cases.put("absolute-form foreign", "GET http://evil.example/k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("bare LF", "GET /k8s/cluster/list HTTP/1.1\nHost: 127.0.0.1\n\n");
        cases.put("bare CR", "GET /k8s/cluster/list HTTP/1.1\rHost: 127.0.0.1\r\n\r\n");
        cases.put("folded header", "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\n 2\r\n\r\n");
        cases.put("space before colon", "GET /k8s/cluster/list HTTP/1.1\r\nHost : 127.0.0.1\r\n\r\n");
        cases.put("NUL in header", "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: a\u0000b\r\n\r\n");
        cases.put("header without colon", "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A\r\n\r\n");
        cases.put("100 kB request line", "GET /k8s/cluster/list?x=" + "a".repeat(100_000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("40 kB header", "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "b".repeat(40_000)
                + "\r\n\r\n");
        cases.put("1000 headers", "GET /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "X-H: 1\r\n".repeat(1000)
                + "\r\n");
        cases.put("double space", "GET  /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("unknown method", "BREW /k8s/cluster/list HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("/health/foo", "GET /health/foo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("/metrics/foo", "GET /metrics/foo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("/openapi/foo", "GET /openapi/foo HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("fragment in target", "GET /k8s/cluster/list#x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("asterisk target", "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        cases.put("pipelined 3", behind + behind + behind);
        for (Map.Entry<String, String> c : cases.entrySet()) {
            outcomes.add(exchange("framing", c.getKey(), port, c.getValue()));
        }
    }

    private static void values(int port, JsonNode openapi, List<Outcome> outcomes) {
        for (Map.Entry<String, JsonNode> path : openapi.path("paths").properties()) {
            JsonNode get = path.getValue().path("get");
            if (get.isMissingNode() || path.getKey().contains("{")) {
                continue;
            }
            for (JsonNode p : get.path("parameters")) {
                if (!p.path("in").asString().equals("query")) {
                    continue;
                }
                String name = p.path("name").asString();
                for (String value : VALUES) {
                    for (boolean raw : new boolean[] {true, false}) {
                        String v = raw ? value : URLEncoder.encode(value, StandardCharsets.UTF_8);
                        String query = (name.equals("cluster_name") ? "" : "cluster_name=alpha&") + name + "=" + v;
                        outcomes.add(exchange("values", "GET " + path.getKey() + " " + name + (raw ? " raw " : " encoded ")
                                        + shorten(value), port,
                                "GET " + path.getKey() + "?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                                        + "Bearer " + BEARER_SECRET + "\r\nConnection: close\r\n\r\n"));
                    }
                }
            }
        }
    }

    private static void bodies(int port, JsonNode openapi, List<Outcome> outcomes) {
        String token = "\"token\":\"" + BODY_SECRET + "\"";
        List<String> bodies = List.of("", "{", "}", "[]", "null", "\"x\"", "{" + token + "}",
                "{\"name\":\"a\"," + token + ",\"name\":\"b\"}", "{\"name\":" + "[".repeat(5000) + "}",
                "{\"name\":\"" + "n".repeat(100_000) + "\"," + token + "}", "{\"replicas\":2.5," + token + "}",
                "{\"replicas\":1e400," + token + "}", "{\"replicas\":-1}", "{\"api_server\":\"file:///etc/passwd\"," + token + "}",
                "{\"api_server\":\"https://k.example:99999\"," + token + ",\"name\":\"p\",\"verify\":false}",
                "{\"name\":\"a\u0000b\"," + token + "}", "\u00ff\u00fe{}", "{\"" + "k".repeat(10_000) + "\":1}");
        for (Map.Entry<String, JsonNode> path : openapi.path("paths").properties()) {
            if (path.getValue().path("post").isMissingNode()) {
                continue;
            }
            for (String body : bodies) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                String head = "POST " + path.getKey() + "?cluster_name=alpha HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nAuthorization: Bearer " + BEARER_SECRET
                        + "\r\nConnection: close\r\n";
                String latin = new String(bytes, StandardCharsets.ISO_8859_1);
                outcomes.add(exchange("bodies", "POST " + path.getKey() + " " + shorten(body), port,
                        head + "Content-Length: " + bytes.length + "\r\n\r\n" + latin));
                outcomes.add(exchange("bodies", "POST " + path.getKey() + " chunked " + shorten(body), port,
                        head + "Transfer-Encoding: chunked\r\n\r\n" + (bytes.length == 0 ? ""
                                : Integer.toHexString(bytes.length) + ";x=1\r\n" + latin + "\r\n") + "0\r\n\r\n"));
            }
        }
    }

    private static Outcome exchange(String part, String name, int port, String raw) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            // up to 30 s for an answer (a cluster read may be slow), then 1 s of silence ends a kept-alive connection
            socket.setSoTimeout(name.startsWith("incomplete: ") ? 3000 : 30_000);
            try {
                socket.getOutputStream().write(raw.getBytes(StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                // the server may refuse before the whole request is written; read what it answered
            }
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[65536];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    all.write(buf, 0, n);
                    socket.setSoTimeout(1000);
                }
            } catch (SocketTimeoutException | java.net.SocketException e) {
                // silent, or reset after the answer
            }
        } catch (IOException e) {
            return new Outcome(part, name, List.of(), 1, true);
        }
        return classify(part, name, all.toString(StandardCharsets.ISO_8859_1));
    }

    private static Outcome classify(String part, String name, String text) {
        List<Integer> statuses = new ArrayList<>();
        int outside = 0;
        int at = 0;
        while (at < text.length()) {
            int headEnd = text.indexOf("\r\n\r\n", at);
            if (headEnd < 0 || !text.startsWith("HTTP/1.1 ", at)) {
                outside++;
                break;
            }
            String head = text.substring(at, headEnd);
            int status = Integer.parseInt(head.substring(9, 12));
            statuses.add(status);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            if (head.toLowerCase().contains("transfer-encoding: chunked")) {
                outside++; // our answers carry a Content-Length; stop reading this connection here
                break;
            }
            String body = new String(text.substring(headEnd + 4, Math.min(text.length(), headEnd + 4 + length))
                    .getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            if (!envelope(status, body)) {
                outside++;
            }
            at = headEnd + 4 + length;
        }
        return new Outcome(part, name, statuses, outside, statuses.isEmpty());
    }

    private static boolean envelope(int status, String body) {
        if (status == 100) {
            return true;
        }
        try {
            JsonNode j = JSON.readTree(body);
            return j.path("code").asInt() == status && j.path("message").isString() && j.has("data")
                    && (status < 400 || j.path("data").path("error_type").isString());
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String report(List<Outcome> outcomes, Map<String, Integer> leaks, long severe, Duration took,
                                 int logChars) {
        StringBuilder r = new StringBuilder("# Hostile sweep, ").append(Instant.now()).append("\n\n");
        r.append("| part | cases | answers | 5xx | outside the envelope | no answer | 501/505 refusals |\n"
                + "|---|---|---|---|---|---|---|\n");
        Map<String, List<Outcome>> byPart = new LinkedHashMap<>();
        outcomes.forEach(o -> byPart.computeIfAbsent(o.part(), k -> new ArrayList<>()).add(o));
        int[] total = new int[6];
        for (Map.Entry<String, List<Outcome>> e : byPart.entrySet()) {
            int cases = e.getValue().size();
            int answers = e.getValue().stream().mapToInt(o -> o.statuses().size()).sum();
            int fives = (int) e.getValue().stream().filter(Outcome::has5xx).count();
            int outside = e.getValue().stream().mapToInt(Outcome::outsideEnvelope).sum();
            int none = (int) e.getValue().stream().filter(o -> o.noAnswer() && !o.incomplete()).count();
            int refusals = (int) e.getValue().stream().flatMap(o -> o.statuses().stream())
                    .filter(st -> st == 501 || st == 505).count();
            r.append("| ").append(e.getKey()).append(" | ").append(cases).append(" | ").append(answers).append(" | ")
                    .append(fives).append(" | ").append(outside).append(" | ").append(none).append(" | ")
                    .append(refusals).append(" |\n");
            total[5] += refusals;
            total[0] += cases;
            total[1] += answers;
            total[2] += fives;
            total[3] += outside;
            total[4] += none;
        }
        r.append("| **all** | ").append(total[0]).append(" | ").append(total[1]).append(" | ").append(total[2])
                .append(" | ").append(total[3]).append(" | ").append(total[4]).append(" | ").append(total[5])
                .append(" |\n\n");
        r.append("Requests whose body stops short (no answer is due; the request deadline cuts them): ")
                .append(outcomes.stream().filter(Outcome::incomplete).count()).append(", answered: ")
                .append(outcomes.stream().filter(o -> o.incomplete() && !o.noAnswer()).count()).append(".\n\n");
        Map<Integer, Integer> statuses = new TreeMap<>();
        outcomes.forEach(o -> o.statuses().forEach(s -> statuses.merge(s, 1, Integer::sum)));
        r.append("Statuses: ").append(statuses).append("\n\n");
        r.append("Secrets in the server log (").append(logChars).append(" characters; CloudPilot at ALL, Helidon and "
                + "Jersey at FINE), plain or base64: ").append(leaks).append("; SEVERE lines: ").append(severe)
                .append(". Took ").append(took.toSeconds()).append(" s.\n");
        List<Outcome> bad = outcomes.stream()
                .filter(o -> o.has5xx() || o.outsideEnvelope() > 0 || o.noAnswer() && !o.incomplete()).toList();
        if (!bad.isEmpty()) {
            r.append("\nCases with a 5xx, an answer outside the envelope or no answer (first 30):\n\n");
            bad.stream().limit(30).forEach(o -> r.append("- ").append(o.part()).append(": ").append(o.name())
                    .append(" → ").append(o.statuses()).append(o.noAnswer() ? " (no answer)" : "").append('\n'));
        }
        return r.toString();
    }

    private static void waitReady(HttpClient http, String base, Process server, Path log) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < end) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited:\n" + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the server did not become ready in 120 s");
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String shorten(String value) {
        String v = value.replaceAll("\\p{Cntrl}", "·");
        return v.length() > 24 ? v.substring(0, 24) + "…(" + value.length() + ")" : v;
    }
}
