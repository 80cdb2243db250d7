package io.cloudpilot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.cloudpilot.platform.CloudPilotServer;
import io.cloudpilot.platform.registry.ServerClusters;
import io.cloudpilot.sandbox.SandboxCluster;

/**
 * A CloudPilot server on a free loopback port, with the plugins on the test's class path (and any plugin
 * directories given), optionally on a fresh sandbox cluster. One per test class: start it in
 * {@code @BeforeAll}, close it in {@code @AfterAll}, or let {@link CloudPilotTest} do both. Only one can run at a
 * time in a JVM.
 *
 * <p>Every log record of the JVM goes to {@code target/cloudpilot-logs/} (CloudPilot's loggers at every level),
 * and the credentials of every cluster it starts or registers are recorded in {@link SecretLedger}, so the
 * distribution's secret scan can prove none reached a log.
 *
 * <p>It runs with {@code cache.refresh-ahead=false} unless the test sets it: tests count the requests their cluster
 * served for a request, and a background refresh (decision 0051) would be counted with them whenever an entry read
 * there is near the end of its TTL (logs' TTL is 1 s).
 */
public final class CloudPilotTestServer implements AutoCloseable {

    private final CloudPilotServer server;
    private final SandboxCluster sandbox;
    private final Path dataDir;
    private final ApiClient client;

    private CloudPilotTestServer(CloudPilotServer server, SandboxCluster sandbox, Path dataDir) {
        this.server = server;
        this.sandbox = sandbox;
        this.dataDir = dataDir;
        this.client = new ApiClient(server.url());
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a client for this server */
    public ApiClient client() {
        return client;
    }

    /** @return the sandbox cluster, if the server runs on one */
    public SandboxCluster sandbox() {
        if (sandbox == null) {
            throw new IllegalStateException("this test server has no sandbox cluster");
        }
        return sandbox;
    }

    /**
     * Registers another cluster (server mode only), e.g. a second sandbox that a test stops or slows.
     *
     * @param name    the cluster name
     * @param cluster the cluster
     */
    public void registerCluster(String name, SandboxCluster cluster) {
        SecretLedger.record("token of sandbox registered as " + name, cluster.token());
        registerCluster(name, cluster.writeKubeconfig(dataDir.resolve(name + "-kubeconfig.yaml")));
    }

    /**
     * Registers another cluster by its kubeconfig (server mode only).
     *
     * @param name       the cluster name
     * @param kubeconfig its kubeconfig
     */
    public void registerCluster(String name, Path kubeconfig) {
        if (!(server.clusters() instanceof ServerClusters registry)) {
            throw new IllegalStateException("registerCluster needs a server-mode test server");
        }
        SecretLedger.recordKubeconfig("cluster " + name, kubeconfig);
        registry.registerFromKubeconfig(name, kubeconfig, "registered by a test");
    }

    /** @return the base URL */
    public String url() {
        return server.url();
    }

    /** @return the server's data directory (a fresh temporary directory unless configured) */
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            if (sandbox != null) {
                sandbox.close();
            }
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Builds a {@link CloudPilotTestServer}. */
    public static final class Builder {
        private boolean withSandbox = true;
        private String mode = "instant";
        private final Map<String, String> config = new HashMap<>();
        private List<Path> pluginDirs = List.of();
        private int tokens;

        /**
         * @param withSandbox whether to start a sandbox cluster and point instant mode at it (default true)
         * @return this
         */
        public Builder sandbox(boolean withSandbox) {
            this.withSandbox = withSandbox;
            return this;
        }

        /**
         * @param mode server or instant (default instant); in server mode the sandbox is registered as cluster
         *             {@code sandbox}
         * @return this
         */
        public Builder mode(String mode) {
            this.mode = mode;
            return this;
        }

        /**
         * @param dirs plugin directories to load jars from (default: none)
         * @return this
         */
        public Builder pluginDirs(Path... dirs) {
            this.pluginDirs = List.of(dirs);
            return this;
        }

        /**
         * @param key   a configuration key
         * @param value its value
         * @return this
         */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /**
         * Configures an API token (switching API authentication on): the server is given only its SHA-256, as an
         * operator would configure it. Send it with {@code client().withToken(token)}.
         *
         * @param name  the token's name (the audit log's principal)
         * @param role  viewer, operator or admin
         * @param token the token
         * @return this
         */
        public Builder token(String name, String role, String token) {
            String key = "cloudpilot.auth.tokens." + tokens++ + ".";
            config.put(key + "name", name);
            config.put(key + "role", role);
            config.put(key + "hash", "sha256:" + java.util.HexFormat.of().formatHex(
                    io.cloudpilot.platform.security.TokenAuthenticator.sha256(token)));
            SecretLedger.record("API token '" + name + "'", token); // the secret scan looks for it in every log
            return this;
        }

        /** @return the started server */
        public CloudPilotTestServer start() {
            ServerLogFiles.capture();
            try {
                Path dataDir = config.containsKey("cloudpilot.data-dir")
                        ? Path.of(config.get("cloudpilot.data-dir"))
                        : Files.createTempDirectory("cloudpilot-test-");
                SandboxCluster sandbox = withSandbox ? SandboxCluster.start() : null;
                if (sandbox != null) {
                    SecretLedger.record("the test server's sandbox token", sandbox.token());
                }
                Map<String, String> settings = new HashMap<>();
                settings.put("server.port", Integer.toString(freePort()));
                settings.put("server.host", "127.0.0.1");
                settings.put("cloudpilot.mode", mode);
                settings.put("cloudpilot.data-dir", dataDir.toString());
                // only the directories the test names, never the repository's dist/plugins (an empty value would
                // count as unset in MicroProfile Config, hence a directory that does not exist)
                settings.put("plugins.dirs", pluginDirs.isEmpty() ? dataDir.resolve("no-plugin-dirs").toString()
                        : pluginDirs.stream().map(Path::toString).collect(Collectors.joining(",")));
                if (sandbox != null && mode.equals("instant")) {
                    Path kubeconfig = sandbox.writeKubeconfig(dataDir.resolve("sandbox-kubeconfig.yaml"));
                    settings.put("instant.kubeconfig", kubeconfig.toString());
                    SecretLedger.recordKubeconfig("instant sandbox", kubeconfig);
                }
                settings.put("cache.refresh-ahead", "false");
                settings.putAll(config);
                try {
                    CloudPilotServer server = CloudPilotServer.start(Optional.empty(), settings);
                    if (sandbox != null && mode.equals("server")
                            && server.clusters() instanceof ServerClusters registry) {
                        Path kubeconfig = sandbox.writeKubeconfig(dataDir.resolve("sandbox-kubeconfig.yaml"));
                        registry.registerFromKubeconfig(sandbox.name(), kubeconfig, "The test's sandbox cluster");
                    }
                    return new CloudPilotTestServer(server, sandbox, dataDir);
                } catch (RuntimeException e) {
                    if (sandbox != null) {
                        sandbox.close();
                    }
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
