package io.cloudpilot.plugin.k8sresources;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTest;
import io.cloudpilot.testkit.CloudPilotTestServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bodies an authorised caller could use to exhaust the server (issue 20: four parallel 95 MB bodies to scaling ended
 * in OutOfMemoryError) and bodies that are read wrongly (duplicate keys, strings for numbers): every one is refused
 * in the envelope with the field named, and the server goes on serving. Server mode, the sandbox as {@code sandbox};
 * authentication off (loopback), as {@code demo} runs.
 */
@CloudPilotTest(mode = "server")
class HostileBodiesTest {

    private static final String SCALING = "/k8s/resources/deployments/scaling";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static CloudPilotTestServer server;

    /** One answer read off a raw socket: status and envelope (null when the body is not JSON). */
    record Raw(int status, String head, JsonNode envelope) {
    }

    /**
     * Sends {@code prefix}, then {@code fill} bytes of {@code 'a'}, then {@code suffix}, as the body of a POST, on its
     * own socket, from a thread of its own (the server may answer and close before the body is sent), and reads the
     * answer. With {@code chunked}, the body goes as one chunk per 64 KiB and no Content-Length.
     */
    private static Raw post(String path, String prefix, long fill, String suffix, boolean chunked) throws Exception {
        URI uri = URI.create(server.url());
        try (Socket socket = new Socket(uri.getHost(), uri.getPort());
             ExecutorService writer = Executors.newSingleThreadExecutor()) {
            socket.setSoTimeout(60_000);
            long length = prefix.length() + fill + suffix.length();
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\n"
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + length + "\r\n") + "\r\n";
            OutputStream out = socket.getOutputStream();
            var unused = writer.submit(() -> {
                try {
                    out.write(head.getBytes(StandardCharsets.US_ASCII));
                    write(out, prefix.getBytes(StandardCharsets.UTF_8), chunked);
                    byte[] block = new byte[64 * 1024];
                    java.util.Arrays.fill(block, (byte) 'a');
                    for (long left = fill; left > 0; left -= block.length) {
                        write(out, left >= block.length ? block : java.util.Arrays.copyOf(block, (int) left), chunked);
                    }
                    write(out, suffix.getBytes(StandardCharsets.UTF_8), chunked);
                    if (chunked) {
                        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // expected once the server has answered and closed
                }
                return null;
            });
            return read(socket.getInputStream());
        }
    }

    private static void write(OutputStream out, byte[] bytes, boolean chunked) throws IOException {
        if (bytes.length == 0) {
            return;
        }
        if (chunked) {
            out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        out.write(bytes);
        if (chunked) {
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static Raw read(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed without an answer; read: " + head);
            }
            head.append((char) b);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        byte[] body = in.readNBytes(length);
        JsonNode envelope = length > 0 ? JSON.readTree(body) : null;
        return new Raw(status, head.toString(), envelope);
    }

    private static String scaleBody(String replicas) {
        return "{\"cluster_name\":\"sandbox\",\"namespace\":\"shop\",\"deployment_name\":\"cart\",\"replicas\":" + replicas
                + ",\"dry_run\":true}";
    }

    private static void assertScalingStillWorks() {
        ApiResponse ok = server.client().post(SCALING, scaleBody("3"));
        assertEquals(200, ok.status(), "the server goes on serving: " + ok);
    }

    @Test
    void fourParallelHugeBodiesAre413AndTheServerLives() throws Exception {
        // issue 20: four parallel 95 MB strings to scaling; with and without Content-Length
        List<Future<Raw>> answers = new ArrayList<>();
        try (ExecutorService callers = Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 4; i++) {
                boolean chunked = i % 2 == 1;
                answers.add(callers.submit(() -> post(SCALING, "{\"cluster_name\":\"sandbox\",\"namespace\":\"",
                        95L * 1024 * 1024, "\",\"deployment_name\":\"cart\",\"replicas\":1}", chunked)));
            }
            for (Future<Raw> f : answers) {
                Raw r = f.get(120, TimeUnit.SECONDS);
                assertEquals(413, r.status(), r.head());
                assertEquals(413, r.envelope().path("code").asInt(), r.envelope().toString());
                assertEquals("PayloadTooLarge", r.envelope().path("data").path("error_type").asString());
                assertThat(r.envelope().path("message").asString()).as(r.envelope().toString()).contains("4096 bytes");
                assertThat(r.head().toLowerCase(Locale.ROOT)).as(r.head()).contains("connection: close");
            }
        }
        assertScalingStillWorks();
    }

    @Test
    void clusterAddTakesAMegabyteAndNoMore() throws Exception {
        String prefix = "{\"name\":\"big\",\"api_server\":\"https://k.example:6443\",\"token\":\"t\",\"verify\":false,"
                + "\"description\":\"";
        Raw tooLarge = post("/k8s/cluster/add", prefix, 2L * 1024 * 1024, "\"}", false);
        assertEquals(413, tooLarge.status(), tooLarge.head());
        Raw chunked = post("/k8s/cluster/add", prefix, 2L * 1024 * 1024, "\"}", true);
        assertEquals(413, chunked.status(), chunked.head());
        assertEquals("PayloadTooLarge", chunked.envelope().path("data").path("error_type").asString());
        // under the endpoint's limit the registry's own rule answers (description: at most 1024 characters)
        Raw longDescription = post("/k8s/cluster/add", prefix, 100_000, "\"}", false);
        assertEquals(400, longDescription.status(), longDescription.head());
        assertThat(longDescription.envelope().path("message").asString()).as(longDescription.envelope().toString()).contains("description");
        assertScalingStillWorks();
    }

    @Test
    void jsonLimitsNameWhatWasPassed() throws Exception {
        // within scaling's 4 KiB; nesting and token counts: JsonLimitsTest of the platform (records stop earlier)
        String longName = "n".repeat(300);
        ApiResponse name = server.client().post(SCALING, "{\"" + longName + "\":1}");
        assertEquals(400, name.status(), name.toString());
        assertThat(name.message()).as(name.message()).contains("field name", "256");
        ApiResponse number = server.client().post(SCALING, scaleBody("1" + "0".repeat(150)));
        assertEquals(400, number.status(), number.toString());
        assertThat(number.message()).as(number.message()).contains("replicas");
    }

    @Test
    void duplicateKeysAreRefusedNamingTheKey() {
        // issue 19: "replicas":1,"replicas":3 scaled to 3 (a proxy that reads the first key would have seen 1)
        ApiResponse r = server.client().post(SCALING, "{\"cluster_name\":\"sandbox\",\"namespace\":\"shop\","
                + "\"deployment_name\":\"cart\",\"replicas\":1,\"replicas\":3,\"dry_run\":true}");
        assertEquals(400, r.status(), r.toString());
        assertEquals("ValidationError", r.errorType());
        assertThat(r.message()).as(r.message()).contains("'replicas'", "more than once");
        ApiResponse add = server.client().post("/k8s/cluster/add", "{\"name\":\"dup\",\"api_server\":"
                + "\"https://a.example\",\"api_server\":\"https://b.example\",\"token\":\"t\",\"verify\":false}");
        assertEquals(400, add.status(), add.toString());
        assertThat(add.message()).as(add.message()).contains("'api_server'", "more than once");
        ApiResponse nested = server.client().post(SCALING, "{\"cluster_name\":\"sandbox\",\"namespace\":\"shop\","
                + "\"deployment_name\":\"cart\",\"replicas\":1,\"dry_run\":true,\"x\":{\"a\":1,\"a\":2}}");
        assertEquals(400, nested.status(), nested.toString());
        assertThat(server.client().get("/k8s/cluster/list").raw()).as("nothing was registered").doesNotContain("\"dup\"");
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedNamingTheField() {
        ApiResponse string = server.client().post(SCALING, scaleBody("\"3\""));
        assertEquals(400, string.status(), string.toString());
        assertTrue(string.message().startsWith("Field 'replicas'") && string.message().contains("must be an integer"),
                string.message());
        ApiResponse fraction = server.client().post(SCALING, scaleBody("2.5"));
        assertEquals(400, fraction.status(), fraction.toString());
        assertTrue(fraction.message().contains("'replicas'") && fraction.message().contains("must be an integer"),
                fraction.message());
        assertThat(fraction.message()).as(fraction.message()).doesNotContain("not valid JSON");
        ApiResponse huge = server.client().post(SCALING, scaleBody("99999999999"));
        assertEquals(400, huge.status(), huge.toString());
        assertThat(huge.message()).as(huge.message()).contains("'replicas'");
        ApiResponse dryRun = server.client().post(SCALING, "{\"cluster_name\":\"sandbox\",\"namespace\":\"shop\","
                + "\"deployment_name\":\"cart\",\"replicas\":1,\"dry_run\":\"true\"}");
        assertEquals(400, dryRun.status(), dryRun.toString());
        assertTrue(dryRun.message().contains("'dry_run'") && dryRun.message().contains("true or false"),
                dryRun.message());
        ApiResponse number = server.client().post(SCALING, "{\"cluster_name\":\"sandbox\",\"namespace\":7,"
                + "\"deployment_name\":\"cart\",\"replicas\":1}");
        assertEquals(400, number.status(), number.toString());
        assertThat(number.message()).as(number.message()).contains("'namespace'", "a string");
        ApiResponse verify = server.client().post("/k8s/cluster/add", "{\"name\":\"typed\",\"api_server\":"
                + "\"https://a.example\",\"token\":\"t\",\"verify\":\"false\"}");
        assertEquals(400, verify.status(), verify.toString());
        assertThat(verify.message()).as(verify.message()).contains("'verify'");
        ApiResponse array = server.client().post(SCALING, "[1,2]");
        assertEquals(400, array.status(), array.toString());
        assertThat(array.message()).as(array.message()).contains("JSON object");
        ApiResponse empty = server.client().post(SCALING, "");
        assertEquals(400, empty.status(), empty.toString());
        assertThat(empty.message()).as(empty.message()).contains("empty");
    }

    @Test
    void aMissingClusterNameIsABodyField() {
        ApiResponse r = server.client().post(SCALING, "{\"namespace\":\"shop\",\"deployment_name\":\"cart\","
                + "\"replicas\":1}");
        assertEquals(400, r.status(), r.toString());
        assertTrue(r.message().startsWith("Field 'cluster_name' of the request body is required"), r.message());
        assertThat(r.message()).as(r.message()).doesNotContain("Query parameter");
        assertEquals("field: cluster_name", r.body().path("data").path("details").asString());
    }

    @Test
    void unknownFieldsAreRefusedWithTheAcceptedOnes() {
        ApiResponse r = server.client().post(SCALING, "{\"cluster_name\":\"sandbox\",\"namespace\":\"shop\","
                + "\"deployment_name\":\"cart\",\"replica\":2}");
        assertEquals(400, r.status(), r.toString());
        assertThat(r.message()).as(r.message()).contains("unknown field 'replica'");
        for (String accepted : List.of("cluster_name", "namespace", "deployment_name", "replicas", "dry_run")) {
            assertThat(r.message()).as(r.message()).contains(accepted);
        }
        ApiResponse add = server.client().post("/k8s/cluster/add", "{\"name\":\"x\",\"apiserver\":\"https://a\"}");
        assertEquals(400, add.status(), add.toString());
        assertTrue(add.message().contains("unknown field 'apiserver'") && add.message().contains("api_server"),
                add.message());
    }
}
