package io.cloudpilot.platform.registry;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.cloudpilot.platform.cluster.ClientSettings;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * A Kubernetes API over plain HTTP on a loopback port (fabric8's mock server, CRUD + expectations) that answers
 * only requests bearing its token; anything else gets 401 like a real API server.
 */
public final class MockCluster implements AutoCloseable {

    /** Held strongly: JUL keeps loggers weakly and would forget the level. */
    private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");

    static {
        MOCK_LOG.setLevel(Level.WARNING);
    }

    private final KubernetesMockServer server;
    private final AuthDispatcher dispatcher;

    private MockCluster(KubernetesMockServer server, AuthDispatcher dispatcher) {
        this.server = server;
        this.dispatcher = dispatcher;
    }

    public static MockCluster start(String token, String gitVersion) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        AuthDispatcher dispatcher = new AuthDispatcher(responses, token);
        KubernetesMockServer server = new KubernetesMockServer(new Context(),
                new MockWebServer(), responses, dispatcher, false,
                new VersionInfo.Builder().withMajor("1").withMinor("33").withGitVersion(gitVersion)
                        .withPlatform("linux/amd64").build());
        server.init(InetAddress.getLoopbackAddress(), 0);
        return new MockCluster(server, dispatcher);
    }

    /** @return e.g. {@code http://127.0.0.1:41234} */
    public String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /**
     * @param token the bearer token to send (this cluster's, or another to be refused)
     * @return a client of this cluster built as the platform builds its clients (close it)
     */
    public KubernetesClient client(String token) {
        return new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 0).build(new ConfigBuilder()
                .withMasterUrl(url()).withOauthToken(token).withNamespace("default").build());
    }

    /** @return requests refused for a wrong or missing token */
    int rejected() {
        return dispatcher.rejected.get();
    }

    /** @return requests served */
    int served() {
        return dispatcher.served.get();
    }

    @Override
    public void close() {
        server.destroy();
    }

    /** Checks {@code Authorization: Bearer <token>} before the mixed dispatcher answers. */
    static final class AuthDispatcher extends KubernetesMixedDispatcher {
        private final String expected;
        final AtomicInteger rejected = new AtomicInteger();
        final AtomicInteger served = new AtomicInteger();

        AuthDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, String token) {
            super(responses);
            this.expected = "Bearer " + token;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (!expected.equals(request.getHeader("Authorization"))) {
                rejected.incrementAndGet();
                return new MockResponse().setResponseCode(401).setHeader("Content-Type", "application/json")
                        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
                                + "\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
            }
            served.incrementAndGet();
            return super.dispatch(request);
        }
    }
}
