package io.cloudpilot.platform.security;

/**
 * One thing a request needs the caller to be allowed in Kubernetes, as a {@code SubjectAccessReview} asks it:
 * a verb on a resource (in a namespace, or in all of them; of one object, or any), or a verb on a non-resource URL.
 *
 * @param verb        the verb: get, list, patch, ...
 * @param group       the API group, {@code ""} for the core group
 * @param resource    e.g. {@code pods}; null for a non-resource URL
 * @param subresource e.g. {@code scale}, or {@code ""}
 * @param namespace   the namespace; {@code ""}: cluster-wide (all namespaces, or a cluster-scoped resource such as nodes)
 * @param name        the object, or {@code ""}: any
 * @param path        the non-resource URL, e.g. {@code /metrics}; null for a resource
 */
public record KubernetesAccess(String verb, String group, String resource, String subresource, String namespace,
                               String name, String path) {

    /**
     * @return a resource permission
     */
    static KubernetesAccess resource(String verb, String group, String resource, String subresource, String namespace,
                                     String name) {
        return new KubernetesAccess(verb, group, resource, subresource, namespace, name, null);
    }

    /**
     * @return a non-resource URL permission
     */
    static KubernetesAccess nonResource(String verb, String path) {
        return new KubernetesAccess(verb, "", null, "", "", "", path);
    }

    /** @return whether this is a non-resource URL */
    public boolean isNonResource() {
        return path != null;
    }

    /** @return e.g. {@code deployments.apps/scale}, {@code pods/log}, {@code pods} */
    public String kind() {
        return resource + (group.isEmpty() ? "" : "." + group) + (subresource.isEmpty() ? "" : "/" + subresource);
    }

    /**
     * @return in the operator's words: "patch deployments.apps/scale 'cart' in namespace 'shop'", "list pods
     * cluster-wide", "get the non-resource URL /metrics"
     */
    public String describe() {
        if (isNonResource()) {
            return verb + " the non-resource URL " + path;
        }
        return verb + " " + kind() + (name.isEmpty() ? "" : " '" + name + "'")
                + (namespace.isEmpty() ? " cluster-wide" : " in namespace '" + namespace + "'");
    }

    /** @return the {@code kubectl auth can-i} command that asks the same question for the current user */
    public String canI() {
        if (isNonResource()) {
            return "kubectl auth can-i " + verb + " " + path;
        }
        return "kubectl auth can-i " + verb + " " + resource + (group.isEmpty() ? "" : "." + group)
                + (name.isEmpty() ? "" : "/" + name) + (subresource.isEmpty() ? "" : " --subresource=" + subresource)
                + (namespace.isEmpty() ? " --all-namespaces" : " -n " + namespace);
    }
}
