package io.cloudpilot.plugin.istiohealth;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.cloudpilot.spi.HealthContributor.Finding;
import io.cloudpilot.spi.Severity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The mesh's data plane from a cluster snapshot: which namespaces inject sidecars, which of their running pods lack
 * one, which of their workloads (Deployments) are not ready, and which sidecars run a version of Istio too far from
 * istiod's.
 *
 * <p>Version rule: Istio supports sidecars up to two minor versions older than the control plane and none newer.
 * A skew of one minor is {@code info}, two is {@code warning} (supported, but the next control-plane upgrade
 * leaves it behind), more, or a sidecar newer than istiod, is {@code critical}.
 */
final class DataPlane {

    private DataPlane() {
    }

    /**
     * Coverage of one injected namespace.
     *
     * @param namespace          the namespace
     * @param injection          how injection is enabled: the label that enables it
     * @param pods               running pods
     * @param withoutSidecar     running pods without an istio-proxy container
     * @param podsWithoutSidecar their names
     * @param workloads          Deployments that want replicas
     * @param unreadyWorkloads   of those, the ones with fewer ready replicas than wanted, as {@code name ready/desired}
     */
    record NamespaceCoverage(String namespace, String injection, int pods, int withoutSidecar,
                             List<String> podsWithoutSidecar, int workloads, List<String> unreadyWorkloads) {
    }

    /**
     * A finding and the number of problems it stands for (pods without a sidecar, pods on a skewed proxy, one
     * workload): what the score counts.
     *
     * @param finding  the finding
     * @param problems how many problems
     */
    record Counted(Finding finding, int problems) {
    }

    /**
     * Sidecars of one version.
     *
     * @param version  the proxy version (from the image tag)
     * @param pods     how many pods run it
     * @param skew     minor versions behind istiod (negative: ahead)
     * @param severity info, warning or critical; null when equal to istiod's
     */
    record ProxyVersion(String version, int pods, Integer skew, Severity severity) {
    }

    /**
     * The data plane.
     *
     * @param controlPlaneVersion     istiod's version, from its image tag
     * @param injectedNamespaces      namespaces with injection enabled
     * @param podsInInjectedNamespaces running pods in them
     * @param podsWithoutSidecar      of those, pods without an istio-proxy container
     * @param sidecarCoveragePercent  the share with a sidecar, null when there is no pod
     * @param workloadsInInjectedNamespaces Deployments that want replicas in them
     * @param unreadyWorkloads        of those, the ones with fewer ready replicas than wanted
     * @param namespaces              per-namespace coverage
     * @param proxyVersions           sidecar versions found
     */
    record Report(String controlPlaneVersion, int injectedNamespaces, int podsInInjectedNamespaces,
                  int podsWithoutSidecar, Double sidecarCoveragePercent, int workloadsInInjectedNamespaces,
                  int unreadyWorkloads, List<NamespaceCoverage> namespaces, List<ProxyVersion> proxyVersions) {
    }

    static Optional<String> controlPlaneVersion(List<Deployment> deployments, String istioNamespace) {
        return deployments.stream()
                .filter(d -> istioNamespace.equals(d.getMetadata().getNamespace()))
                .filter(d -> isIstiod(d.getMetadata().getLabels()))
                .flatMap(d -> d.getSpec().getTemplate().getSpec().getContainers().stream())
                .map(c -> tag(c.getImage()))
                .filter(v -> v != null)
                .findFirst();
    }

    static boolean isIstiod(Map<String, String> labels) {
        return labels != null && ("istiod".equals(labels.get("app")) || "pilot".equals(labels.get("istio")));
    }

    /** Names listed at most in one finding's sentence; the namespaces of the report list them all. */
    static final int NAMED_IN_A_FINDING = 10;

    static Report analyse(List<Namespace> namespaces, List<Pod> pods, List<Deployment> deployments,
                          String controlPlaneVersion, String cluster, List<Counted> findings) {
        // each pod and Deployment looked at once, not once per namespace (150,000 pods in 300 namespaces)
        Map<String, List<Pod>> podsByNamespace = pods.stream()
                .filter(p -> p.getMetadata().getNamespace() != null)
                .collect(Collectors.groupingBy(p -> p.getMetadata().getNamespace()));
        Map<String, List<Deployment>> deploymentsByNamespace = deployments.stream()
                .filter(d -> d.getMetadata().getNamespace() != null)
                .collect(Collectors.groupingBy(d -> d.getMetadata().getNamespace()));
        List<NamespaceCoverage> coverage = new ArrayList<>();
        Map<String, Integer> versions = new TreeMap<>();
        // unready workloads, those with no replica ready apart: one finding for each of the two
        List<Unready> serveNothing = new ArrayList<>();
        List<Unready> belowDesired = new ArrayList<>();
        int total = 0;
        int missing = 0;
        int workloads = 0;
        int unready = 0;
        for (Namespace ns : namespaces) {
            String injection = injection(ns.getMetadata().getLabels());
            if (injection == null) {
                continue;
            }
            String name = ns.getMetadata().getName();
            List<Pod> running = podsByNamespace.getOrDefault(name, List.of()).stream()
                    .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
                    .toList();
            List<String> without = new ArrayList<>();
            for (Pod p : running) {
                Optional<Container> proxy = proxy(p);
                if (proxy.isEmpty()) {
                    without.add(p.getMetadata().getName());
                } else {
                    String v = tag(proxy.get().getImage());
                    versions.merge(v == null ? "unknown" : v, 1, Integer::sum);
                }
            }
            total += running.size();
            missing += without.size();
            List<String> notReady = new ArrayList<>();
            int wanted = 0;
            for (Deployment d : deploymentsByNamespace.getOrDefault(name, List.of())) {
                int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
                if (desired == 0) {
                    continue;
                }
                wanted++;
                int ready = d.getStatus() == null || d.getStatus().getReadyReplicas() == null ? 0
                        : d.getStatus().getReadyReplicas();
                if (ready < desired) {
                    String workload = d.getMetadata().getName();
                    notReady.add(workload + " " + ready + "/" + desired);
                    (ready == 0 ? serveNothing : belowDesired).add(new Unready(name, workload, ready, desired));
                }
            }
            workloads += wanted;
            unready += notReady.size();
            coverage.add(new NamespaceCoverage(name, injection, running.size(), without.size(), List.copyOf(without),
                    wanted, List.copyOf(notReady)));
            if (!without.isEmpty()) {
                findings.add(new Counted(new Finding("SidecarMissing", Severity.WARNING, without.size() + " running pod(s) in "
                        + "namespace '" + name + "' have no istio-proxy sidecar although injection is enabled ("
                        + injection + "): " + named(without) + ". Restart them to inject it.",
                        "/k8s/resources/pods/list?cluster_name=" + cluster + "&namespace=" + name), without.size()));
            }
        }
        // one finding per severity however many workloads: a summary of 4,000 unready Deployments is one line, and
        // each of them is in data_plane.namespaces
        if (!serveNothing.isEmpty()) {
            findings.add(unready(Severity.CRITICAL, serveNothing, cluster, "no replica ready and serve no traffic"));
        }
        if (!belowDesired.isEmpty()) {
            findings.add(unready(Severity.WARNING, belowDesired, cluster, "fewer replicas ready than desired"));
        }
        List<ProxyVersion> proxyVersions = new ArrayList<>();
        for (Map.Entry<String, Integer> e : versions.entrySet()) {
            Integer skew = minorSkew(controlPlaneVersion, e.getKey());
            Severity severity = skew == null || skew == 0 ? null
                    : skew < 0 || skew > 2 ? Severity.CRITICAL : skew == 2 ? Severity.WARNING : Severity.INFO;
            proxyVersions.add(new ProxyVersion(e.getKey(), e.getValue(), skew, severity));
            if (severity == Severity.CRITICAL || severity == Severity.WARNING) {
                findings.add(new Counted(new Finding("ProxyVersionSkew", severity, e.getValue() + " sidecar(s) run Istio "
                        + e.getKey() + " against istiod " + controlPlaneVersion + " ("
                        + (skew < 0 ? "newer than the control plane, unsupported"
                        : skew + " minor versions behind" + (skew > 2 ? ", unsupported" : ", the oldest supported"))
                        + "). Restart those pods to pick up the current proxy.",
                        "/k8s/resources/pods/list?cluster_name=" + cluster), e.getValue()));
            }
        }
        proxyVersions.sort(Comparator.comparing(ProxyVersion::version));
        Double percent = total == 0 ? null : Math.round((total - missing) * 1000.0 / total) / 10.0;
        return new Report(controlPlaneVersion, coverage.size(), total, missing, percent, workloads, unready,
                List.copyOf(coverage), List.copyOf(proxyVersions));
    }

    /** A Deployment of an injected namespace with fewer ready replicas than it wants. */
    private record Unready(String namespace, String name, int ready, int desired) {
        @Override
        public String toString() {
            return namespace + "/" + name + " " + ready + "/" + desired;
        }
    }

    /** One finding for the unready Deployments of one severity; its endpoint is the first one's detail. */
    private static Counted unready(Severity severity, List<Unready> workloads, String cluster, String what) {
        Unready first = workloads.getFirst();
        String message = workloads.size() == 1
                ? "Deployment " + first.namespace() + "/" + first.name() + " in the mesh has " + first.ready() + " of "
                + first.desired() + " replicas ready" + (first.ready() == 0 ? ": it serves no traffic." : ".")
                : workloads.size() + " Deployments in the mesh have " + what + ": "
                + named(workloads.stream().map(Unready::toString).toList()) + ".";
        return new Counted(new Finding("WorkloadNotReady", severity, message,
                "/k8s/resources/deployments/detail?cluster_name=" + cluster + "&namespace=" + first.namespace()
                        + "&deployment_name=" + first.name()), workloads.size());
    }

    /** The first {@link #NAMED_IN_A_FINDING} names, and how many more there are. */
    static String named(List<String> names) {
        if (names.size() <= NAMED_IN_A_FINDING) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMED_IN_A_FINDING)) + " and " + (names.size() - NAMED_IN_A_FINDING)
                + " more";
    }

    private static String injection(Map<String, String> labels) {
        if (labels == null) {
            return null;
        }
        if ("enabled".equals(labels.get("istio-injection"))) {
            return "istio-injection=enabled";
        }
        if (labels.containsKey("istio.io/rev") && !"disabled".equals(labels.get("istio-injection"))) {
            return "istio.io/rev=" + labels.get("istio.io/rev");
        }
        return null;
    }

    private static Optional<Container> proxy(Pod p) {
        List<Container> all = new ArrayList<>(p.getSpec().getContainers());
        if (p.getSpec().getInitContainers() != null) {
            // native sidecars: istio-proxy as a restartable init container
            p.getSpec().getInitContainers().stream().filter(c -> "Always".equals(c.getRestartPolicy())).forEach(all::add);
        }
        return all.stream().filter(c -> "istio-proxy".equals(c.getName())).findFirst();
    }

    /** The tag of an image reference ({@code docker.io/istio/proxyv2:1.22.1} → {@code 1.22.1}). */
    static String tag(String image) {
        if (image == null) {
            return null;
        }
        String ref = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = ref.lastIndexOf(':');
        return colon > ref.lastIndexOf('/') ? ref.substring(colon + 1) : null;
    }

    /** Minor versions {@code proxy} is behind {@code control}; null when either is not a version. */
    static Integer minorSkew(String control, String proxy) {
        int[] c = version(control);
        int[] p = version(proxy);
        if (c == null || p == null) {
            return null;
        }
        return (c[0] - p[0]) * 100 + (c[1] - p[1]);
    }

    private static int[] version(String v) {
        if (v == null) {
            return null;
        }
        String[] parts = v.replaceFirst("^v", "").split("[.-]");
        try {
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (RuntimeException e) {
            return null;
        }
    }
}
