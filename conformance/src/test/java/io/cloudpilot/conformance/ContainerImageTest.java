package io.cloudpilot.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cloudpilot.testkit.ApiClient;
import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.SecretLedger;
import io.cloudpilot.testkit.Wait;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The image {@code ./dev image} builds, run by podman exactly as the kubelet would run the pod of
 * {@code deploy/kubernetes/base}: the pod the real controllers made from the Deployment gives the image, the
 * arguments, the environment, the user, the read-only root file system, the memory and CPU limits and the
 * {@code emptyDir} volumes; its ServiceAccount's token (TokenRequest API) and the cluster's CA are mounted at
 * {@code /var/run/secrets/kubernetes.io/serviceaccount/}, and the API server's address is in
 * {@code KUBERNETES_SERVICE_HOST}/{@code PORT}. The container has a network of its own (slirp4netns), in which
 * {@code kubernetes.default.svc} is the host's loopback, where the API server listens.
 */
@Order(6)
@ExtendWith(ConformanceCluster.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageTest {

    private static final String NAMESPACE = "cloudpilot";
    private static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    /** What slirp4netns with allow_host_loopback makes of the host's 127.0.0.1, seen from the container. */
    private static final String HOST_LOOPBACK = "10.0.2.2";
    private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");

    private static ControlPlane plane;
    private static KubernetesClient admin;
    private static final List<HasMetadata> applied = new ArrayList<>();
    private static Pod pod;
    private static Container spec;
    private static String container;
    private static Path serviceAccountDir;
    private static Path volumes;
    private static ApiClient api;

    @BeforeAll
    static void runThePodWithPodman() throws Exception {
        Kustomize.requireKubectl();
        Prerequisite.require(Podman.available(), Podman.HOW_TO);
        plane = ConformanceCluster.plane();
        admin = plane.admin();
        Wait.until("an earlier test's namespace cloudpilot is deleted", Duration.ofSeconds(90),
                () -> admin.namespaces().withName(NAMESPACE).get() == null,
                () -> admin.namespaces().withName(NAMESPACE).get());
        List<HasMetadata> base = Kustomize.items(admin, Kustomize.render("base"));
        for (HasMetadata item : base) {
            applied.add(Kustomize.apply(admin, item, false));
        }
        String image = base.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast).findFirst()
                .orElseThrow().getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
        buildImage(image);

        Wait.until("the controllers create and schedule the cloudpilot pod", Duration.ofSeconds(60),
                () -> admin.pods().inNamespace(NAMESPACE).list().getItems().stream()
                        .anyMatch(p -> p.getSpec().getNodeName() != null),
                () -> admin.pods().inNamespace(NAMESPACE).list().getItems());
        pod = admin.pods().inNamespace(NAMESPACE).list().getItems().getFirst();
        spec = pod.getSpec().getContainers().getFirst();
        serviceAccountDir = serviceAccountFiles(pod);
        volumes = Files.createTempDirectory("cloudpilot-volumes-");

        int port = ControlPlane.freePort();
        container = "cloudpilot-conformance-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        List<String> run = new ArrayList<>(List.of("run", "-d", "--name", container));
        run.addAll(asPodman(pod, port));
        long started = System.nanoTime();
        Podman.ok(run.toArray(String[]::new));
        api = new ApiClient("http://127.0.0.1:" + port);
        Wait.until("the container answers /health/ready", Duration.ofMinutes(2), () -> {
            assertEquals("true", Podman.ok("inspect", "--format", "{{.State.Running}}", container),
                    "the container exited:\n" + logs());
            return api.get("/health/ready").status() == 200;
        }, ContainerImageTest::logs);
        System.err.printf("conformance: image %s, %d MB, ready %d ms after podman run%n", image,
                Long.parseLong(Podman.ok("image", "inspect", "--format", "{{.Size}}", image)) / 1_000_000,
                (System.nanoTime() - started) / 1_000_000);
    }

    @AfterAll
    static void remove() throws IOException {
        if (container != null) {
            // the container's log joins the test servers' logs, which SecretScanTest reads
            Files.writeString(Files.createDirectories(SecretLedger.directory()).resolve("container-" + container + ".log"),
                    logs(), StandardCharsets.UTF_8);
            Podman.run(Duration.ofMinutes(1), "rm", "-f", "-v", container);
        }
        if (admin != null) {
            for (int i = applied.size() - 1; i >= 0; i--) {
                admin.resource(applied.get(i)).delete();
            }
            Kustomize.forceDeletePods(admin, NAMESPACE);
        }
        for (Path dir : new Path[] {serviceAccountDir, volumes}) {
            if (dir != null) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    /** {@code deploy/image/build.sh} on the distribution this build made, tagged as the manifests name it. */
    private static void buildImage(String image) {
        assertEquals("localhost/cloudpilot:" + System.getProperty("cloudpilot.version"), image);
        List<String> argv = new ArrayList<>(List.of(Podman.repo().resolve("deploy/image/build.sh").toString(),
                "--engine", "podman", "--dist", System.getProperty("cloudpilot.dist.dir"), "--tag", image));
        String base = System.getProperty("cloudpilot.test.image.base", "");
        if (!base.isBlank()) {
            argv.addAll(List.of("--base", base));
        }
        Map<String, String> env = new java.util.HashMap<>(Podman.environment());
        env.put("JAVA_HOME", System.getProperty("java.home")); // the JDK running the tests: jlink cuts the runtime
        long begin = System.nanoTime();
        Command.run(argv, env, null, Duration.ofMinutes(20)).ok();
        System.err.printf("conformance: %s built in %d s%n", image, (System.nanoTime() - begin) / 1_000_000_000);
    }

    /** The files the kubelet projects into a pod of the ServiceAccount: a bound token, the cluster's CA, the namespace. */
    private static Path serviceAccountFiles(Pod pod) throws IOException {
        String token = admin.serviceAccounts().inNamespace(NAMESPACE).withName(pod.getSpec().getServiceAccountName())
                .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
                .getStatus().getToken();
        SecretLedger.record("the cloudpilot ServiceAccount's token in the container", token);
        Path dir = Files.createTempDirectory("cloudpilot-sa-");
        Files.writeString(dir.resolve("token"), token);
        Files.writeString(dir.resolve("ca.crt"), plane.caPem());
        Files.writeString(dir.resolve("namespace"), NAMESPACE);
        // as the kubelet does with fsGroup: readable by the pod's group, by nobody else
        long fsGroup = pod.getSpec().getSecurityContext().getFsGroup();
        try {
            for (String file : List.of("token", "ca.crt", "namespace")) {
                Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r-----"));
                Files.setAttribute(dir.resolve(file), "unix:gid", (int) fsGroup);
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
            Files.setAttribute(dir, "unix:gid", (int) fsGroup);
        } catch (IOException | UnsupportedOperationException e) {
            // not root: podman is rootless here and maps the container's user; world-readable for the run
            for (String file : List.of("token", "ca.crt", "namespace")) {
                Files.setPosixFilePermissions(dir.resolve(file), PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /**
     * The pod as {@code podman run} arguments. Fails on anything in the pod's container that this translation does
     * not carry over, so the manifests cannot grow a setting the test silently ignores.
     */
    private static List<String> asPodman(Pod pod, int hostPort) {
        var podSpec = pod.getSpec();
        Container c = podSpec.getContainers().getFirst();
        assertEquals(1, podSpec.getContainers().size(), "one container");
        assertTrue(podSpec.getInitContainers() == null || podSpec.getInitContainers().isEmpty(), "no init container");
        List<String> args = new ArrayList<>(List.of(
                "--network", "slirp4netns:allow_host_loopback=true",
                "--add-host", "kubernetes.default.svc:" + HOST_LOOPBACK,
                "--hostname", pod.getMetadata().getName(),
                "--pull", "never",
                "-p", "127.0.0.1:" + hostPort + ":" + c.getPorts().getFirst().getContainerPort(),
                "--stop-timeout", String.valueOf(podSpec.getTerminationGracePeriodSeconds())));
        var podSecurity = podSpec.getSecurityContext();
        args.addAll(List.of("--user", podSecurity.getRunAsUser() + ":" + podSecurity.getRunAsGroup(),
                "--group-add", String.valueOf(podSecurity.getFsGroup())));
        var security = c.getSecurityContext();
        if (Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
            args.add("--read-only");
        }
        if (Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
            args.addAll(List.of("--security-opt", "no-new-privileges"));
        }
        for (String capability : security.getCapabilities().getDrop()) {
            args.addAll(List.of("--cap-drop", capability));
        }
        Map<String, Quantity> limits = c.getResources().getLimits();
        args.addAll(List.of("--memory", Quantity.getAmountInBytes(limits.get("memory")).toBigInteger().toString(),
                "--cpus", Quantity.getAmountInBytes(limits.get("cpu")).toPlainString()));
        // the environment the kubelet gives: the API server, the Services' links unless switched off, the container's
        args.addAll(List.of("-e", "KUBERNETES_SERVICE_HOST=kubernetes.default.svc",
                "-e", "KUBERNETES_SERVICE_PORT=" + apiPort(plane.url())));
        if (!Boolean.FALSE.equals(podSpec.getEnableServiceLinks())) {
            for (Service service : admin.services().inNamespace(pod.getMetadata().getNamespace()).list().getItems()) {
                args.addAll(serviceLinks(service));
            }
        }
        for (EnvVar env : c.getEnv()) {
            assertTrue(env.getValueFrom() == null, "a value the test would have to resolve: " + env);
            args.addAll(List.of("-e", env.getName() + "=" + env.getValue()));
        }
        for (VolumeMount mount : c.getVolumeMounts()) {
            Volume volume = podSpec.getVolumes().stream().filter(v -> v.getName().equals(mount.getName()))
                    .findFirst().orElseThrow();
            if (mount.getMountPath().equals(SA_DIR)) {
                args.addAll(List.of("-v", serviceAccountDir + ":" + SA_DIR + ":ro"));
            } else if (volume.getEmptyDir() != null) {
                // an emptyDir is a fresh directory of mode 0777 on the node's disk (its sizeLimit is enforced by
                // eviction, not by the mount)
                args.addAll(List.of("-v", emptyDir(volume.getName()) + ":" + mount.getMountPath() + ":rw"));
            } else {
                throw new AssertionError("a volume the test does not carry over: " + volume);
            }
        }
        assertTrue(c.getCommand() == null || c.getCommand().isEmpty(), "the image's entrypoint, as the manifest says");
        args.add(c.getImage());
        args.addAll(c.getArgs());
        return args;
    }

    private static Path emptyDir(String name) {
        try {
            Path dir = Files.createTempDirectory(volumes, name);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
            return dir;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String apiPort(String url) {
        return url.substring(url.lastIndexOf(':') + 1);
    }

    /** The variables the kubelet sets for each Service of the pod's namespace (docker-link style). */
    private static List<String> serviceLinks(Service service) {
        String prefix = service.getMetadata().getName().toUpperCase(Locale.ROOT).replace('-', '_');
        String ip = service.getSpec().getClusterIP();
        List<String> env = new ArrayList<>();
        ServicePort first = service.getSpec().getPorts().getFirst();
        env.addAll(List.of("-e", prefix + "_SERVICE_HOST=" + ip, "-e", prefix + "_SERVICE_PORT=" + first.getPort(),
                "-e", prefix + "_PORT=tcp://" + ip + ":" + first.getPort()));
        for (ServicePort p : service.getSpec().getPorts()) {
            String base = prefix + "_PORT_" + p.getPort() + "_" + p.getProtocol();
            env.addAll(List.of("-e", base + "=tcp://" + ip + ":" + p.getPort(), "-e", base + "_PROTO=tcp",
                    "-e", base + "_PORT=" + p.getPort(), "-e", base + "_ADDR=" + ip));
            if (p.getName() != null) {
                env.addAll(List.of("-e", prefix + "_SERVICE_PORT_" + p.getName().toUpperCase(Locale.ROOT) + "="
                        + p.getPort()));
            }
        }
        return env;
    }

    private static String logs() {
        return Podman.run(Duration.ofSeconds(30), "logs", container).stdout() + Podman.run(Duration.ofSeconds(30),
                "logs", container).stderr();
    }

    @Test
    @Order(1)
    void aCallerSignedInWithAKubernetesTokenReadsTheClusterThroughTheServiceAccount() {
        ApiResponse anonymous = api.get("/k8s/overview/cluster");
        assertEquals(401, anonymous.status(), anonymous.toString());

        ApiResponse overview = api.withToken(plane.adminToken()).get("/k8s/overview/cluster?force_refresh=true");
        assertEquals(200, overview.status(), overview + "\n" + logs());
        JsonNode o = overview.data();
        assertTrue(o.path("unavailable").isEmpty(), "the manifest's ClusterRole lets it read everything: " + o);
        assertEquals(admin.nodes().list().getItems().size(), o.path("nodes").path("total").asInt(), o.toString());
        assertEquals(admin.namespaces().list().getItems().size(), o.path("configs").path("namespaces").asInt());
        assertEquals(admin.apps().deployments().inAnyNamespace().list().getItems().size(),
                o.path("workloads").path("deployments").asInt());

        ApiResponse info = api.withToken(plane.adminToken()).get("/k8s/cluster/info");
        assertEquals(200, info.status(), info.toString());
        assertEquals("in-cluster", info.data().path("cluster_name").asString(), info.toString());
        String output = logs();
        assertThat(output).as("no caller's token in the log").doesNotContain(plane.adminToken());
    }

    @Test
    @Order(2)
    void theImageRunsAsTheNonRootUserOnAReadOnlyRootWithItsLabels() {
        assertEquals("10001", Podman.ok("exec", container, "id", "-u"));
        Command write = Podman.run(Duration.ofSeconds(30), "exec", container, "touch", "/opt/cloudpilot/written");
        assertNotEquals(0, write.exitCode(), "the root file system is read-only");
        assertThat(write.stderr()).as(write.stderr()).contains("Read-only file system");
        Podman.ok("exec", container, "touch", "/var/lib/cloudpilot/written", "/tmp/written");
        // the code is root's: nobody else may change it, and the platform loads no plugin others may write to
        assertEquals("", Podman.ok("exec", container, "find", "/opt/cloudpilot", "(", "-perm", "/022", "-o", "!",
                "-user", "0", ")", "!", "-type", "l"), "files of /opt/cloudpilot others may write to or not root's");
        // the refused anonymous call of the first test is in the audit table, in the data volume
        assertTrue(Podman.ok("exec", container, "ls", "/var/lib/cloudpilot").contains("audit.db"),
                Podman.ok("exec", container, "ls", "-l", "/var/lib/cloudpilot"));

        String image = spec.getImage();
        assertEquals(System.getProperty("cloudpilot.version"), label(image, "org.opencontainers.image.version"));
        String head = Command.run(List.of("git", "-C", Podman.repo().toString(), "rev-parse", "HEAD"), Map.of(), null,
                Duration.ofSeconds(30)).stdout().trim();
        assertTrue(label(image, "org.opencontainers.image.revision").startsWith(head.isEmpty() ? "unknown" : head),
                label(image, "org.opencontainers.image.revision") + " vs " + head);
        assertTrue(Podman.ok("image", "inspect", "--format", "{{json .Labels}}", image)
                .contains("\"org.opencontainers.image.source\""));
    }

    @Test
    @Order(3)
    void everyPluginOfTheDistributionIsLoaded() throws IOException {
        List<String> shipped;
        // plugins/ holds production plugins only: the demo plugin lives in demo/plugins/, which the image leaves out
        try (var entries = Files.list(Path.of(System.getProperty("cloudpilot.dist.dir"), "plugins"))) {
            shipped = entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertFalse(shipped.isEmpty());
        assertEquals("", Podman.ok("exec", container, "find", "/opt/cloudpilot", "-name", "demo"),
                "no demo plugin in the image");
        ApiResponse plugins = api.withToken(plane.adminToken()).get("/plugins");
        assertEquals(200, plugins.status(), plugins.toString());
        List<String> loaded = new ArrayList<>();
        for (JsonNode plugin : plugins.data().path("plugins")) {
            assertEquals("loaded", plugin.path("status").asString(), plugin.toString());
            loaded.add(plugin.path("id").asString());
        }
        assertEquals(shipped, loaded.stream().sorted().toList(), plugins.toString());
    }

    @Test
    @Order(4)
    void theHeapFollowsTheMemoryLimitThroughJavaOpts() {
        long limit = Quantity.getAmountInBytes(spec.getResources().getLimits().get("memory")).longValueExact();
        String javaOpts = spec.getEnv().stream().filter(e -> e.getName().equals("JAVA_OPTS")).findFirst()
                .orElseThrow().getValue();
        Matcher percent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(javaOpts);
        assertTrue(percent.find(), javaOpts);
        String flags = Podman.ok("exec", container, "jcmd", "1", "VM.flags");
        Matcher heap = MAX_HEAP.matcher(flags);
        assertTrue(heap.find(), flags);
        double share = Long.parseLong(heap.group(1)) / (double) limit;
        // the JVM rounds the heap to its alignment: within 1% of the share JAVA_OPTS asks for (512 MiB would be 67%)
        assertEquals(Integer.parseInt(percent.group(1)) / 100.0, share, 0.01, flags);
    }

    @Test
    @Order(5)
    void sigtermStopsItInOrderWithinTheGracePeriod() {
        long begin = System.nanoTime();
        Podman.ok("stop", "-t", String.valueOf(pod.getSpec().getTerminationGracePeriodSeconds()), container);
        long seconds = (System.nanoTime() - begin) / 1_000_000_000;
        // 143 = the JVM's exit after SIGTERM, its shutdown hooks run; 137 would be the SIGKILL at the end of the grace
        assertEquals("143", Podman.ok("inspect", "--format", "{{.State.ExitCode}}", container), logs());
        assertTrue(seconds < pod.getSpec().getTerminationGracePeriodSeconds(), seconds + " s");
        // (Helidon's own "Server stopped" line is not always written: its log handler may close first)
        String output = logs();
        assertThat(output).as(output).doesNotContain("SEVERE");
        System.err.printf("conformance: the container stopped %d s after SIGTERM%n", seconds);
    }

    private static String label(String image, String name) {
        return Podman.ok("image", "inspect", "--format", "{{index .Labels \"" + name + "\"}}", image);
    }
}
