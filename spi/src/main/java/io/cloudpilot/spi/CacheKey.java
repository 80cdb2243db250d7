package io.cloudpilot.spi;

import java.util.Objects;

/**
 * What identifies one cached upstream answer: everything that changes the answer (cluster, kind,
 * namespace, selectors, name) and nothing that does not (paging, sorting, view options).
 *
 * <p>Entries are shared by all plugins, so the value under a key is always the upstream answer itself, never a
 * plugin's view of it: for a list key a {@code List} of fabric8 model objects ({@code List<Pod>} for
 * {@link CacheKind#PODS}, {@code List<GenericKubernetesResource>} for Istio kinds), for an object key the object.
 * Subresource reads use the subresource as kind ({@link CacheKind#POD_LOGS}), {@code <object>/<container>} as name, and
 * their options as the field-selector part ({@code tailLines=100,sinceSeconds=60,previous=false,timestamps=false}),
 * so that equal reads from different plugins share an entry.
 *
 * @param cluster       the cluster's name
 * @param kind          what was read, e.g. {@link CacheKind#PODS}, {@code networking.istio.io/v1/virtualservices}
 * @param namespace     the namespace, or {@code ""} for all namespaces or cluster-scoped kinds
 * @param name          the object's name, or {@code ""} for a list
 * @param labelSelector the label selector, or {@code ""}
 * @param fieldSelector the field selector, or {@code ""}
 */
public record CacheKey(String cluster, CacheKind kind, String namespace, String name, String labelSelector,
                       String fieldSelector) {

    /**
     * Normalises absent parts to {@code ""} so that equal requests make equal keys.
     */
    public CacheKey {
        Objects.requireNonNull(cluster, "cluster is null");
        Objects.requireNonNull(kind, "kind is null");
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        labelSelector = labelSelector == null ? "" : labelSelector;
        fieldSelector = fieldSelector == null ? "" : fieldSelector;
    }

    /**
     * A list of {@code kind} in {@code namespace} (all namespaces when null or empty).
     *
     * @param cluster   cluster name
     * @param kind      kind
     * @param namespace namespace or null
     * @return the key
     */
    public static CacheKey list(String cluster, CacheKind kind, String namespace) {
        return new CacheKey(cluster, kind, namespace, "", "", "");
    }

    /**
     * One named object.
     *
     * @param cluster   cluster name
     * @param kind      kind
     * @param namespace namespace, or null for a cluster-scoped kind
     * @param name      object name
     * @return the key
     */
    public static CacheKey object(String cluster, CacheKind kind, String namespace, String name) {
        return new CacheKey(cluster, kind, namespace, name, "", "");
    }

    /**
     * @param labelSelector a label selector
     * @return this key with the selector
     */
    public CacheKey withLabelSelector(String labelSelector) {
        return new CacheKey(cluster, kind, namespace, name, labelSelector, fieldSelector);
    }

    /**
     * @param fieldSelector a field selector
     * @return this key with the selector
     */
    public CacheKey withFieldSelector(String fieldSelector) {
        return new CacheKey(cluster, kind, namespace, name, labelSelector, fieldSelector);
    }
}
