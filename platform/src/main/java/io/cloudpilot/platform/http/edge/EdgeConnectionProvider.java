package io.cloudpilot.platform.http.edge;

import io.helidon.common.Weight;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.webserver.spi.ServerConnectionSelectorProvider;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Serves every HTTP/1.1 socket through the edge (found by {@link java.util.ServiceLoader}).
 */
@Weight(HttpEdge.WEIGHT)
public class EdgeConnectionProvider implements ServerConnectionSelectorProvider<EdgeProtocolConfig> {

    /** For {@link java.util.ServiceLoader}. */
    public EdgeConnectionProvider() {
    }

    @Override
    public Class<EdgeProtocolConfig> protocolConfigType() {
        return EdgeProtocolConfig.class;
    }

    @Override
    public String protocolType() {
        return HttpEdge.PROTOCOL;
    }

    @Override
    public ServerConnectionSelector create(String listenerName, EdgeProtocolConfig config, ProtocolConfigs configs) {
        EdgeRules rules = EdgeRules.from(ConfigProvider.getConfig(), config.http1().maxPrologueLength(),
                config.http1().maxHeadersSize());
        HttpEdge.installed(listenerName);
        return new EdgeSelector(config.http1(), rules);
    }
}
