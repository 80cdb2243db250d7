package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

import io.cloudpilot.plugin.toolkit.Reads;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;

/**
 * Everything the validator looks at, for one cluster, read through the shared cache: one list per kind over all
 * namespaces (and the mesh ConfigMap), never one call per object. Gateways, VirtualServices and DestinationRules
 * must be readable; a helper list the cluster refuses (e.g. Secrets under a narrow RBAC role) is null, named in
 * {@link #unavailable()}, and the checks that need it are skipped rather than guessed. An Istio kind the cluster does
 * not serve (its CRD is not installed: the list answers 404) has no objects: its list is empty and it is named in
 * {@link #absentKinds()}.
 *
 * @param cluster          the cluster's name
 * @param version          the networking.istio.io version read
 * @param gateways         Gateways
 * @param virtualServices  VirtualServices
 * @param destinationRules DestinationRules
 * @param serviceEntries   ServiceEntries, or null
 * @param services         Services, or null
 * @param pods             Pods, or null
 * @param secrets          Secrets, or null
 * @param namespaces       Namespaces, or null
 * @param meshConfig       the {@code mesh} text of ConfigMap istio-system/istio, or null when absent or unreadable
 * @param unavailable      the helper lists that could not be read, e.g. {@code secrets: Forbidden}
 * @param absentKinds      the Istio kinds the cluster does not serve (plurals, e.g. serviceentries)
 */
record ConfigSnapshot(String cluster, String version, List<GenericKubernetesResource> gateways,
                      List<GenericKubernetesResource> virtualServices, List<GenericKubernetesResource> destinationRules,
                      List<GenericKubernetesResource> serviceEntries, List<Service> services, List<Pod> pods,
                      List<Secret> secrets, List<Namespace> namespaces, String meshConfig,
                      List<String> unavailable, List<String> absentKinds) {

    /**
     * @return this snapshot without the lists only validation reads (pods, services, secrets, namespaces): what an
     * analysis keeps after validating, so that it does not hold the cluster's pods once the cache has let them go
     */
    ConfigSnapshot validated() {
        return new ConfigSnapshot(cluster, version, gateways, virtualServices, destinationRules, serviceEntries,
                List.of(), List.of(), List.of(), List.of(), meshConfig, unavailable, absentKinds);
    }

    static final String MESH_NAMESPACE = "istio-system";
    static final String MESH_CONFIGMAP = "istio";

    /**
     * Reads the snapshot concurrently.
     *
     * @param cache        the shared cache
     * @param cluster      the cluster
     * @param forceRefresh refresh every list
     * @return the snapshot
     * @throws ApiException.IstioNotInstalled when networking.istio.io is not served
     */
    static ConfigSnapshot load(ResourceCache cache, ClusterContext cluster, boolean forceRefresh) {
        String version = IstioKinds.version(cluster);
        String name = cluster.name();
        var client = cluster.client();
        try (ExecutorService pool = cache.parallelReads()) {
            Future<List<GenericKubernetesResource>> gw = pool.submit(() -> istio(cache, cluster, version,
                    IstioKinds.Kind.GATEWAY, forceRefresh));
            Future<List<GenericKubernetesResource>> vs = pool.submit(() -> istio(cache, cluster, version,
                    IstioKinds.Kind.VIRTUAL_SERVICE, forceRefresh));
            Future<List<GenericKubernetesResource>> dr = pool.submit(() -> istio(cache, cluster, version,
                    IstioKinds.Kind.DESTINATION_RULE, forceRefresh));
            Future<List<GenericKubernetesResource>> se = pool.submit(() -> istio(cache, cluster, version,
                    IstioKinds.Kind.SERVICE_ENTRY, forceRefresh));
            Future<List<Service>> svc = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.SERVICES, ""), forceRefresh,
                    () -> client.services().inAnyNamespace().list().getItems()));
            Future<List<Pod>> pods = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.PODS, ""), forceRefresh,
                    () -> client.pods().inAnyNamespace().list().getItems()));
            Future<List<Secret>> secrets = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.SECRETS, ""),
                    forceRefresh, () -> client.secrets().inAnyNamespace().list().getItems()));
            Future<List<Namespace>> ns = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.NAMESPACES, ""),
                    forceRefresh, () -> client.namespaces().list().getItems()));
            Future<List<ConfigMap>> mesh = pool.submit(() -> cache.get(
                    CacheKey.list(name, CacheKind.CONFIGMAPS, MESH_NAMESPACE).withFieldSelector("metadata.name=" + MESH_CONFIGMAP),
                    forceRefresh, () -> client.configMaps().inNamespace(MESH_NAMESPACE)
                            .withField("metadata.name", MESH_CONFIGMAP).list().getItems()));

            List<String> unavailable = new ArrayList<>();
            List<String> absent = new ArrayList<>();
            List<GenericKubernetesResource> gateways = served(gw, IstioKinds.Kind.GATEWAY, absent);
            List<GenericKubernetesResource> virtualServices = served(vs, IstioKinds.Kind.VIRTUAL_SERVICE, absent);
            List<GenericKubernetesResource> destinationRules = served(dr, IstioKinds.Kind.DESTINATION_RULE, absent);
            Function<String, Consumer<ApiException>> missing = kind -> e -> unavailable.add(kind + ": " + e.errorType());
            List<GenericKubernetesResource> serviceEntries = Reads.awaitOrNull(se, e -> {
                if (e instanceof ApiException.NotFound) {
                    absent.add(IstioKinds.Kind.SERVICE_ENTRY.plural);
                } else {
                    missing.apply(IstioKinds.Kind.SERVICE_ENTRY.plural).accept(e);
                }
            });
            if (serviceEntries == null && absent.contains(IstioKinds.Kind.SERVICE_ENTRY.plural)) {
                serviceEntries = List.of();
            }
            List<Service> services = Reads.awaitOrNull(svc, missing.apply("services"));
            List<Pod> podList = Reads.awaitOrNull(pods, missing.apply("pods"));
            List<Secret> secretList = Reads.awaitOrNull(secrets, missing.apply("secrets"));
            List<Namespace> namespaces = Reads.awaitOrNull(ns, missing.apply("namespaces"));
            List<ConfigMap> meshMaps = Reads.awaitOrNull(mesh, missing.apply("configmaps"));
            String meshConfig = meshMaps == null || meshMaps.isEmpty() || meshMaps.getFirst().getData() == null
                    ? null : meshMaps.getFirst().getData().get("mesh");
            return new ConfigSnapshot(name, version, gateways, virtualServices, destinationRules, serviceEntries,
                    services, podList, secretList, namespaces, meshConfig, List.copyOf(unavailable),
                    List.copyOf(absent));
        }
    }

    /**
     * A kind the validation cannot do without: a 404 means the cluster does not serve it (no CRD), so it has no
     * objects; any other refusal fails the answer, as it would for any list.
     */
    private static List<GenericKubernetesResource> served(Future<List<GenericKubernetesResource>> read,
                                                          IstioKinds.Kind kind, List<String> absent) {
        try {
            return Reads.await(read);
        } catch (ApiException.NotFound e) {
            absent.add(kind.plural);
            return List.of();
        }
    }

    private static List<GenericKubernetesResource> istio(ResourceCache cache, ClusterContext cluster, String version,
                                                         IstioKinds.Kind kind, boolean forceRefresh) {
        return cache.get(CacheKey.list(cluster.name(), IstioKinds.cacheKind(version, kind), ""), forceRefresh,
                () -> cluster.client().genericKubernetesResources(IstioKinds.context(version, kind))
                        .inAnyNamespace().list().getItems());
    }
}
