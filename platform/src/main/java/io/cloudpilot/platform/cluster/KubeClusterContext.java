package io.cloudpilot.platform.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.cloudpilot.spi.ClusterContext;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIGroupList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * A cluster with its client and a per-cluster memo of API discovery (what groups and versions it serves).
 */
public final class KubeClusterContext implements ClusterContext, AutoCloseable {

    private static final Duration DISCOVERY_TTL = Duration.ofMinutes(5);

    private final String name;
    private final KubernetesClient client;
    private volatile Discovered discovered;

    private record Discovered(Map<String, List<String>> versionsByGroup, Instant at) {
    }

    /**
     * @param name   the cluster's name
     * @param client its client, closed with this context
     */
    public KubeClusterContext(String name, KubernetesClient client) {
        this.name = name;
        this.client = client;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public List<String> servedVersions(String group) {
        Discovered d = discovered;
        if (d == null || d.at().plus(DISCOVERY_TTL).isBefore(Instant.now())) {
            d = discover();
            discovered = d;
        }
        return d.versionsByGroup().getOrDefault(group, List.of());
    }

    private Discovered discover() {
        try {
            APIGroupList groups = client.getApiGroups();
            Map<String, List<String>> byGroup = new ConcurrentHashMap<>();
            if (groups != null && groups.getGroups() != null) {
                for (APIGroup g : groups.getGroups()) {
                    List<String> versions = new ArrayList<>();
                    if (g.getPreferredVersion() != null) {
                        versions.add(g.getPreferredVersion().getVersion());
                    }
                    for (GroupVersionForDiscovery v : g.getVersions()) {
                        if (!versions.contains(v.getVersion())) {
                            versions.add(v.getVersion());
                        }
                    }
                    byGroup.put(g.getName(), List.copyOf(versions));
                }
            }
            return new Discovered(Map.copyOf(byGroup), Instant.now());
        } catch (RuntimeException e) {
            throw UpstreamErrors.map(name, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
