package io.cloudpilot.platform.http.edge;

import io.helidon.common.Weight;
import io.helidon.common.config.Config;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.spi.ProtocolConfigProvider;

/**
 * Reads {@code server.protocols.http_1_1} (and each socket's) into an {@link EdgeProtocolConfig}. It weighs more than
 * Helidon's own provider of the same key, which Helidon then ignores for that key: the socket gets the edge's HTTP/1
 * selector only. With a single selector, Helidon hands each new connection to it at once, before its first byte, so
 * the header timeout covers a client that connects and sends nothing. {@link HttpEdge#check} refuses to start a
 * server where this did not happen.
 */
@Weight(HttpEdge.WEIGHT)
public class EdgeProtocolConfigProvider implements ProtocolConfigProvider<EdgeProtocolConfig> {

    /** For {@link java.util.ServiceLoader}. */
    public EdgeProtocolConfigProvider() {
    }

    @Override
    public String configKey() {
        return HttpEdge.PROTOCOL;
    }

    @Override
    @SuppressWarnings({"removal", "deprecation"}) // the type Helidon 4.3's ProtocolConfigProvider passes
    public EdgeProtocolConfig create(Config config, String name) {
        return new EdgeProtocolConfig(Http1Config.builder().config(config).name(name).build());
    }
}
