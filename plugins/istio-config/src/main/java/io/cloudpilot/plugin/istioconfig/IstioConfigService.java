package io.cloudpilot.plugin.istioconfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.cloudpilot.k8s.syntax.Names;
import io.cloudpilot.plugin.toolkit.Ages;
import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.plugin.toolkit.ListQuery;
import io.cloudpilot.plugin.toolkit.Text;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Lists and details of Gateways, VirtualServices and DestinationRules with their validations, computed from one
 * cached snapshot of the cluster. Built once by the plugin's start and injected into its resources, which only
 * translate parameters; its memos live as long as it does.
 */
final class IstioConfigService {

    private final ResourceCache cache;
    private final IstioConfigSettings settings;

    /**
     * @param cache    the shared cache
     * @param settings the plugin's configuration
     */
    IstioConfigService(ResourceCache cache, IstioConfigSettings settings) {
        this.cache = java.util.Objects.requireNonNull(cache, "cache is null");
        this.settings = java.util.Objects.requireNonNull(settings, "settings is null");
    }

    /**
     * The Istio objects of a snapshot and their findings. The snapshot is {@link ConfigSnapshot#validated()}: without
     * the pods, services, secrets and namespaces the validation read, which an analysis must not keep alive.
     *
     * @param snapshot    the Istio objects
     * @param validations the findings per object
     * @param mesh        the mesh settings the findings were computed under
     */
    record Analysis(ConfigSnapshot snapshot, Map<ObjectKey, List<Validation>> validations, MeshSettings mesh) {
        List<Validation> of(ObjectKey key) {
            return validations.getOrDefault(key, List.of());
        }
    }

    /**
     * Validations per set of cached lists: every VirtualService, DestinationRule and Gateway is checked against the
     * pods, services and secrets once per upstream answer, not per request. Certificate expiry depends on the clock,
     * hence the bound on age. An analysis keeps only the Istio objects of its snapshot, not the pods, services and
     * secrets it was computed from; two are kept at most: the current one and the one a forced refresh replaces.
     */
    private final Derived<Analysis> analyses = new Derived<>(2, Duration.ofSeconds(60));

    Analysis analyze(ClusterContext cluster, boolean forceRefresh) {
        ConfigSnapshot snap = ConfigSnapshot.load(cache, cluster, forceRefresh);
        ValidationOptions options = settings.forCluster(cluster.name(), Instant.now());
        return analyses.get(Arrays.asList(snap.gateways(), snap.virtualServices(), snap.destinationRules(),
                        snap.serviceEntries(), snap.services(), snap.pods(), snap.secrets(), snap.namespaces()),
                List.of(snap.cluster(), snap.version(), String.valueOf(snap.meshConfig()), snap.unavailable(),
                        snap.absentKinds(), options.dnsDomain(), options.outboundTrafficPolicy(), options.ignored()),
                () -> {
                    ConfigValidator.Result r = ConfigValidator.validate(snap, options);
                    return new Analysis(snap.validated(), r.validations(), r.mesh());
                });
    }

    // ---------------------------------------------------------------- lists

    /**
     * One Gateway in a list.
     *
     * @param name              name
     * @param namespace         namespace
     * @param age               age as kubectl shows it
     * @param creationTimestamp creation time (RFC 3339)
     * @param selector          workload labels
     * @param serversCount      number of servers
     * @param hosts             hosts over all servers, without duplicates
     * @param ports             port numbers over all servers
     * @param errorCount        validations of severity error
     * @param warningCount      validations of severity warning
     */
    public record GatewayItem(String name, String namespace, String age, String creationTimestamp,
                              Map<String, String> selector, int serversCount, List<String> hosts, List<Integer> ports,
                              int errorCount, int warningCount) {
        GatewayItem aged(Instant now) {
            return new GatewayItem(name, namespace, Ages.format(creationTimestamp, now), creationTimestamp, selector,
                    serversCount, hosts, ports, errorCount, warningCount);
        }
    }

    /**
     * One VirtualService in a list.
     *
     * @param name              name
     * @param namespace         namespace
     * @param age               age
     * @param creationTimestamp creation time
     * @param hosts             hosts
     * @param gateways          gateways ({@code mesh} when none is named)
     * @param httpRoutes        number of HTTP rules
     * @param tcpRoutes         number of TCP rules
     * @param tlsRoutes         number of TLS rules
     * @param errorCount        validations of severity error
     * @param warningCount      validations of severity warning
     */
    public record VirtualServiceItem(String name, String namespace, String age, String creationTimestamp,
                                     List<String> hosts, List<String> gateways, int httpRoutes, int tcpRoutes,
                                     int tlsRoutes, int errorCount, int warningCount) {
        VirtualServiceItem aged(Instant now) {
            return new VirtualServiceItem(name, namespace, Ages.format(creationTimestamp, now), creationTimestamp,
                    hosts, gateways, httpRoutes, tcpRoutes, tlsRoutes, errorCount, warningCount);
        }
    }

    /**
     * One DestinationRule in a list.
     *
     * @param name              name
     * @param namespace         namespace
     * @param age               age
     * @param creationTimestamp creation time
     * @param host              host
     * @param subsets           subset names
     * @param hasTrafficPolicy  whether a top-level traffic policy is set
     * @param errorCount        validations of severity error
     * @param warningCount      validations of severity warning
     */
    public record DestinationRuleItem(String name, String namespace, String age, String creationTimestamp, String host,
                                      List<String> subsets, boolean hasTrafficPolicy, int errorCount, int warningCount) {
        DestinationRuleItem aged(Instant now) {
            return new DestinationRuleItem(name, namespace, Ages.format(creationTimestamp, now), creationTimestamp,
                    host, subsets, hasTrafficPolicy, errorCount, warningCount);
        }
    }

    /** The Gateway list. */
    public record GatewayList(String clusterName, String namespace, List<GatewayItem> gateways, int count, int total,
                              int page, int pageSize) {
    }

    /** The VirtualService list. */
    public record VirtualServiceList(String clusterName, String namespace, List<VirtualServiceItem> virtualservices,
                                     int count, int total, int page, int pageSize) {
    }

    /** The DestinationRule list. */
    public record DestinationRuleList(String clusterName, String namespace, List<DestinationRuleItem> destinationrules,
                                      int count, int total, int page, int pageSize) {
    }

    /**
     * Sorted list items per analysis, list and query (but the page): mapping every object to its item and sorting
     * them is done once per cached answer, not per request. Selector queries are not memoised (they depend on
     * another cached answer).
     */
    private final Derived<List<?>> sortedItems = new Derived<>(32, Duration.ofSeconds(60));

    @SuppressWarnings("unchecked")
    private <T> List<T> sortedItems(Analysis a, List<GenericKubernetesResource> all, String kind, ListQuery q,
                                           Boolean hasErrors, java.util.function.Supplier<List<T>> compute) {
        if (q.labelSelector() != null || q.fieldSelector() != null) {
            return compute.get();
        }
        return (List<T>) sortedItems.get(List.of(a, all), Arrays.asList(a.snapshot().cluster(), kind, q.namespace(),
                hasErrors, q.sortVariant()), compute::get);
    }

    GatewayList gateways(ClusterContext cluster, ListQuery q, Boolean hasErrors, boolean forceRefresh) {
        Analysis a = analyze(cluster, forceRefresh);
        List<GatewayItem> sorted = sortedItems(a, a.snapshot().gateways(), "Gateway", q, hasErrors,
                () -> q.sort(select(cluster, a, a.snapshot().gateways(), IstioKinds.Kind.GATEWAY, q, forceRefresh)
                .stream().map(g -> {
                    List<Validation> v = a.of(ObjectKey.of("Gateway", g));
                    var s = Summaries.gateway(IstioKinds.spec(g));
                    return new GatewayItem(g.getMetadata().getName(), g.getMetadata().getNamespace(),
                            Ages.format(g.getMetadata().getCreationTimestamp(), Instant.now()),
                            g.getMetadata().getCreationTimestamp(), s.selector(), s.servers().size(),
                            s.servers().stream().flatMap(x -> x.hosts().stream()).distinct().toList(),
                            s.servers().stream().map(Summaries.Server::port).filter(p -> p != null).distinct().toList(),
                            count(v, Severity.ERROR), count(v, Severity.WARNING));
                })
                .filter(i -> hasErrors == null || hasErrors == (i.errorCount() > 0))
                .toList(),
                sortKeys(GatewayItem::name, GatewayItem::namespace, GatewayItem::creationTimestamp,
                GatewayItem::errorCount, GatewayItem::warningCount), "namespace"));
        var page = q.page(sorted);
        Instant now = Instant.now(); // ages move with the clock, not with the cached list
        List<GatewayItem> items = page.items().stream().map(i -> i.aged(now)).toList();
        return new GatewayList(cluster.name(), q.namespace(), items, page.count(), page.total(), page.page(),
                page.pageSize());
    }

    VirtualServiceList virtualServices(ClusterContext cluster, ListQuery q, Boolean hasErrors, boolean forceRefresh) {
        Analysis a = analyze(cluster, forceRefresh);
        List<VirtualServiceItem> sorted = sortedItems(a, a.snapshot().virtualServices(), "VirtualService", q, hasErrors,
                () -> q.sort(select(cluster, a, a.snapshot().virtualServices(),
                IstioKinds.Kind.VIRTUAL_SERVICE, q, forceRefresh).stream().map(r -> {
                    List<Validation> v = a.of(ObjectKey.of("VirtualService", r));
                    var s = Summaries.virtualService(IstioKinds.spec(r));
                    return new VirtualServiceItem(r.getMetadata().getName(), r.getMetadata().getNamespace(),
                            Ages.format(r.getMetadata().getCreationTimestamp(), Instant.now()),
                            r.getMetadata().getCreationTimestamp(), s.hosts(), s.gateways(), s.http().size(),
                            s.tcp().size(), s.tls().size(), count(v, Severity.ERROR), count(v, Severity.WARNING));
                })
                .filter(i -> hasErrors == null || hasErrors == (i.errorCount() > 0))
                .toList(),
                sortKeys(VirtualServiceItem::name, VirtualServiceItem::namespace,
                VirtualServiceItem::creationTimestamp, VirtualServiceItem::errorCount, VirtualServiceItem::warningCount),
                "namespace"));
        var page = q.page(sorted);
        Instant now = Instant.now(); // ages move with the clock, not with the cached list
        List<VirtualServiceItem> items = page.items().stream().map(i -> i.aged(now)).toList();
        return new VirtualServiceList(cluster.name(), q.namespace(), items, page.count(), page.total(),
                page.page(), page.pageSize());
    }

    DestinationRuleList destinationRules(ClusterContext cluster, ListQuery q, Boolean hasErrors, boolean forceRefresh) {
        Analysis a = analyze(cluster, forceRefresh);
        List<DestinationRuleItem> sorted = sortedItems(a, a.snapshot().destinationRules(), "DestinationRule", q, hasErrors,
                () -> q.sort(select(cluster, a, a.snapshot().destinationRules(),
                IstioKinds.Kind.DESTINATION_RULE, q, forceRefresh).stream().map(r -> {
                    List<Validation> v = a.of(ObjectKey.of("DestinationRule", r));
                    var s = Summaries.destinationRule(IstioKinds.spec(r));
                    return new DestinationRuleItem(r.getMetadata().getName(), r.getMetadata().getNamespace(),
                            Ages.format(r.getMetadata().getCreationTimestamp(), Instant.now()),
                            r.getMetadata().getCreationTimestamp(), s.host(),
                            s.subsets().stream().map(Summaries.Subset::name).toList(), s.trafficPolicy() != null,
                            count(v, Severity.ERROR), count(v, Severity.WARNING));
                })
                .filter(i -> hasErrors == null || hasErrors == (i.errorCount() > 0))
                .toList(),
                sortKeys(DestinationRuleItem::name, DestinationRuleItem::namespace,
                DestinationRuleItem::creationTimestamp, DestinationRuleItem::errorCount,
                DestinationRuleItem::warningCount), "namespace"));
        var page = q.page(sorted);
        Instant now = Instant.now(); // ages move with the clock, not with the cached list
        List<DestinationRuleItem> items = page.items().stream().map(i -> i.aged(now)).toList();
        return new DestinationRuleList(cluster.name(), q.namespace(), items, page.count(), page.total(),
                page.page(), page.pageSize());
    }

    /**
     * The objects of the list: the cached all-namespace list filtered by namespace; with a label or field selector,
     * the cluster's own filtered answer (cached under its own key) decides which objects are shown.
     */
    private List<GenericKubernetesResource> select(ClusterContext cluster, Analysis a, List<GenericKubernetesResource> all,
                                                   IstioKinds.Kind kind, ListQuery q, boolean forceRefresh) {
        List<GenericKubernetesResource> inNamespace = all.stream()
                .filter(r -> q.namespace() == null || q.namespace().equals(r.getMetadata().getNamespace()))
                .toList();
        if (q.labelSelector() == null && q.fieldSelector() == null) {
            return inNamespace;
        }
        String version = a.snapshot().version();
        CacheKey key = CacheKey.list(cluster.name(), IstioKinds.cacheKind(version, kind), q.namespace())
                .withLabelSelector(q.labelSelector()).withFieldSelector(q.fieldSelector());
        List<GenericKubernetesResource> filtered = cache.get(key, forceRefresh, () -> {
            var op = cluster.client().genericKubernetesResources(IstioKinds.context(version, kind));
            var ctx = q.namespace() == null ? op.inAnyNamespace() : op.inNamespace(q.namespace());
            var options = new io.fabric8.kubernetes.api.model.ListOptionsBuilder()
                    .withLabelSelector(q.labelSelector()).withFieldSelector(q.fieldSelector()).build();
            return ctx.list(options).getItems();
        });
        Set<String> names = new HashSet<>();
        filtered.forEach(r -> names.add(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()));
        return inNamespace.stream()
                .filter(r -> names.contains(r.getMetadata().getNamespace() + "/" + r.getMetadata().getName()))
                .toList();
    }

    private static <T> Map<String, Function<T, ? extends Comparable<?>>> sortKeys(
            Function<T, String> name, Function<T, String> namespace, Function<T, String> created,
            Function<T, Integer> errors, Function<T, Integer> warnings) {
        return Map.of("name", name,
                "namespace", t -> namespace.apply(t) + "/" + name.apply(t),
                "age", ListQuery.byAge(created),
                "creation_timestamp", ListQuery.byCreation(created),
                "error_count", errors,
                "warning_count", warnings);
    }

    private static int count(List<Validation> v, Severity severity) {
        return (int) v.stream().filter(x -> x.severity() == severity).count();
    }

    // ---------------------------------------------------------------- details

    /**
     * What every detail has.
     *
     * @param name              name
     * @param namespace         namespace
     * @param uid               uid
     * @param apiVersion        the version it was read at, e.g. networking.istio.io/v1
     * @param creationTimestamp creation time
     * @param age               age
     * @param generation        metadata.generation
     * @param labels            labels
     * @param annotations       annotations
     */
    public record Meta(String name, String namespace, String uid, String apiVersion, String creationTimestamp,
                       String age, Long generation, Map<String, String> labels, Map<String, String> annotations) {
    }

    /**
     * A Gateway, VirtualService or DestinationRule with its validations.
     *
     * @param clusterName   the cluster
     * @param metadata      identity and labels
     * @param spec          the spec as stored (Kubernetes field names)
     * @param summary       the spec, readable (servers; routes; traffic policy and subsets)
     * @param validations   findings, most severe first
     * @param errorCount    findings of severity error
     * @param warningCount  findings of severity warning
     * @param infoCount     findings of severity info
     * @param notValidated  helper lists that could not be read, so the checks needing them were skipped
     * @param absentKinds   Istio kinds the cluster does not serve (no CRD): validated as having no objects
     * @param status        the stored status, or an empty map
     * @param <S>           the summary's type
     */
    public record ConfigDetail<S>(String clusterName, Meta metadata, Map<String, Object> spec, S summary,
                                  List<Validation> validations, int errorCount, int warningCount, int infoCount,
                                  List<String> notValidated, List<String> absentKinds, Map<String, Object> status) {
    }

    ConfigDetail<Summaries.GatewaySummary> gateway(ClusterContext cluster, String namespace, String name,
                                                   boolean forceRefresh) {
        return detail(cluster, "Gateway", "gateway_name", ConfigSnapshot::gateways, Summaries::gateway, namespace,
                name, forceRefresh);
    }

    ConfigDetail<Summaries.VirtualServiceSummary> virtualService(ClusterContext cluster, String namespace, String name,
                                                                 boolean forceRefresh) {
        return detail(cluster, "VirtualService", "virtualservice_name", ConfigSnapshot::virtualServices,
                Summaries::virtualService, namespace, name, forceRefresh);
    }

    ConfigDetail<Summaries.DestinationRuleSummary> destinationRule(ClusterContext cluster, String namespace,
                                                                   String name, boolean forceRefresh) {
        return detail(cluster, "DestinationRule", "destinationrule_name", ConfigSnapshot::destinationRules,
                Summaries::destinationRule, namespace, name, forceRefresh);
    }

    private <S> ConfigDetail<S> detail(ClusterContext cluster, String kind, String nameParameter,
                                       Function<ConfigSnapshot, List<GenericKubernetesResource>> objects,
                                       Function<Map<String, Object>, S> summary, String namespace, String name,
                                       boolean forceRefresh) {
        checkName(nameParameter, name);
        checkNamespace(namespace);
        Analysis a = analyze(cluster, forceRefresh);
        GenericKubernetesResource r = find(objects.apply(a.snapshot()), kind, namespace, name, cluster);
        List<Validation> v = a.of(ObjectKey.of(kind, r));
        Map<String, Object> spec = IstioKinds.spec(r);
        return new ConfigDetail<>(cluster.name(), meta(r), spec, summary.apply(spec), v, count(v, Severity.ERROR),
                count(v, Severity.WARNING), count(v, Severity.INFO), a.snapshot().unavailable(),
                a.snapshot().absentKinds(), status(r));
    }

    private static void checkName(String parameter, String value) {
        if (value == null || value.isBlank()) {
            throw new ApiException.ValidationError("Query parameter '" + parameter + "' is required: give the name of "
                    + "the object.");
        }
        if (!Names.isDns1123Subdomain(value)) {
            throw new ApiException.ValidationError("Query parameter '" + parameter + "' is not a valid Kubernetes object "
                    + "name ('" + Text.shorten(value, 60) + "'): use at most 253 lower-case letters, digits, '-' and '.'.");
        }
    }

    private static void checkNamespace(String namespace) {
        if (namespace == null || namespace.isBlank()) {
            throw new ApiException.ValidationError("Query parameter 'namespace' is required for a detail: give the "
                    + "object's namespace.");
        }
    }

    private static GenericKubernetesResource find(List<GenericKubernetesResource> all, String kind, String namespace,
                                                  String name, ClusterContext cluster) {
        return all.stream()
                .filter(r -> namespace.equals(r.getMetadata().getNamespace()) && name.equals(r.getMetadata().getName()))
                .findFirst()
                .orElseThrow(() -> new ApiException.NotFound(kind + " '" + name + "' does not exist in namespace '"
                        + namespace + "' of cluster '" + cluster.name() + "': check the name, or list them with /api/istio/"
                        + kind.toLowerCase(java.util.Locale.ROOT) + "/list."));
    }

    private static Meta meta(GenericKubernetesResource r) {
        var m = r.getMetadata();
        return new Meta(m.getName(), m.getNamespace(), m.getUid(), r.getApiVersion(), m.getCreationTimestamp(),
                Ages.format(m.getCreationTimestamp(), Instant.now()), m.getGeneration(),
                m.getLabels() == null ? Map.of() : m.getLabels(),
                m.getAnnotations() == null ? Map.of() : m.getAnnotations());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(GenericKubernetesResource r) {
        Object s = r.getAdditionalProperties().get("status");
        return s instanceof Map<?, ?> ? (Map<String, Object>) s : Map.of();
    }
}
