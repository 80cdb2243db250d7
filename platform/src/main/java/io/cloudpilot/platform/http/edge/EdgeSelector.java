package io.cloudpilot.platform.http.edge;

import java.util.Set;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionSelector;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;

/**
 * The only connection selector of a socket: every connection is HTTP/1.1 through the edge (what is not gets a 400
 * or 505 envelope from it), served by Helidon's HTTP/1 connection without protocol upgrades, which the edge could
 * not follow.
 */
final class EdgeSelector implements ServerConnectionSelector {

    private final ServerConnectionSelector http1;
    private final EdgeRules rules;

    EdgeSelector(Http1Config config, EdgeRules rules) {
        this.http1 = Http1ConnectionSelector.builder().config(config).build();
        this.rules = rules;
    }

    @Override
    public int bytesToIdentifyConnection() {
        return 0;
    }

    @Override
    public Support supports(BufferData request) {
        return Support.SUPPORTED;
    }

    @Override
    public Set<String> supportedApplicationProtocols() {
        return http1.supportedApplicationProtocols();
    }

    @Override
    public ServerConnection connection(ConnectionContext ctx) {
        return http1.connection(new EdgeContext(ctx, rules));
    }
}
