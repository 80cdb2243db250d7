package io.cloudpilot.plugin.istioconfig;

import java.util.List;
import java.util.Map;

import io.cloudpilot.k8s.syntax.Untyped;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The Istio kinds this plugin reads, at the newest version of {@code networking.istio.io} the cluster serves.
 */
final class IstioKinds {

    static final String GROUP = "networking.istio.io";
    static final List<String> PREFERRED = List.of("v1", "v1beta1", "v1alpha3");

    /** The kinds read, by plural. */
    enum Kind {
        GATEWAY("Gateway", "gateways"),
        VIRTUAL_SERVICE("VirtualService", "virtualservices"),
        DESTINATION_RULE("DestinationRule", "destinationrules"),
        SERVICE_ENTRY("ServiceEntry", "serviceentries");

        final String kind;
        final String plural;

        Kind(String kind, String plural) {
            this.kind = kind;
            this.plural = plural;
        }
    }

    private IstioKinds() {
    }

    /** @return an Istio object's spec (read with {@link Untyped}), an empty map when it has none */
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return Untyped.map(r.getAdditionalProperties(), "spec");
    }

    /**
     * @param cluster the cluster
     * @return the version to read at
     * @throws ApiException.IstioNotInstalled when the group is not served
     */
    static String version(ClusterContext cluster) {
        return cluster.preferredVersion(GROUP, PREFERRED).orElseThrow(() -> new ApiException.IstioNotInstalled(
                "Istio is not installed in cluster '" + cluster.name() + "': the API group " + GROUP
                        + " (v1, v1beta1 or v1alpha3) is not served. Install Istio, or pick a cluster that has it."));
    }

    /** @return the cache kind, e.g. {@code networking.istio.io/v1/virtualservices} */
    static CacheKind cacheKind(String version, Kind kind) {
        return CacheKind.resource(GROUP, version, kind.plural);
    }

    static ResourceDefinitionContext context(String version, Kind kind) {
        return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(version).withKind(kind.kind)
                .withPlural(kind.plural).withNamespaced(true).build();
    }
}
