package io.cloudpilot.plugin.k8sresources;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.plugin.toolkit.Health;
import io.cloudpilot.plugin.toolkit.Health.Finding;
import io.cloudpilot.spi.Severity;
import io.cloudpilot.plugin.toolkit.ListQuery;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Services as an operator reads them: type, IPs, ports, selector, external addresses, and the endpoints behind
 * them with their pods. Endpoints and pods come from one list each, joined in memory.
 */
final class ServiceViews {

    static final Map<String, Function<ServiceSummary, ? extends Comparable<?>>> SORT_KEYS = Map.of(
            "name", ServiceSummary::name, "namespace", s -> s.namespace() + "/" + s.name(), "type", ServiceSummary::type,
            "cluster_ip", ServiceSummary::clusterIp, "ready_endpoints", ServiceSummary::readyEndpoints,
            "age", ListQuery.byAge(ServiceSummary::createdAt), "created_at", ListQuery.byCreation(ServiceSummary::createdAt));

    private final ClusterReads reads;
    private final Derived<List<ServiceSummary>> sortedSummaries;
    private final Instant now = Instant.now();

    /**
     * @param reads           the request's reads of one cluster
     * @param sortedSummaries sorted summaries per cached services and endpoints lists and order (the plugin's,
     *                        {@link Views})
     */
    ServiceViews(ClusterReads reads, Derived<List<ServiceSummary>> sortedSummaries) {
        this.reads = reads;
        this.sortedSummaries = sortedSummaries;
    }

    ServiceList list(ListQuery query) {
        List<Service> services = reads.services(query.namespace(), query.labelSelector(), query.fieldSelector());
        List<Endpoints> endpoints = reads.endpoints(query.namespace());
        List<ServiceSummary> sorted = sortedSummaries.get(Arrays.asList(services, endpoints),
                Arrays.asList(reads.clusterName(), query.namespace(), query.labelSelector(), query.fieldSelector(),
                        query.sortVariant()), () -> {
                    Map<String, Endpoints> byName = byNamespaceAndName(endpoints);
                    return query.sort(services.stream().map(s -> summary(s, byName.get(key(s)))).toList(), SORT_KEYS,
                            "namespace");
                });
        ListQuery.Page<ServiceSummary> page = query.page(sorted);
        // ages move with the clock, not with the cached lists
        List<ServiceSummary> items = page.items().stream().map(s -> s.aged(now)).toList();
        return new ServiceList(reads.clusterName(), query.namespace(), items, page.count(), page.total(),
                page.page(), page.pageSize());
    }

    /** Endpoints by namespace/name, their Service's: one lookup per Service instead of a scan of every Endpoints. */
    private static Map<String, Endpoints> byNamespaceAndName(List<Endpoints> endpoints) {
        Map<String, Endpoints> out = new HashMap<>();
        for (Endpoints e : endpoints) {
            out.putIfAbsent(key(e), e);
        }
        return out;
    }

    private static String key(HasMetadata o) {
        return o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
    }

    ServiceDetail detail(String namespace, String name) {
        Service s = reads.service(namespace, name);
        Endpoints ep = endpointsOf(s, reads.endpoints(namespace));
        Map<String, String> selector = s.getSpec().getSelector() == null ? Map.of() : s.getSpec().getSelector();
        List<Pod> matching = selector.isEmpty() ? List.of() : reads.pods(namespace).stream()
                .filter(p -> Metadata.labels(p).entrySet().containsAll(selector.entrySet())).toList();
        ServiceSummary sum = summary(s, ep);
        List<EndpointView> ready = new ArrayList<>();
        List<EndpointView> notReady = new ArrayList<>();
        List<EndpointPort> ports = new ArrayList<>();
        if (ep != null) {
            for (var subset : Metadata.orEmpty(ep.getSubsets())) {
                Metadata.orEmpty(subset.getAddresses()).forEach(a -> ready.add(endpoint(a)));
                Metadata.orEmpty(subset.getNotReadyAddresses()).forEach(a -> notReady.add(endpoint(a)));
                Metadata.orEmpty(subset.getPorts()).forEach(p -> ports.add(new EndpointPort(p.getName(), p.getPort(),
                        p.getProtocol())));
            }
        }
        List<MatchingPod> pods = matching.stream().map(p -> new MatchingPod(p.getMetadata().getName(),
                PodStatus.display(p), p.getStatus() == null ? null : p.getStatus().getPodIP(),
                p.getSpec() == null ? null : p.getSpec().getNodeName(), PodViews.summary(p, now).ready())).toList();
        EndpointsView endpointsView = new EndpointsView(ep != null, ready, notReady, ports, ready.size(), notReady.size());
        Boolean selectorMatches = selector.isEmpty() ? null : !matching.isEmpty();
        return new ServiceDetail(reads.clusterName(), sum.name(), sum.namespace(), s.getMetadata().getUid(), sum.type(),
                sum.clusterIp(), s.getSpec().getClusterIPs() == null ? List.of() : s.getSpec().getClusterIPs(),
                sum.ports(), sum.selector(), selectorMatches, pods, sum.externalIps(), sum.loadBalancerIngress(),
                s.getSpec().getExternalName(), s.getSpec().getSessionAffinity(),
                s.getSpec().getExternalTrafficPolicy(), s.getSpec().getInternalTrafficPolicy(), endpointsView,
                sum.age(), sum.createdAt(), sum.labels(), Metadata.annotations(s),
                health(s, ep == null ? null : endpointsView, selectorMatches));
    }

    private static EndpointView endpoint(EndpointAddress a) {
        var ref = a.getTargetRef();
        return new EndpointView(a.getIp(), a.getHostname(), a.getNodeName(), ref == null ? null : ref.getKind(),
                ref == null ? null : ref.getName());
    }

    static Endpoints endpointsOf(Service s, List<Endpoints> all) {
        return all.stream().filter(e -> s.getMetadata().getName().equals(e.getMetadata().getName())
                && s.getMetadata().getNamespace().equals(e.getMetadata().getNamespace())).findFirst().orElse(null);
    }

    ServiceSummary summary(Service s, Endpoints ep) {
        var spec = s.getSpec();
        int ready = 0;
        int notReady = 0;
        if (ep != null) {
            for (var subset : Metadata.orEmpty(ep.getSubsets())) {
                ready += Metadata.orEmpty(subset.getAddresses()).size();
                notReady += Metadata.orEmpty(subset.getNotReadyAddresses()).size();
            }
        }
        List<ServicePort> ports = Metadata.orEmpty(spec.getPorts()).stream()
                .map(p -> new ServicePort(p.getName(), p.getPort(), Metadata.intOrString(p.getTargetPort()),
                        p.getNodePort(), p.getProtocol() == null ? "TCP" : p.getProtocol(), p.getAppProtocol())).toList();
        List<IngressPoint> ingress = s.getStatus() == null || s.getStatus().getLoadBalancer() == null ? List.of()
                : Metadata.orEmpty(s.getStatus().getLoadBalancer().getIngress()).stream()
                .map(i -> new IngressPoint(i.getIp(), i.getHostname())).toList();
        return new ServiceSummary(s.getMetadata().getName(), s.getMetadata().getNamespace(),
                spec.getType() == null ? "ClusterIP" : spec.getType(), spec.getClusterIP(),
                spec.getExternalIPs() == null ? List.of() : spec.getExternalIPs(), ingress, ports,
                spec.getSelector() == null ? Map.of() : spec.getSelector(), ready, notReady, Metadata.age(s, now),
                Metadata.created(s), Metadata.labels(s));
    }

    /** The service health rules; see docs/health-rules.md. */
    static Health health(Service s, EndpointsView ep, Boolean selectorMatches) {
        List<Finding> findings = new ArrayList<>();
        var spec = s.getSpec();
        String type = spec.getType() == null ? "ClusterIP" : spec.getType();
        boolean hasSelector = spec.getSelector() != null && !spec.getSelector().isEmpty();
        if ("ExternalName".equals(type)) {
            if (spec.getExternalName() == null || spec.getExternalName().isBlank()) {
                findings.add(new Finding("ExternalNameMissing", Severity.CRITICAL,
                        "The ExternalName Service has no externalName.", 40));
            }
            return Health.of(findings);
        }
        if (Boolean.FALSE.equals(selectorMatches)) {
            findings.add(new Finding("SelectorMatchesNoPod", Severity.CRITICAL, "The selector "
                    + DeploymentViews.selectorText(new io.fabric8.kubernetes.api.model.LabelSelector(null, spec.getSelector()))
                    + " matches no pod in namespace " + s.getMetadata().getNamespace() + ": the Service has no backend.", 50));
        } else if (ep == null || ep.readyCount() + ep.notReadyCount() == 0) {
            findings.add(new Finding("ServiceNoEndpoints", Severity.CRITICAL, hasSelector
                    ? "The Service has no endpoints: its pods have no IP or are not running."
                    : "The Service has no selector and no endpoints were written for it.", 50));
        } else if (ep.readyCount() == 0) {
            findings.add(new Finding("NoReadyEndpoints", Severity.CRITICAL, "None of the Service's "
                    + ep.notReadyCount() + " endpoints is ready: it answers no traffic.", 40));
        } else if (ep.notReadyCount() > 0) {
            findings.add(new Finding("EndpointsNotReady", Severity.WARNING, ep.notReadyCount() + " of "
                    + (ep.readyCount() + ep.notReadyCount()) + " endpoints are not ready.", 15));
        }
        if (!hasSelector) {
            findings.add(new Finding("NoSelector", Severity.INFO,
                    "The Service has no selector: its endpoints are managed by hand or by another controller.", 0));
        }
        if (Metadata.orEmpty(spec.getPorts()).isEmpty()) {
            findings.add(new Finding("NoPorts", Severity.WARNING, "The Service declares no port.", 30));
        }
        if ("LoadBalancer".equals(type) && (s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || Metadata.orEmpty(s.getStatus().getLoadBalancer().getIngress()).isEmpty())) {
            findings.add(new Finding("LoadBalancerPending", Severity.WARNING,
                    "The LoadBalancer has no external address yet.", 25));
        }
        return Health.of(findings);
    }

    /**
     * The services list.
     *
     * @param clusterName the cluster
     * @param namespace   the namespace, or null for all
     * @param services    the page
     * @param count       items in the page
     * @param total       services matching
     * @param page        the page
     * @param pageSize    the page size
     */
    public record ServiceList(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "the namespace, or null for all") String namespace,
            @Schema(description = "the page") List<ServiceSummary> services,
            @Schema(description = "items in the page") int count,
            @Schema(description = "services matching") int total,
            @Schema(description = "the page") int page,
            @Schema(description = "the page size") int pageSize) {
    }

    /**
     * One service in a list.
     *
     * @param name                name
     * @param namespace           namespace
     * @param type                ClusterIP, NodePort, LoadBalancer or ExternalName
     * @param clusterIp           cluster IP (None for headless)
     * @param externalIps         spec.externalIPs
     * @param loadBalancerIngress the load balancer's addresses
     * @param ports               ports
     * @param selector            selector
     * @param readyEndpoints      ready addresses behind it
     * @param notReadyEndpoints   not-ready addresses behind it
     * @param age                 age
     * @param createdAt           creationTimestamp
     * @param labels              labels
     */
    public record ServiceSummary(
            @Schema(description = "name") String name,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "ClusterIP, NodePort, LoadBalancer or ExternalName") String type,
            @Schema(description = "cluster IP (None for headless)") String clusterIp,
            @Schema(description = "spec.externalIPs") List<String> externalIps,
            @Schema(description = "the load balancer's addresses") List<IngressPoint> loadBalancerIngress,
            @Schema(description = "ports") List<ServicePort> ports,
            @Schema(description = "selector") Map<String, String> selector,
            @Schema(description = "ready addresses behind it") int readyEndpoints,
            @Schema(description = "not-ready addresses behind it") int notReadyEndpoints,
            @Schema(description = "age") String age,
            @Schema(description = "creationTimestamp") String createdAt,
            @Schema(description = "labels") Map<String, String> labels) {

        /** @param now the current time @return this summary with its age at {@code now} */
        ServiceSummary aged(Instant now) {
            return new ServiceSummary(name, namespace, type, clusterIp, externalIps, loadBalancerIngress, ports,
                    selector, readyEndpoints, notReadyEndpoints, Ages.format(createdAt, now), createdAt, labels);
        }
    }

    /**
     * A service in detail.
     *
     * @param clusterName           the cluster
     * @param name                  name
     * @param namespace             namespace
     * @param uid                   uid
     * @param type                  type
     * @param clusterIp             cluster IP
     * @param clusterIps            all cluster IPs
     * @param ports                 ports
     * @param selector              selector
     * @param selectorMatchesPods   whether the selector matches a pod (null without selector)
     * @param matchingPods          the pods the selector matches, with status and IP
     * @param externalIps           spec.externalIPs
     * @param loadBalancerIngress   load balancer addresses
     * @param externalName          for ExternalName services
     * @param sessionAffinity       session affinity
     * @param externalTrafficPolicy external traffic policy
     * @param internalTrafficPolicy internal traffic policy
     * @param endpoints             ready and not-ready addresses with their pods
     * @param age                   age
     * @param createdAt             creationTimestamp
     * @param labels                labels
     * @param annotations           annotations
     * @param health                score, status and findings
     */
    public record ServiceDetail(
            @Schema(description = "the cluster") String clusterName,
            @Schema(description = "name") String name,
            @Schema(description = "namespace") String namespace,
            @Schema(description = "uid") String uid,
            @Schema(description = "type") String type,
            @Schema(description = "cluster IP") String clusterIp,
            @Schema(description = "all cluster IPs") List<String> clusterIps,
            @Schema(description = "ports") List<ServicePort> ports,
            @Schema(description = "selector") Map<String, String> selector,
            @Schema(description = "whether the selector matches a pod (null without selector)") Boolean selectorMatchesPods,
            @Schema(description = "the pods the selector matches, with status and IP") List<MatchingPod> matchingPods,
            @Schema(description = "spec.externalIPs") List<String> externalIps,
            @Schema(description = "load balancer addresses") List<IngressPoint> loadBalancerIngress,
            @Schema(description = "for ExternalName services") String externalName,
            @Schema(description = "session affinity") String sessionAffinity,
            @Schema(description = "external traffic policy") String externalTrafficPolicy,
            @Schema(description = "internal traffic policy") String internalTrafficPolicy,
            @Schema(description = "ready and not-ready addresses with their pods") EndpointsView endpoints,
            @Schema(description = "age") String age,
            @Schema(description = "creationTimestamp") String createdAt,
            @Schema(description = "labels") Map<String, String> labels,
            @Schema(description = "annotations") Map<String, String> annotations,
            @Schema(description = "score, status and findings") Health health) {
    }

    /**
     * @param name name
     * @param port port
     * @param targetPort number or named port
     * @param nodePort node port
     * @param protocol protocol
     * @param appProtocol app protocol
     */
    public record ServicePort(
            @Schema(description = "name") String name,
            @Schema(description = "port") Integer port,
            @Schema(description = "number or named port") String targetPort,
            @Schema(description = "node port") Integer nodePort,
            @Schema(description = "protocol") String protocol,
            @Schema(description = "app protocol") String appProtocol) {
    }

    /**
     * @param ip IP
     * @param hostname hostname
     */
    public record IngressPoint(
            @Schema(description = "IP") String ip,
            @Schema(description = "hostname") String hostname) {
    }

    /**
     * @param exists        whether an Endpoints object exists
     * @param ready         ready addresses
     * @param notReady      not-ready addresses
     * @param ports         endpoint ports
     * @param readyCount    ready addresses
     * @param notReadyCount not-ready addresses
     */
    public record EndpointsView(
            @Schema(description = "whether an Endpoints object exists") boolean exists,
            @Schema(description = "ready addresses") List<EndpointView> ready,
            @Schema(description = "not-ready addresses") List<EndpointView> notReady,
            @Schema(description = "endpoint ports") List<EndpointPort> ports,
            @Schema(description = "ready addresses") int readyCount,
            @Schema(description = "not-ready addresses") int notReadyCount) {
    }

    /**
     * @param ip IP
     * @param hostname hostname
     * @param nodeName node
     * @param targetKind e.g. Pod
     * @param targetName e.g. the pod
     */
    public record EndpointView(
            @Schema(description = "IP") String ip,
            @Schema(description = "hostname") String hostname,
            @Schema(description = "node") String nodeName,
            @Schema(description = "e.g. Pod") String targetKind,
            @Schema(description = "e.g. the pod") String targetName) {
    }

    /**
     * @param name name
     * @param port port
     * @param protocol protocol
     */
    public record EndpointPort(
            @Schema(description = "name") String name,
            @Schema(description = "port") Integer port,
            @Schema(description = "protocol") String protocol) {
    }

    /**
     * @param name pod
     * @param status kubectl status
     * @param podIp IP
     * @param nodeName node
     * @param ready ready/total
     */
    public record MatchingPod(
            @Schema(description = "pod") String name,
            @Schema(description = "kubectl status") String status,
            @Schema(description = "IP") String podIp,
            @Schema(description = "node") String nodeName,
            @Schema(description = "ready/total") String ready) {
    }
}
