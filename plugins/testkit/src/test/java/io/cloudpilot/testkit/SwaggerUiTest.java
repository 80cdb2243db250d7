package io.cloudpilot.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Swagger UI at {@code /openapi/ui}: every file its page loads is served whole (the bytes of the jar that ships it),
 * fetched at once as a browser does, on several freshly started servers; and a real browser (headless Chromium)
 * renders the operations of the server's own document.
 */
class SwaggerUiTest {

    private static final Pattern REFERENCED = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyFileThePageLoadsIsServedWholeAfterEveryStart() throws Exception {
        Path plugins = PluginJars.helloPluginDirectory();
        for (int start = 1; start <= 3; start++) {
            try (CloudPilotTestServer server = CloudPilotTestServer.builder().pluginDirs(plugins).start()) {
                ApiResponse page = server.client().get("/openapi/ui/index.html");
                assertEquals(200, page.status(), page.toString());
                assertTrue(page.raw().contains("<title>CloudPilot ") && page.raw().contains(" API</title>"),
                        "the page is titled after the product and its version: " + page.raw());
                List<String> files = referenced(page.raw());
                assertTrue(files.containsAll(List.of("swagger-ui-bundle.js", "swagger-ui.css")), files.toString());
                // all at once, as a browser loads them
                List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
                for (String file : files) {
                    answers.add(HTTP.sendAsync(HttpRequest.newBuilder(server.client().uri("/openapi/ui/" + file))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray()));
                }
                for (int i = 0; i < files.size(); i++) {
                    HttpResponse<byte[]> answer = answers.get(i).get(90, TimeUnit.SECONDS);
                    byte[] shipped = fromTheJar(files.get(i));
                    assertEquals(200, answer.statusCode(), files.get(i) + " after start " + start);
                    assertEquals(shipped.length, answer.body().length, files.get(i) + " whole after start " + start);
                    assertArrayEquals(shipped, answer.body(), files.get(i) + " byte for byte");
                    assertEquals(String.valueOf(shipped.length),
                            answer.headers().firstValue("content-length").orElse("none"), files.get(i));
                }
            }
        }
    }

    @Test
    void chromiumRendersTheOperations() throws Exception {
        Path chromium = ExternalTool.require("rendering Swagger UI in a browser", "apt-get install chromium",
                "chromium", "chromium-browser", "google-chrome");
        Path profile = Files.createTempDirectory("cloudpilot-chromium-");
        try (CloudPilotTestServer server = CloudPilotTestServer.builder().pluginDirs(PluginJars.helloPluginDirectory())
                .start()) {
            Path dom = profile.resolve("dom.html");
            Process browser = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile.resolve("profile"),
                    "--virtual-time-budget=20000", "--dump-dom", server.url() + "/openapi/ui/index.html")
                    .redirectOutput(dom.toFile())
                    .redirectError(profile.resolve("chromium.log").toFile())
                    .start();
            if (!browser.waitFor(120, TimeUnit.SECONDS)) {
                browser.destroyForcibly();
                throw new AssertionError("chromium did not finish in 120 s");
            }
            String html = Files.readString(dom);
            assertEquals(0, browser.exitValue(), "chromium failed: " + Files.readString(profile.resolve("chromium.log")));
            for (String path : List.of("/hello/nodes", "/hello/greeting", "/plugins", "/k8s/cluster/list")) {
                assertThat(html).as("the operation " + path + " is rendered").contains("data-path=\"" + path + "\"");
            }
            assertThat(html).as("the document's title is shown").contains("CloudPilot");
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static List<String> referenced(String html) {
        List<String> files = new ArrayList<>();
        Matcher m = REFERENCED.matcher(html);
        while (m.find()) {
            files.add(m.group(1));
        }
        return files;
    }

    /** The file as the smallrye-open-api-ui jar holds it, read from the jar itself. */
    private static byte[] fromTheJar(String file) throws IOException {
        String entry = "META-INF/resources/openapi-ui/" + file;
        URL url = SwaggerUiTest.class.getClassLoader().getResource(entry);
        assertTrue(url != null && url.getProtocol().equals("jar"), entry + " comes from a jar: " + url);
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = new JarFile(connection.getJarFileURL().getPath())) {
            JarEntry e = jar.getJarEntry(entry);
            try (InputStream in = jar.getInputStream(e)) {
                byte[] bytes = in.readAllBytes();
                assertEquals(e.getSize(), bytes.length, "the jar's own size of " + entry);
                return bytes;
            }
        }
    }
}
