package io.cloudpilot.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Queue;

import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;

/**
 * A Kubernetes API server with nothing in it and no API group beyond the built-in ones (fabric8's mock server in CRUD
 * mode, v1.30.0): a cluster without Istio, unlike the sandbox, which serves Istio's groups even when empty.
 */
public final class BareApiServer implements AutoCloseable {

    private final KubernetesMockServer server;

    private BareApiServer(KubernetesMockServer server) {
        this.server = server;
    }

    /** @return a started server on a free loopback port */
    public static BareApiServer start() {
        KubernetesMockServer server = new KubernetesMockServer(new Context(),
                new MockWebServer(), new HashMap<ServerRequest, Queue<ServerResponse>>(),
                new KubernetesMixedDispatcher(new HashMap<>()), false,
                new VersionInfo.Builder().withMajor("1").withMinor("30").withGitVersion("v1.30.0").build());
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new BareApiServer(server);
    }

    /**
     * Writes a kubeconfig for it (cluster, user and context named {@code name}, a token it does not check).
     *
     * @param file where to write it
     * @param name the names in it
     * @return the file
     */
    public Path writeKubeconfig(Path file, String name) {
        try {
            return Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters: [{name: %1$s, cluster: {server: "%2$s"}}]
                    users: [{name: %1$s, user: {token: "%1$s-token"}}]
                    contexts: [{name: %1$s, context: {cluster: %1$s, user: %1$s}}]
                    current-context: %1$s
                    """.formatted(name, server.url("/").replaceAll("/$", "")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.destroy();
    }
}
