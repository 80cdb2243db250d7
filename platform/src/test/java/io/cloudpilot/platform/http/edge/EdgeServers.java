package io.cloudpilot.platform.http.edge;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.CloudPilotServer;

/** A server-mode CloudPilot on a free loopback port, no plugins, no cluster: the edge and the platform's endpoints. */
final class EdgeServers {

    private EdgeServers() {
    }

    /**
     * @param dataDir a fresh data directory
     * @param extra   more settings
     * @return the running server
     */
    static CloudPilotServer start(Path dataDir, Map<String, String> extra) {
        Map<String, String> s = new HashMap<>();
        s.put("server.port", "0");
        s.put("cloudpilot.mode", "server");
        s.put("cloudpilot.data-dir", dataDir.toString());
        s.put("plugins.dirs", dataDir.resolve("no-plugins").toString());
        s.putAll(extra);
        return CloudPilotServer.start(Optional.empty(), s);
    }
}
