package io.cloudpilot.platform.security;

import java.util.ArrayList;
import java.util.List;

import io.helidon.config.mp.MpConfig;

import org.eclipse.microprofile.config.Config;

/**
 * Every socket the web server will open for a configuration, read the way Helidon reads it: the default one
 * ({@code server.host}, {@code server.port}) and each of {@code server.sockets} (a list, or an object keyed by
 * name), whose {@code host} defaults to {@value #HELIDON_DEFAULT_HOST} like Helidon's own {@code ListenerConfig}.
 */
public final class ServerSockets {

    /** The default socket's name in Helidon. */
    public static final String DEFAULT = "@default";
    /** What Helidon binds a socket to when its {@code host} is not set: every interface. */
    static final String HELIDON_DEFAULT_HOST = "0.0.0.0";

    /**
     * One socket.
     *
     * @param name its name ({@value #DEFAULT} for the default one)
     * @param host the address it binds to
     */
    public record Socket(String name, String host) {
        /** @return how a message names it: the address, and the socket's name unless it is the default one */
        public String describe() {
            return name.equals(DEFAULT) ? host : host + " (socket '" + name + "', server.sockets)";
        }
    }

    private ServerSockets() {
    }

    /**
     * @param config the server's configuration
     * @return the default socket first, then the others in configuration order
     */
    public static List<Socket> of(Config config) {
        io.helidon.config.Config server = MpConfig.toHelidonConfig(config).get("server");
        List<Socket> sockets = new ArrayList<>();
        sockets.add(new Socket(DEFAULT, server.get("host").asString().orElse(HELIDON_DEFAULT_HOST).trim()));
        server.get("sockets").asNodeList().orElse(List.of()).forEach(node -> {
            String name = node.get("name").asString().orElse(node.name());
            if (!name.equals(DEFAULT)) {
                sockets.add(new Socket(name, node.get("host").asString().orElse(HELIDON_DEFAULT_HOST).trim()));
            }
        });
        return List.copyOf(sockets);
    }
}
