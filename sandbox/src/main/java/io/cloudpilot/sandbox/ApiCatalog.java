package io.cloudpilot.sandbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API groups, versions and resources the sandbox serves, and the discovery documents built from them.
 * The store itself is kind-agnostic; this table decides what is a known path (anything else is a 404, as on a
 * real API server) and what {@code /api}, {@code /apis} and {@code /apis/<group>/<version>} announce.
 */
final class ApiCatalog {

    static final List<String> STANDARD_VERBS =
            List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
    static final List<String> READ_VERBS = List.of("get", "list");

    /** Group of the Istio networking API; served at v1, v1beta1 and v1alpha3 from one store (v1). */
    static final String ISTIO_NETWORKING = "networking.istio.io";
    static final String ISTIO_SECURITY = "security.istio.io";
    static final String METRICS = "metrics.k8s.io";
    static final String EVENTS = "events.k8s.io";

    /**
     * One resource type.
     *
     * @param plural       the URL name ({@code pods})
     * @param singular     the singular name ({@code pod})
     * @param kind         the object kind ({@code Pod})
     * @param namespaced   whether objects live in namespaces
     * @param verbs        the verbs on the collection and objects
     * @param shortNames   kubectl short names
     * @param subresources subresource names ({@code status}, {@code scale}, {@code log})
     * @param categories   kubectl categories ({@code all})
     */
    record Resource(String plural, String singular, String kind, boolean namespaced, List<String> verbs,
                    List<String> shortNames, List<String> subresources, List<String> categories) {

        boolean hasSubresource(String name) {
            return subresources.contains(name);
        }
    }

    /**
     * One group/version and its resources.
     *
     * @param group     the group, empty for the core group
     * @param version   the version
     * @param resources by plural
     */
    record GroupVersion(String group, String version, Map<String, Resource> resources) {

        String apiVersion() {
            return group.isEmpty() ? version : group + "/" + version;
        }

        Optional<Resource> resource(String plural) {
            return Optional.ofNullable(resources.get(plural));
        }
    }

    /**
     * A group with its versions, the first one preferred.
     *
     * @param name     the group name
     * @param versions its versions, preferred first
     */
    record Group(String name, List<GroupVersion> versions) {
    }

    private final GroupVersion core;
    private final Map<String, Group> groups = new LinkedHashMap<>();

    ApiCatalog() {
        core = new GroupVersion("", "v1", byPlural(List.of(
                res("bindings", "binding", "Binding", true, List.of("create"), List.of(), List.of(), List.of()),
                res("componentstatuses", "componentstatus", "ComponentStatus", false, READ_VERBS,
                        List.of("cs"), List.of(), List.of()),
                res("configmaps", "configmap", "ConfigMap", true, STANDARD_VERBS, List.of("cm"), List.of(), List.of()),
                res("endpoints", "endpoints", "Endpoints", true, STANDARD_VERBS, List.of("ep"), List.of(), List.of()),
                res("events", "event", "Event", true, STANDARD_VERBS, List.of("ev"), List.of(), List.of()),
                res("limitranges", "limitrange", "LimitRange", true, STANDARD_VERBS, List.of("limits"), List.of(),
                        List.of()),
                res("namespaces", "namespace", "Namespace", false,
                        List.of("create", "delete", "get", "list", "patch", "update", "watch"), List.of("ns"),
                        List.of("status", "finalize"), List.of()),
                res("nodes", "node", "Node", false, STANDARD_VERBS, List.of("no"), List.of("status", "proxy"),
                        List.of()),
                res("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, STANDARD_VERBS,
                        List.of("pvc"), List.of("status"), List.of()),
                res("persistentvolumes", "persistentvolume", "PersistentVolume", false, STANDARD_VERBS,
                        List.of("pv"), List.of("status"), List.of()),
                res("pods", "pod", "Pod", true, STANDARD_VERBS, List.of("po"),
                        List.of("status", "log", "exec", "attach", "portforward", "proxy", "eviction", "binding",
                                "ephemeralcontainers"), List.of("all")),
                res("podtemplates", "podtemplate", "PodTemplate", true, STANDARD_VERBS, List.of(), List.of(),
                        List.of()),
                res("replicationcontrollers", "replicationcontroller", "ReplicationController", true, STANDARD_VERBS,
                        List.of("rc"), List.of("status", "scale"), List.of("all")),
                res("resourcequotas", "resourcequota", "ResourceQuota", true, STANDARD_VERBS, List.of("quota"),
                        List.of("status"), List.of()),
                res("secrets", "secret", "Secret", true, STANDARD_VERBS, List.of(), List.of(), List.of()),
                res("serviceaccounts", "serviceaccount", "ServiceAccount", true, STANDARD_VERBS, List.of("sa"),
                        List.of("token"), List.of()),
                res("services", "service", "Service", true,
                        List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
                        List.of("svc"), List.of("status", "proxy"), List.of("all")))));

        group("apps", version("apps", "v1",
                res("controllerrevisions", "controllerrevision", "ControllerRevision", true, STANDARD_VERBS, List.of(),
                        List.of(), List.of()),
                res("daemonsets", "daemonset", "DaemonSet", true, STANDARD_VERBS, List.of("ds"), List.of("status"),
                        List.of("all")),
                res("deployments", "deployment", "Deployment", true, STANDARD_VERBS, List.of("deploy"),
                        List.of("status", "scale"), List.of("all")),
                res("replicasets", "replicaset", "ReplicaSet", true, STANDARD_VERBS, List.of("rs"),
                        List.of("status", "scale"), List.of("all")),
                res("statefulsets", "statefulset", "StatefulSet", true, STANDARD_VERBS, List.of("sts"),
                        List.of("status", "scale"), List.of("all"))));
        group("events.k8s.io", version(EVENTS, "v1",
                res("events", "event", "Event", true, READ_VERBS, List.of("ev"), List.of(), List.of())));
        group("autoscaling", version("autoscaling", "v2",
                res("horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler", true,
                        STANDARD_VERBS, List.of("hpa"), List.of("status"), List.of("all"))));
        group("batch", version("batch", "v1",
                res("cronjobs", "cronjob", "CronJob", true, STANDARD_VERBS, List.of("cj"), List.of("status"),
                        List.of("all")),
                res("jobs", "job", "Job", true, STANDARD_VERBS, List.of(), List.of("status"), List.of("all"))));
        group("networking.k8s.io", version("networking.k8s.io", "v1",
                res("ingressclasses", "ingressclass", "IngressClass", false, STANDARD_VERBS, List.of(), List.of(),
                        List.of()),
                res("ingresses", "ingress", "Ingress", true, STANDARD_VERBS, List.of("ing"), List.of("status"),
                        List.of()),
                res("networkpolicies", "networkpolicy", "NetworkPolicy", true, STANDARD_VERBS, List.of("netpol"),
                        List.of(), List.of())));
        group("policy", version("policy", "v1",
                res("poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true, STANDARD_VERBS,
                        List.of("pdb"), List.of("status"), List.of())));
        group("rbac.authorization.k8s.io", version("rbac.authorization.k8s.io", "v1",
                res("clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, STANDARD_VERBS,
                        List.of(), List.of(), List.of()),
                res("clusterroles", "clusterrole", "ClusterRole", false, STANDARD_VERBS, List.of(), List.of(),
                        List.of()),
                res("rolebindings", "rolebinding", "RoleBinding", true, STANDARD_VERBS, List.of(), List.of(),
                        List.of()),
                res("roles", "role", "Role", true, STANDARD_VERBS, List.of(), List.of(), List.of())));
        group("storage.k8s.io", version("storage.k8s.io", "v1",
                res("storageclasses", "storageclass", "StorageClass", false, STANDARD_VERBS, List.of("sc"), List.of(),
                        List.of())));
        group("apiextensions.k8s.io", version("apiextensions.k8s.io", "v1",
                res("customresourcedefinitions", "customresourcedefinition", "CustomResourceDefinition", false,
                        STANDARD_VERBS, List.of("crd", "crds"), List.of("status"), List.of("api-extensions"))));
        group("coordination.k8s.io", version("coordination.k8s.io", "v1",
                res("leases", "lease", "Lease", true, STANDARD_VERBS, List.of(), List.of(), List.of())));
        group(METRICS, version(METRICS, "v1beta1",
                res("nodes", "", "NodeMetrics", false, READ_VERBS, List.of(), List.of(), List.of()),
                res("pods", "", "PodMetrics", true, READ_VERBS, List.of(), List.of(), List.of())));
        List<GroupVersion> istioNetworking = new ArrayList<>();
        for (String v : List.of("v1", "v1beta1", "v1alpha3")) {
            List<Resource> resources = new ArrayList<>(List.of(
                    istio("destinationrules", "destinationrule", "DestinationRule", List.of("dr")),
                    istio("gateways", "gateway", "Gateway", List.of("gw")),
                    istio("serviceentries", "serviceentry", "ServiceEntry", List.of("se")),
                    istio("sidecars", "sidecar", "Sidecar", List.of()),
                    istio("virtualservices", "virtualservice", "VirtualService", List.of("vs")),
                    istio("workloadentries", "workloadentry", "WorkloadEntry", List.of("we")),
                    istio("workloadgroups", "workloadgroup", "WorkloadGroup", List.of("wg"))));
            if (v.equals("v1alpha3")) {
                resources.add(istio("envoyfilters", "envoyfilter", "EnvoyFilter", List.of()));
            }
            istioNetworking.add(new GroupVersion(ISTIO_NETWORKING, v, byPlural(resources)));
        }
        groups.put(ISTIO_NETWORKING, new Group(ISTIO_NETWORKING, List.copyOf(istioNetworking)));
        List<GroupVersion> istioSecurity = new ArrayList<>();
        for (String v : List.of("v1", "v1beta1")) {
            istioSecurity.add(new GroupVersion(ISTIO_SECURITY, v, byPlural(List.of(
                    istio("authorizationpolicies", "authorizationpolicy", "AuthorizationPolicy", List.of("ap")),
                    istio("peerauthentications", "peerauthentication", "PeerAuthentication", List.of("pa")),
                    istio("requestauthentications", "requestauthentication", "RequestAuthentication",
                            List.of("ra"))))));
        }
        groups.put(ISTIO_SECURITY, new Group(ISTIO_SECURITY, List.copyOf(istioSecurity)));
    }

    /**
     * The storage version of a group: objects are kept once, at this version, and served at every version of
     * the group (the real API server converts; the Istio versions share one schema, so renaming is enough).
     *
     * @param group the group
     * @return the version objects are stored at
     */
    String storageVersion(String group) {
        if (group.isEmpty()) {
            return "v1";
        }
        Group g = groups.get(group);
        return g == null ? null : g.versions().get(0).version();
    }

    GroupVersion core() {
        return core;
    }

    Optional<Group> group(String name) {
        return Optional.ofNullable(groups.get(name));
    }

    Optional<GroupVersion> groupVersion(String group, String version) {
        if (group.isEmpty()) {
            return version.equals("v1") ? Optional.of(core) : Optional.empty();
        }
        return group(group).flatMap(g -> g.versions().stream().filter(v -> v.version().equals(version)).findFirst());
    }

    /**
     * Finds the resource serving a kind at an apiVersion (for loading fixtures).
     *
     * @param apiVersion {@code v1}, {@code apps/v1} ...
     * @param kind       the kind
     * @return the group/version and resource
     */
    Optional<Map.Entry<GroupVersion, Resource>> byKind(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        String version = slash < 0 ? apiVersion : apiVersion.substring(slash + 1);
        return groupVersion(group, version).flatMap(gv -> gv.resources().values().stream()
                .filter(r -> r.kind().equals(kind))
                .findFirst()
                .map(r -> Map.entry(gv, r)));
    }

    Map<String, Object> rootPaths() {
        List<String> paths = new ArrayList<>(List.of("/api", "/api/v1", "/apis"));
        for (Group g : groups.values()) {
            paths.add("/apis/" + g.name());
            for (GroupVersion v : g.versions()) {
                paths.add("/apis/" + g.name() + "/" + v.version());
            }
        }
        paths.addAll(List.of("/healthz", "/livez", "/readyz", "/version"));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("paths", paths);
        return root;
    }

    Map<String, Object> apiVersions(String serverAddress) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", "APIVersions");
        doc.put("versions", List.of("v1"));
        doc.put("serverAddressByClientCIDRs", List.of(Map.of("clientCIDR", "0.0.0.0/0", "serverAddress",
                serverAddress)));
        return doc;
    }

    Map<String, Object> apiGroupList() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", "APIGroupList");
        doc.put("apiVersion", "v1");
        doc.put("groups", groups.values().stream().map(ApiCatalog::groupDocument).toList());
        return doc;
    }

    Map<String, Object> apiGroup(Group g) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", "APIGroup");
        doc.put("apiVersion", "v1");
        doc.putAll(groupDocument(g));
        return doc;
    }

    Map<String, Object> apiResourceList(GroupVersion gv) {
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Resource r : gv.resources().values()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("name", r.plural());
            doc.put("singularName", r.singular());
            doc.put("namespaced", r.namespaced());
            doc.put("kind", r.kind());
            doc.put("verbs", r.verbs());
            if (!r.shortNames().isEmpty()) {
                doc.put("shortNames", r.shortNames());
            }
            if (!r.categories().isEmpty()) {
                doc.put("categories", r.categories());
            }
            resources.add(doc);
            for (String sub : r.subresources()) {
                resources.add(subresourceDocument(r, sub));
            }
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", "APIResourceList");
        doc.put("apiVersion", "v1");
        doc.put("groupVersion", gv.apiVersion());
        doc.put("resources", resources);
        return doc;
    }

    private static Map<String, Object> subresourceDocument(Resource r, String sub) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", r.plural() + "/" + sub);
        doc.put("singularName", "");
        doc.put("namespaced", r.namespaced());
        switch (sub) {
            case "scale" -> {
                doc.put("group", "autoscaling");
                doc.put("version", "v1");
                doc.put("kind", "Scale");
                doc.put("verbs", List.of("get", "patch", "update"));
            }
            case "status" -> {
                doc.put("kind", r.kind());
                doc.put("verbs", List.of("get", "patch", "update"));
            }
            case "log" -> {
                doc.put("kind", "Pod");
                doc.put("verbs", List.of("get"));
            }
            case "eviction" -> {
                doc.put("group", "policy");
                doc.put("version", "v1");
                doc.put("kind", "Eviction");
                doc.put("verbs", List.of("create"));
            }
            case "token" -> {
                doc.put("group", "authentication.k8s.io");
                doc.put("version", "v1");
                doc.put("kind", "TokenRequest");
                doc.put("verbs", List.of("create"));
            }
            case "exec", "attach", "portforward" -> {
                doc.put("kind", "Pod" + Character.toUpperCase(sub.charAt(0)) + sub.substring(1) + "Options");
                doc.put("verbs", List.of("create", "get"));
            }
            case "proxy" -> {
                doc.put("kind", r.kind() + "ProxyOptions");
                doc.put("verbs", List.of("create", "delete", "get", "patch", "update"));
            }
            default -> {
                doc.put("kind", r.kind());
                doc.put("verbs", List.of("get", "patch", "update"));
            }
        }
        return doc;
    }

    private static Map<String, Object> groupDocument(Group g) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", g.name());
        doc.put("versions", g.versions().stream()
                .map(v -> Map.of("groupVersion", v.apiVersion(), "version", v.version()))
                .toList());
        GroupVersion preferred = g.versions().get(0);
        doc.put("preferredVersion", Map.of("groupVersion", preferred.apiVersion(), "version", preferred.version()));
        return doc;
    }

    private void group(String name, GroupVersion... versions) {
        groups.put(name, new Group(name, List.of(versions)));
    }

    private static GroupVersion version(String group, String version, Resource... resources) {
        return new GroupVersion(group, version, byPlural(List.of(resources)));
    }

    private static Map<String, Resource> byPlural(List<Resource> resources) {
        Map<String, Resource> map = new LinkedHashMap<>();
        resources.forEach(r -> map.put(r.plural(), r));
        return map;
    }

    private static Resource res(String plural, String singular, String kind, boolean namespaced, List<String> verbs,
                                List<String> shortNames, List<String> subresources, List<String> categories) {
        return new Resource(plural, singular, kind, namespaced, verbs, shortNames, subresources, categories);
    }

    private static Resource istio(String plural, String singular, String kind, List<String> shortNames) {
        return new Resource(plural, singular, kind, true, STANDARD_VERBS, shortNames, List.of("status"),
                List.of("istio-io", plural.contains("polic") || plural.contains("authentication")
                        ? "security-istio-io" : "networking-istio-io"));
    }
}
