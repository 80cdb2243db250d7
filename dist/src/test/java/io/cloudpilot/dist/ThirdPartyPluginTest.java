package io.cloudpilot.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A third party's plugin built from the distribution alone: {@code examples/hello-plugin} copied out of the
 * repository, built and tested with {@code mvn verify} against the unpacked tarball's {@code sdk/} and a fresh local
 * Maven repository (Maven Central for everything that is not CloudPilot's), its jar dropped into the installation's
 * {@code plugins/}, then called as an operator calls it: its endpoint, its OpenAPI operation, its health finding.
 * The build's time from a clean local repository is written to {@code target/third-party-build.txt}.
 */
class ThirdPartyPluginTest {

    private static final Duration BUILD_LIMIT = Duration.ofMinutes(20);

    private static Installation installation;
    private static Process server;
    private static ApiClient api;
    private static Duration buildTime;

    @BeforeAll
    static void buildTheExampleFromTheSdkAndInstallIt() throws Exception {
        installation = Installation.unpack();
        Path sdk = installation.home().resolve("sdk");
        assertTrue(Files.isRegularFile(sdk.resolve("io/cloudpilot/cloudpilot-spi/0.1.0-SNAPSHOT/cloudpilot-spi-0.1.0-SNAPSHOT.jar")),
                "the tarball carries sdk/ with the SPI");
        for (String artifact : List.of("cloudpilot-spi", "cloudpilot-plugin-testkit")) {
            for (String classifier : List.of("sources", "javadoc")) {
                Path jar = sdk.resolve("io/cloudpilot/" + artifact + "/0.1.0-SNAPSHOT/" + artifact + "-0.1.0-SNAPSHOT-"
                        + classifier + ".jar");
                assertTrue(Files.isRegularFile(jar), "the SDK carries " + jar.getFileName());
            }
        }
        Path project = copyOfTheExample(installation.work().resolve("hello-plugin"));
        Path repository = installation.work().resolve("m2-fresh");
        Path settings = Files.writeString(installation.work().resolve("settings.xml"), "<settings/>\n");
        Path log = installation.work().resolve("hello-plugin-build.log");

        List<String> command = new ArrayList<>(List.of(mvn(), "-B", "-s", settings.toString(), "-gs",
                settings.toString(), "-Dmaven.repo.local=" + repository, "-Dcloudpilot.sdk=" + sdk, "verify"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(project.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the build sees no setting of this one: its own JDK (found as ./dev finds one), no MAVEN_OPTS
        pb.environment().remove("MAVEN_OPTS");
        pb.environment().remove("MAVEN_ARGS");
        pb.environment().put("JAVA_HOME", javaHome());
        long start = System.nanoTime();
        Process build = pb.start();
        if (!build.waitFor(BUILD_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            build.destroyForcibly();
            throw new AssertionError("the example's build did not end in " + BUILD_LIMIT + ":\n" + tail(log));
        }
        buildTime = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(0, build.exitValue(), "mvn verify of the example against sdk/:\n" + tail(log));
        String output = Files.readString(log);
        assertThat(output).as("the example's own tests ran:\n" + tail(log)).contains("Tests run: 6, Failures: 0, Errors: 0");
        assertThat(output).as("CloudPilot's artifacts came from sdk/").contains("from cloudpilot-sdk: file://" + sdk);
        Path report = Path.of(System.getProperty("cloudpilot.dist.dir")).getParent().getParent()
                .resolve("third-party-build.txt");
        Files.writeString(report, "examples/hello-plugin: mvn verify against sdk/ from an empty local repository: "
                + buildTime.toSeconds() + " s (" + downloads(output) + " artifacts from Maven Central)\n");

        Files.copy(project.resolve("target/cloudpilot-hello-plugin-1.0.0.jar"),
                installation.home().resolve("plugins/cloudpilot-hello-plugin.jar"));
        int port = Installation.freePort();
        Path serverLog = installation.work().resolve("server.log");
        server = installation.start(serverLog, Map.of(), "demo", "--port", Integer.toString(port),
                "--data-dir", installation.work().resolve("data").toString());
        api = new ApiClient("http://127.0.0.1:" + port);
        Installation.awaitReady(server, api, serverLog);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theBuiltPluginsEndpointAnswers() {
        ApiResponse r = api.get("/hello/greeting?name=sdk");
        assertEquals(200, r.status(), r.toString());
        assertEquals("hello, sdk", r.data().path("greeting_text").asString());
        JsonNode hello = StreamSupport.stream(api.get("/plugins").data().path("plugins").spliterator(), false)
                .filter(p -> p.path("id").asString().equals("hello")).findFirst().orElseThrow();
        assertEquals("loaded", hello.path("status").asString(), hello.toString());
        assertTrue(hello.path("source").asString().endsWith("plugins/cloudpilot-hello-plugin.jar"), hello.toString());
    }

    @Test
    void itsOperationIsInTheOpenApiDocument() {
        ApiResponse r = api.get("/openapi?format=json");
        assertEquals(200, r.status());
        JsonNode doc = tools.jackson.databind.json.JsonMapper.builder().build().readTree(r.raw());
        JsonNode greeting = doc.path("paths").path("/hello/greeting").path("get");
        assertEquals("getHelloGreeting", greeting.path("operationId").asString(), greeting.toString());
        assertEquals("Says hello", greeting.path("summary").asString(), greeting.toString());
    }

    @Test
    void itsHealthFindingIsInTheSummary() {
        ApiResponse r = api.get("/istio/health/summary?cluster_name=sandbox");
        assertEquals(200, r.status(), r.toString());
        assertTrue(StreamSupport.stream(r.data().path("top_issues").spliterator(), false)
                        .anyMatch(i -> i.path("source").asString().equals("hello")
                                && i.path("code").asString().equals("NamespaceWithoutOwner")
                                && i.path("severity").asString().equals("info")),
                "the plugin's finding is among the summary's issues: " + r.data().path("top_issues"));
    }

    /** The example's sources, without what a build left in the repository. */
    private static Path copyOfTheExample(Path target) throws IOException {
        Path source = Path.of(System.getProperty("cloudpilot.example.source")).toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.toList()) {
                Path rel = source.relativize(f);
                if (rel.startsWith("target")) {
                    continue;
                }
                Path to = target.resolve(rel.toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to);
                }
            }
        }
        return target;
    }

    /** Maven from the PATH, as {@code ./dev} uses it. */
    private static String mvn() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path mvn = Path.of(dir, "mvn");
            if (Files.isExecutable(mvn)) {
                return mvn.toString();
            }
        }
        throw new AssertionError("no mvn on the PATH: a plugin author needs Maven");
    }

    /** A JDK 21 or newer, found the way {@code ./dev} and {@code bin/cloudpilot} find one. */
    private static String javaHome() throws IOException, InterruptedException {
        Path findJava = installation.home().resolve("bin/find-java.sh");
        Process p = new ProcessBuilder("bash", "-c", ". \"$0\" && cloudpilot_find_java_home 21 javac",
                findJava.toString()).redirectErrorStream(false).start();
        String home = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), "no JDK 21+ found by bin/find-java.sh");
        return home;
    }

    private static long downloads(String output) {
        return output.lines().filter(l -> l.contains("Downloaded from central")).count();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
