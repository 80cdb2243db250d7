package io.cloudpilot.conformance;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * A real Kubernetes control plane on loopback: etcd, kube-apiserver, kube-controller-manager (every controller but
 * the node lifecycle one: there is no kubelet to keep nodes Ready) and kube-scheduler, on free ports, in a fresh
 * temporary directory, with a {@link FakeKubelet} answering {@code pods/log}.
 * <p>
 * Authentication is by static tokens: {@link #adminToken()} (group {@code system:masters}) and
 * {@link #viewerToken()} (bound to the {@code view} ClusterRole plus read access to nodes). Authorization is RBAC.
 * Every process is ended by its own id on {@link #close()} or, failing that, when the JVM exits. The tokens are
 * never printed: {@link #toString()} and the error messages name the users only.
 */
final class ControlPlane implements AutoCloseable {

    static final String ADMIN_USER = "conformance-admin";
    static final String VIEWER_USER = "conformance-viewer";
    static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

    private final Path assets;
    private final Path dir;
    private final Pki pki = new Pki();
    private final String adminToken = randomToken();
    private final String viewerToken = randomToken();
    private final FakeKubelet kubelet;
    private final List<Process> processes = new ArrayList<>();
    private final java.util.IdentityHashMap<Process, String> names = new java.util.IdentityHashMap<>();
    private final Thread shutdownHook = new Thread(this::destroyAll, "control-plane-cleanup");
    private final int etcdPort;
    private final int etcdPeerPort;
    private final int apiPort;
    private final SSLContext trustCa;
    private final int minorVersion;
    private Process apiServer;
    private KubernetesClient admin;
    private boolean closed;

    private ControlPlane(Path assets) throws IOException, GeneralSecurityException {
        this.assets = assets;
        this.dir = Files.createTempDirectory("cloudpilot-k8s-");
        this.kubelet = new FakeKubelet(pki);
        this.etcdPort = freePort();
        this.etcdPeerPort = freePort();
        this.apiPort = freePort();
        this.trustCa = trusting(pki);
        this.minorVersion = minorVersion(assets.resolve("kube-apiserver"));
        // the final secret scan looks for them in every log and test output of the build
        io.cloudpilot.testkit.SecretLedger.record("control plane admin token", adminToken);
        io.cloudpilot.testkit.SecretLedger.record("control plane viewer token", viewerToken);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the control plane and waits until the API server is ready, the RBAC bindings of the tokens exist and
     * the controllers work.
     *
     * @param assets the directory with etcd, kube-apiserver, kube-controller-manager and kube-scheduler
     * @return the running control plane
     */
    static ControlPlane start(Path assets) throws Exception {
        ControlPlane plane = new ControlPlane(assets);
        try {
            plane.writeFiles();
            plane.startEtcd();
            plane.startApiServer();
            plane.admin = plane.client(plane.adminToken);
            plane.grantViewer();
            plane.startControllers();
            return plane;
        } catch (Exception | Error e) {
            plane.close();
            throw e;
        }
    }

    String url() {
        return "https://127.0.0.1:" + apiPort;
    }

    String adminToken() {
        return adminToken;
    }

    String viewerToken() {
        return viewerToken;
    }

    /** @return the CA of the API server's certificate, PEM */
    String caPem() {
        return pki.ca().certificatePem();
    }

    /** @return the CA as CloudPilot's {@code ca_data} wants it: base64 of the PEM */
    String caData() {
        return Base64.getEncoder().encodeToString(caPem().getBytes(StandardCharsets.US_ASCII));
    }

    FakeKubelet kubelet() {
        return kubelet;
    }

    /** @return an admin fabric8 client (closed with the control plane) */
    KubernetesClient admin() {
        return admin;
    }

    /** @return a new fabric8 client authenticating with the token (the caller closes it) */
    KubernetesClient client(String token) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withCaCertData(Base64.getEncoder().encodeToString(caPem().getBytes(StandardCharsets.US_ASCII)))
                .withOauthToken(token)
                .withRequestRetryBackoffLimit(2)
                .withConnectionTimeout(5_000)
                .withRequestTimeout(30_000)
                .build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /**
     * Writes a kubeconfig (mode 0600) whose cluster, user and current context are all named {@code name}.
     *
     * @return the file
     */
    Path writeKubeconfig(Path file, String name, String token) throws IOException {
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: %2$s
                    certificate-authority-data: %3$s
                users:
                - name: %1$s
                  user:
                    token: %4$s
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                current-context: %1$s
                """.formatted(name, url(), caData(), token);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
        return file;
    }

    /**
     * @param user  the certificate's common name: the user the API server sees
     * @param group its organisation: the user's group
     * @return a client certificate and key the API server accepts (signed by its client CA)
     */
    Pki.Issued clientCertificate(String user, String group) {
        return pki.client(user, group);
    }

    /** @return the API server's port */
    int port() {
        return apiPort;
    }

    /**
     * Signs a ServiceAccount token with the cluster's own service-account signing key, as the TokenRequest API does,
     * but with the times given (the API refuses to issue one that is already expired).
     *
     * @param namespace the ServiceAccount's namespace
     * @param name      its name
     * @param uid       its uid (the API server checks the ServiceAccount still exists with it)
     * @param issuedAt  {@code iat} and {@code nbf}
     * @param expiresAt {@code exp}
     * @return the token
     */
    String signServiceAccountToken(String namespace, String name, String uid, java.time.Instant issuedAt,
                                   java.time.Instant expiresAt) throws IOException, GeneralSecurityException {
        String pem = Files.readString(dir.resolve("sa.key")).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"" + SERVICE_ACCOUNT_ISSUER + "\",\"aud\":[\""
                + SERVICE_ACCOUNT_ISSUER + "\"],\"sub\":\"system:serviceaccount:" + namespace + ":" + name + "\","
                + "\"iat\":" + issuedAt.getEpochSecond() + ",\"nbf\":" + issuedAt.getEpochSecond() + ",\"exp\":"
                + expiresAt.getEpochSecond() + ",\"kubernetes.io\":{\"namespace\":\"" + namespace + "\","
                + "\"serviceaccount\":{\"name\":\"" + name + "\",\"uid\":\"" + uid + "\"}}}")
                .getBytes(StandardCharsets.UTF_8));
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSAinP1363Format");
        signer.initSign(key);
        signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        return header + "." + claims + "." + b64.encodeToString(signer.sign());
    }

    /** Ends the API server (by its process id) and waits until it is gone; etcd and the controllers keep running. */
    void stopApiServer() throws InterruptedException {
        if (apiServer != null) {
            end(apiServer);
            processes.remove(apiServer);
            apiServer = null;
        }
    }

    /** Starts the API server (again, on the same port and data) and waits until it is ready. */
    void startApiServer() throws Exception {
        List<String> args = new ArrayList<>(List.of(
                binary("kube-apiserver"),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=127.0.0.1",
                "--advertise-address=127.0.0.1",
                "--secure-port=" + apiPort,
                "--cert-dir=" + dir.resolve("apiserver-certs"),
                "--tls-cert-file=" + dir.resolve("apiserver.crt"),
                "--tls-private-key-file=" + dir.resolve("apiserver.key"),
                "--client-ca-file=" + dir.resolve("ca.crt"),
                "--token-auth-file=" + dir.resolve("tokens.csv"),
                "--authorization-mode=RBAC",
                "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
                "--service-account-key-file=" + dir.resolve("sa.pub"),
                "--service-account-signing-key-file=" + dir.resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/16",
                "--endpoint-reconciler-type=none",
                "--allow-privileged=true",
                "--enable-priority-and-fairness=false",
                "--kubelet-certificate-authority=" + dir.resolve("ca.crt"),
                "--kubelet-client-certificate=" + dir.resolve("kubelet-client.crt"),
                "--kubelet-client-key=" + dir.resolve("kubelet-client.key"),
                "--kubelet-preferred-address-types=InternalIP",
                "--kubelet-timeout=10s",
                "--v=1"));
        if (minorVersion < 24) {
            args.add("--insecure-port=0"); // removed in 1.24, where there is no insecure port any more
        }
        apiServer = launch("kube-apiserver", args);
        waitUntil("kube-apiserver answers /readyz", Duration.ofSeconds(90), apiServer, this::apiServerReady);
    }

    private void writeFiles() throws IOException {
        Files.writeString(dir.resolve("ca.crt"), pki.ca().certificatePem());
        Pki.Issued serving = pki.server("kube-apiserver");
        writePrivate("apiserver.crt", serving.certificatePem());
        writePrivate("apiserver.key", serving.privateKeyPem());
        Pki.Issued kubeletClient = pki.client("kube-apiserver-kubelet-client", "system:masters");
        writePrivate("kubelet-client.crt", kubeletClient.certificatePem());
        writePrivate("kubelet-client.key", kubeletClient.privateKeyPem());
        String[] serviceAccountKeys = Pki.ecKeyPairPem();
        writePrivate("sa.key", serviceAccountKeys[0]);
        Files.writeString(dir.resolve("sa.pub"), serviceAccountKeys[1]);
        writePrivate("tokens.csv", adminToken + "," + ADMIN_USER + ",uid-admin,\"system:masters\"\n"
                + viewerToken + "," + VIEWER_USER + ",uid-viewer,\"conformance:viewers\"\n");
        writeKubeconfig(dir.resolve("admin.kubeconfig"), "conformance", adminToken);
    }

    private void writePrivate(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text);
    }

    private void startEtcd() throws Exception {
        String client = "http://127.0.0.1:" + etcdPort;
        String peer = "http://127.0.0.1:" + etcdPeerPort;
        Process etcd = launch("etcd", List.of(binary("etcd"),
                "--name=conformance",
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=" + client,
                "--advertise-client-urls=" + client,
                "--listen-peer-urls=" + peer,
                "--initial-advertise-peer-urls=" + peer,
                "--initial-cluster=conformance=" + peer,
                "--log-level=warn"));
        waitUntil("etcd answers /health", Duration.ofSeconds(30), etcd, () -> {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(client + "/health")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("true");
        });
    }

    private void startControllers() throws Exception {
        Path kubeconfig = dir.resolve("admin.kubeconfig");
        List<String> controllerArgs = new ArrayList<>(List.of(binary("kube-controller-manager"),
                "--kubeconfig=" + kubeconfig,
                "--leader-elect=false",
                "--controllers=*,-nodelifecycle",
                "--service-account-private-key-file=" + dir.resolve("sa.key"),
                "--root-ca-file=" + dir.resolve("ca.crt"),
                "--use-service-account-credentials=false",
                "--secure-port=0",
                "--concurrent-deployment-syncs=2",
                "--v=1"));
        List<String> schedulerArgs = new ArrayList<>(List.of(binary("kube-scheduler"),
                "--kubeconfig=" + kubeconfig,
                "--leader-elect=false",
                "--secure-port=0",
                "--v=1"));
        if (minorVersion < 24) {
            // the insecure ports (10252, 10251) are on by default before 1.24 (flags removed since)
            controllerArgs.add("--port=0");
            schedulerArgs.add("--port=0");
        }
        Process controllers = launch("kube-controller-manager", controllerArgs);
        Process scheduler = launch("kube-scheduler", schedulerArgs);
        // the service-account controller creates 'default' in every namespace: proof the controllers run
        waitUntil("kube-controller-manager creates the default service account", Duration.ofSeconds(60),
                controllers, () -> admin.serviceAccounts().inNamespace("default").withName("default").get() != null);
        // the clusterrole-aggregation controller fills 'view'; the viewer can list pods only once it did
        try (KubernetesClient viewer = client(viewerToken)) {
            waitUntil("the view ClusterRole is aggregated", Duration.ofSeconds(60), controllers, () -> {
                try {
                    viewer.pods().inNamespace("default").list();
                    return true;
                } catch (KubernetesClientException e) {
                    if (e.getCode() == 403) {
                        return false;
                    }
                    throw e;
                }
            });
        }
        if (!scheduler.isAlive()) {
            throw new IllegalStateException("kube-scheduler exited: " + tail("kube-scheduler"));
        }
    }

    private void grantViewer() {
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName("conformance-viewer-view").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "view")
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io")
                .withName("conformance:viewers").endSubject()
                .build()).create();
        admin.rbac().clusterRoles().resource(new ClusterRoleBuilder()
                .withNewMetadata().withName("conformance-node-reader").endMetadata()
                .addNewRule().withApiGroups("").withResources("nodes").withVerbs("get", "list", "watch").endRule()
                .build()).create();
        admin.rbac().clusterRoleBindings().resource(new ClusterRoleBindingBuilder()
                .withNewMetadata().withName("conformance-viewer-nodes").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "conformance-node-reader")
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io")
                .withName("conformance:viewers").endSubject()
                .build()).create();
    }

    /** @return the minor version of the binaries, e.g. 20 for v1.20.2 (service-account tokens changed in 1.24) */
    int minorVersion() {
        return minorVersion;
    }

    private static int minorVersion(Path apiServer) throws IOException {
        Process p = new ProcessBuilder(apiServer.toString(), "--version").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("v1\\.(\\d+)").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException(apiServer + " --version did not name a version: " + out);
        }
        return Integer.parseInt(m.group(1));
    }

    private boolean apiServerReady() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trustCa).connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/readyz"))
                        .header("Authorization", "Bearer " + adminToken).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() == 200;
    }

    private Process launch(String name, List<String> command) throws IOException {
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(k -> k.startsWith("KUBE") || k.endsWith("_PROXY")
                || k.endsWith("_proxy"));
        Process process = builder.start();
        processes.add(process);
        names.put(process, name);
        return process;
    }

    private String binary(String name) {
        return assets.resolve(name).toString();
    }

    /** @return the last lines the process logged (for failure messages; the logs hold no tokens) */
    String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private void waitUntil(String what, Duration bound, Process process, Check check) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(what + ": the process exited with " + process.exitValue()
                        + "; its log ends with:\n" + tail(nameOf(process)));
            }
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("timed out after " + bound.toSeconds() + " s waiting until " + what
                + (last == null ? "" : " (last error: " + last.getClass().getSimpleName() + ")")
                + "; its log ends with:\n" + tail(nameOf(process)));
    }

    private String nameOf(Process process) {
        return names.getOrDefault(process, "unknown");
    }

    private static void end(Process process) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM to this pid only
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private synchronized void destroyAll() {
        // reverse order of start: controllers, API server, etcd
        for (int i = processes.size() - 1; i >= 0; i--) {
            try {
                end(processes.get(i));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                processes.get(i).destroyForcibly();
            }
        }
        processes.clear();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (admin != null) {
            admin.close();
        }
        destroyAll();
        kubelet.close();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
        deleteTree(dir);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory
        }
    }

    @Override
    public String toString() {
        return "ControlPlane[" + url() + ", users " + ADMIN_USER + " and " + VIEWER_USER + ", dir " + dir + "]";
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static SSLContext trusting(Pki pki) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", pki.ca().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

}
