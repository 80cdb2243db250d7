package io.cloudpilot.platform.http.edge;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.cloudpilot.platform.security.ServerSockets;

import org.eclipse.microprofile.config.Config;

/**
 * CloudPilot's HTTP edge: every socket of the server reads its requests through {@link RequestFraming}, which
 * refuses ambiguous HTTP/1.1 framing, bounds the time a client may take to send a request's head, refuses foreign
 * Host values while authentication is off, and hands Helidon's HTTP/1 parser only requests it reads one way
 * (docs/decisions/0030). This class checks that the edge is in place.
 */
public final class HttpEdge {

    /** The protocol key the edge takes over from Helidon. */
    static final String PROTOCOL = "http_1_1";
    /** Above Helidon's default weight (100): the edge's providers come first. */
    static final double WEIGHT = 1000;

    private static final Set<String> INSTALLED = ConcurrentHashMap.newKeySet();

    private HttpEdge() {
    }

    /**
     * Checks the edge's settings before a server starts, so a bad value stops the start with a sentence.
     *
     * @param config the server's configuration
     * @throws IllegalArgumentException when a setting is out of range
     */
    public static void prepare(Config config) {
        EdgeRules.from(config, 1, 1);
        INSTALLED.clear();
    }

    /**
     * @param config the configuration of the server that just started
     * @throws IllegalStateException when a socket of the server does not read its requests through the edge
     */
    public static void check(Config config) {
        List<String> missing = ServerSockets.of(config).stream()
                .map(ServerSockets.Socket::name)
                .filter(name -> !INSTALLED.contains(name))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the HTTP edge is not in place on socket(s) " + missing + ": write "
                    + "server.protocols (and each socket's protocols) as an object, e.g. "
                    + "server.protocols.http_1_1.max-prologue-length, not as a list");
        }
    }

    static void installed(String socket) {
        INSTALLED.add(socket);
    }
}
