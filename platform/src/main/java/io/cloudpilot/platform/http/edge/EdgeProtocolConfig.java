package io.cloudpilot.platform.http.edge;

import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.spi.ProtocolConfig;

/**
 * The HTTP/1.1 protocol of a socket ({@code server.protocols.http_1_1}) as the edge takes it: Helidon's own settings,
 * under a type of the edge's, so that Helidon's HTTP/1 connection provider does not serve the socket beside the edge.
 *
 * @param http1 Helidon's HTTP/1.1 settings of the socket
 */
record EdgeProtocolConfig(Http1Config http1) implements ProtocolConfig {

    @Override
    public String name() {
        return http1.name();
    }

    @Override
    public String type() {
        return http1.type();
    }
}
