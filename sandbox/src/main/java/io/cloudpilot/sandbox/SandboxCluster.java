package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A simulated Kubernetes API server on {@code http://127.0.0.1:<port>}, seeded with a small, realistic cluster with
 * deliberate problems (see the module README), for the {@code cloudpilot demo} command and for tests.
 *
 * <p>It is fabric8's {@code kubernetes-server-mock} in CRUD mode behind a dispatcher that behaves like a real API
 * server where the mock does not: bearer-token authentication, discovery, field selectors, pod logs, the scale
 * subresource, metrics.k8s.io, Status errors. Start it, point a client at {@link #url()} with {@link #token()} (or
 * at the file {@link #writeKubeconfig(Path)} writes), and {@link #close()} it.
 *
 * <pre>{@code
 * try (SandboxCluster cluster = SandboxCluster.start()) {
 *     cluster.client().pods().inNamespace("shop").list();
 * }
 * }</pre>
 */
public final class SandboxCluster implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SandboxCluster.class.getName());

    /** JUL holds loggers weakly: keep the reference, or a GC restores the mock's per-request INFO logging. */
    private static final Logger MOCK_WEB_SERVER_LOGGER = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    static {
        MOCK_WEB_SERVER_LOGGER.setLevel(Level.WARNING);
    }

    private static final String NAME = "sandbox";

    private final KubernetesMockServer server;
    private final SandboxDispatcher dispatcher;
    private final String url;
    private final String token;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile KubernetesClient client;

    private SandboxCluster(KubernetesMockServer server, SandboxDispatcher dispatcher, String url, String token) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.url = url;
        this.token = token;
    }

    /**
     * Starts a sandbox with the default fixtures on an ephemeral port.
     *
     * @return the running sandbox
     */
    public static SandboxCluster start() {
        return start(0);
    }

    /**
     * Starts a sandbox with the default fixtures.
     *
     * @param port the port on 127.0.0.1, 0 for an ephemeral one
     * @return the running sandbox
     * @throws IllegalStateException when the port cannot be bound
     */
    public static SandboxCluster start(int port) {
        return create(port, true);
    }

    /**
     * Starts a sandbox without objects (discovery, version and every API work), for tests that create their own.
     *
     * @param port the port on 127.0.0.1, 0 for an ephemeral one
     * @return the running sandbox
     * @throws IllegalStateException when the port cannot be bound
     */
    public static SandboxCluster startEmpty(int port) {
        return create(port, false);
    }

    /**
     * Starts a sandbox with the default fixtures plus a generated bulk of the given size (see the module README,
     * "Scaled clusters"), for benchmarks and for tests that check that upstream calls do not grow with the cluster.
     *
     * @param port             the port on 127.0.0.1, 0 for an ephemeral one
     * @param pods             pods to add
     * @param nodes            nodes to add (at least 1)
     * @param istioObjects     VirtualServices to add, and as many DestinationRules
     * @return the running sandbox
     * @throws IllegalStateException when the port cannot be bound
     */
    public static SandboxCluster startScaled(int port, int pods, int nodes, int istioObjects) {
        return create(port, true, new ScaledFixtures.Size(pods, nodes, istioObjects, istioObjects));
    }

    private static SandboxCluster create(int port, boolean seed) {
        return create(port, seed, null);
    }

    private static SandboxCluster create(int port, boolean seed, ScaledFixtures.Size scale) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        String token = randomToken();
        Clock clock = Clock.systemUTC();
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        SandboxDispatcher dispatcher = new SandboxDispatcher(responses, token, clock);
        if (seed) {
            Fixtures fixtures = new Fixtures(dispatcher.catalog(), dispatcher.store(), Instant.now(clock));
            dispatcher.locked(fixtures::loadDefault);
        }
        if (scale != null) {
            ScaledFixtures scaled = new ScaledFixtures(dispatcher.store(), Instant.now(clock));
            dispatcher.locked(() -> scaled.load(scale));
        }
        MockWebServer web = new MockWebServer();
        // A plain-HTTP API server speaks HTTP/1.1; accepting the JDK client's h2c upgrade makes large responses flaky.
        web.setHttp2ClearTextEnabled(false);
        KubernetesMockServer server = new KubernetesMockServer(new Context(), web,
                responses, dispatcher, false, new VersionInfo.Builder().withMajor("1").withMinor("30")
                .withGitVersion("v1.30.2").withPlatform("linux/amd64").build());
        InetAddress loopback;
        try {
            loopback = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
        try {
            server.init(loopback, port);
        } catch (RuntimeException e) {
            try {
                web.shutdown();
            } catch (RuntimeException ignored) {
                // the server never started
            }
            throw new IllegalStateException("The sandbox cluster cannot listen on 127.0.0.1:" + port, e);
        }
        // The mock registers canned answers for "/" and "/version"; the dispatcher answers those itself.
        server.clearExpectations();
        dispatcher.queueReset(web::reset);
        int actualPort = server.getPort();
        dispatcher.serverAddress("127.0.0.1:" + actualPort);
        return new SandboxCluster(server, dispatcher, "http://127.0.0.1:" + actualPort, token);
    }

    private static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * @return the API server URL, such as {@code http://127.0.0.1:41234} (no trailing slash)
     */
    public String url() {
        return url;
    }

    /**
     * @return {@code sandbox}: the name of the cluster, user and context in the kubeconfig
     */
    public String name() {
        return NAME;
    }

    /**
     * @return the bearer token every request must carry; anything else gets 401
     */
    public String token() {
        return token;
    }

    /**
     * Writes a kubeconfig for this sandbox (cluster, user and context all named {@code sandbox}), readable by its
     * owner only.
     *
     * @param file the file, replaced if it exists; parent directories are created
     * @return the file
     * @throws UncheckedIOException when it cannot be written
     */
    public Path writeKubeconfig(Path file) {
        return writeKubeconfig(file, url);
    }

    /**
     * Writes a kubeconfig for this sandbox that reaches it at another address, such as a {@link FaultProxy} in
     * front of it; otherwise as {@link #writeKubeconfig(Path)}.
     *
     * @param file      the file, replaced if it exists; parent directories are created
     * @param serverUrl the API server URL to write
     * @return the file
     * @throws UncheckedIOException when it cannot be written
     */
    public Path writeKubeconfig(Path file, String serverUrl) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                    namespace: default
                current-context: %1$s
                users:
                - name: %1$s
                  user:
                    token: %3$s
                preferences: {}
                """.formatted(NAME, serverUrl, token);
        try {
            Path target = file.toAbsolutePath();
            Path dir = target.getParent();
            Files.createDirectories(dir);
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            Path tmp = posix
                    ? Files.createTempFile(dir, ".kubeconfig", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, ".kubeconfig", ".tmp");
            try {
                Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            if (posix) {
                Files.setPosixFilePermissions(target, Set.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE));
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sandbox kubeconfig " + file, e);
        }
    }

    /**
     * An admin client for test setup, created on first use and closed with the sandbox. It does not retry, times
     * out after 5 s (connect) and 30 s (request), and starts from an empty config (no local kubeconfig leaks in).
     *
     * @return the client
     */
    public KubernetesClient client() {
        KubernetesClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    if (closed.get()) {
                        throw new IllegalStateException("the sandbox cluster is closed");
                    }
                    Config config = new ConfigBuilder(Config.empty())
                            .withMasterUrl(url)
                            .withOauthToken(token)
                            .withNamespace("default")
                            .withConnectionTimeout(5_000)
                            .withRequestTimeout(30_000)
                            .withRequestRetryBackoffLimit(0)
                            .withHttp2Disable(true)
                            .build();
                    c = new KubernetesClientBuilder().withConfig(config).build();
                    client = c;
                }
            }
        }
        return c;
    }

    /**
     * @return the number of API requests served since start or {@link #resetRequestCounts()}, all paths, answered
     *         with any status (401 and simulated 500 included)
     */
    public long requestCount() {
        return dispatcher.counter().total();
    }

    /**
     * @param method     the HTTP method, such as {@code GET}
     * @param pathPrefix a path prefix, such as {@code /api/v1/pods} (the query string is not part of the path)
     * @return the number of requests with that method whose path starts with the prefix
     */
    public long requestCount(String method, String pathPrefix) {
        return dispatcher.counter().count(method, pathPrefix);
    }

    /**
     * Sets every request count back to zero.
     */
    public void resetRequestCounts() {
        dispatcher.counter().reset();
    }

    /**
     * Delays every response (but not watch streams), to simulate a slow cluster.
     *
     * @param d the delay, {@code null} or zero for none
     */
    public void setLatency(Duration d) {
        dispatcher.latency(d);
    }

    /**
     * Simulates an outage: while on, every request is answered with HTTP 500 and a Status body.
     *
     * @param b whether the cluster is failing
     */
    public void setFailing(boolean b) {
        dispatcher.failing(b);
    }

    /**
     * Simulates a cluster that still serves reads but fails every write (e.g. a broken admission webhook): while on,
     * every request but GET is answered with HTTP 500 and a Status body.
     *
     * @param b whether writes fail
     */
    public void setFailingWrites(boolean b) {
        dispatcher.failingWrites(b);
    }

    /**
     * Stops the server and closes {@link #client()}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        KubernetesClient c = client;
        try {
            if (c != null) {
                c.close();
            }
        } finally {
            try {
                server.destroy();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "The sandbox cluster at " + url + " did not stop cleanly", e);
            }
        }
    }

    /**
     * Runs a sandbox until the process is killed: {@code --port N} (default 0) {@code --kubeconfig FILE}
     * {@code --empty}, or a scaled one with {@code --pods N --nodes N --istio-objects N}. Prints the URL (and the kubeconfig path) on standard output.
     * With {@code --clusters N [--hanging H] [--refusing R]} it serves N clusters from this one JVM, each on its own
     * port: N − H − R sandboxes with the default fixtures, H addresses that accept requests and never answer, R that
     * refuse connections; one line per cluster ({@code cluster <name> <url> <token> healthy|hanging|refusing}).
     *
     * @param args the arguments
     * @throws InterruptedException when interrupted while running
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        Path kubeconfig = null;
        boolean empty = false;
        int pods = 0;
        int nodes = 0;
        int istioObjects = 0;
        int clusters = 0;
        int hanging = 0;
        int refusing = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(argument(args, ++i, "--port"));
                case "--pods" -> pods = Integer.parseInt(argument(args, ++i, "--pods"));
                case "--nodes" -> nodes = Integer.parseInt(argument(args, ++i, "--nodes"));
                case "--istio-objects" -> istioObjects = Integer.parseInt(argument(args, ++i, "--istio-objects"));
                case "--kubeconfig" -> kubeconfig = Path.of(argument(args, ++i, "--kubeconfig"));
                case "--empty" -> empty = true;
                case "--clusters" -> clusters = Integer.parseInt(argument(args, ++i, "--clusters"));
                case "--hanging" -> hanging = Integer.parseInt(argument(args, ++i, "--hanging"));
                case "--refusing" -> refusing = Integer.parseInt(argument(args, ++i, "--refusing"));
                default -> {
                    System.err.println("usage: SandboxCluster [--port N] [--kubeconfig FILE] [--empty]"
                            + " [--pods N --nodes N --istio-objects N] [--clusters N [--hanging H] [--refusing R]]");
                    System.exit(2);
                }
            }
        }
        long started = System.nanoTime();
        if (clusters > 0) {
            serveMany(clusters, hanging, refusing, started);
            return;
        }
        SandboxCluster cluster = empty ? startEmpty(port)
                : pods > 0 || nodes > 0 ? startScaled(port, pods, Math.max(1, nodes), istioObjects) : start(port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println(cluster.url());
        if (kubeconfig != null) {
            cluster.writeKubeconfig(kubeconfig);
            System.out.println("kubeconfig: " + kubeconfig.toAbsolutePath());
        }
        System.out.println("seeded in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.out.flush();
        LOG.log(System.Logger.Level.INFO, "Sandbox cluster serving at {0}", cluster.url());
        stopped.await();
    }

    /** Many clusters from one JVM, for a bench of a server with many registered clusters (some of them broken). */
    private static void serveMany(int clusters, int hanging, int refusing, long started) throws InterruptedException {
        if (hanging < 0 || refusing < 0 || hanging + refusing > clusters) {
            System.err.println("--hanging and --refusing must be at least 0 and together at most --clusters");
            System.exit(2);
        }
        List<AutoCloseable> running = new ArrayList<>();
        StringBuilder out = new StringBuilder();
        int healthy = clusters - hanging - refusing;
        SandboxCluster behindFaults = null;
        for (int i = 1; i <= clusters; i++) {
            if (i <= healthy) {
                SandboxCluster c = start(0);
                running.add(c);
                out.append("cluster c").append(i).append(' ').append(c.url()).append(' ').append(c.token())
                        .append(" healthy\n");
                continue;
            }
            if (behindFaults == null) {
                behindFaults = startEmpty(0);
                running.add(behindFaults);
            }
            FaultProxy proxy = FaultProxy.start(behindFaults);
            running.add(proxy);
            boolean hangs = i <= healthy + hanging;
            proxy.set(hangs ? FaultProxy.Fault.HANG : FaultProxy.Fault.REFUSE);
            out.append("cluster c").append(i).append(' ').append(proxy.url()).append(' ').append(behindFaults.token())
                    .append(hangs ? " hanging\n" : " refusing\n");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (AutoCloseable c : running) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "A sandbox cluster did not stop cleanly", e);
                }
            }
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.print(out);
        System.out.println("seeded in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        System.out.flush();
        stopped.await();
    }

    private static String argument(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
