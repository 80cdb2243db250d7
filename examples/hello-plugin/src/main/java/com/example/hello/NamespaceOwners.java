package com.example.hello;

import java.util.List;
import java.util.Map;

import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.api.model.Namespace;

/**
 * Which namespaces of a cluster carry the owner label. System namespaces ({@code kube-*}) are left out.
 *
 * @param label the label that names a namespace's owner, e.g. {@code team}
 */
public record NamespaceOwners(String label) {

    static final String DEFAULT_LABEL = "team";

    /** The owner label of {@code plugins.hello.owner-label}, default {@code team}. */
    static NamespaceOwners of(PluginContext context) {
        return new NamespaceOwners(context.config("owner-label").filter(s -> !s.isBlank()).orElse(DEFAULT_LABEL));
    }

    /**
     * @param clusterName  the cluster
     * @param label        the owner label
     * @param owned        namespace → owner
     * @param withoutOwner namespaces without the label, sorted
     */
    public record Report(String clusterName, String label, Map<String, String> owned, List<String> withoutOwner) {
    }

    /** Reads the namespaces through the shared cache (the same entry every plugin uses for namespaces). */
    Report read(ClusterContext cluster, ResourceCache cache, boolean forceRefresh) {
        List<Namespace> namespaces = cache.get(CacheKey.list(cluster.name(), CacheKind.NAMESPACES, ""), forceRefresh,
                () -> cluster.client().namespaces().list().getItems());
        Map<String, String> owned = new java.util.TreeMap<>();
        List<String> withoutOwner = new java.util.ArrayList<>();
        for (Namespace ns : namespaces) {
            String name = ns.getMetadata().getName();
            if (name.startsWith("kube-")) {
                continue;
            }
            Map<String, String> labels = ns.getMetadata().getLabels();
            String owner = labels == null ? null : labels.get(label);
            if (owner == null || owner.isBlank()) {
                withoutOwner.add(name);
            } else {
                owned.put(name, owner);
            }
        }
        withoutOwner.sort(null);
        return new Report(cluster.name(), label, owned, List.copyOf(withoutOwner));
    }
}
