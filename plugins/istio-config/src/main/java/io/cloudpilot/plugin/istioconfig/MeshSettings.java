package io.cloudpilot.plugin.istioconfig;

import java.util.List;
import java.util.Map;

import io.cloudpilot.k8s.syntax.Untyped;
import io.cloudpilot.plugin.istioconfig.ValidationOptions.OutboundTrafficPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The settings of one cluster's mesh that change what a configuration means: read from Istio's mesh config (the
 * {@code mesh} key of ConfigMap {@code istio-system/istio}) where it says, else CloudPilot's setting for the cluster,
 * else Istio's default.
 *
 * @param dnsDomain             the cluster's DNS domain (not part of the mesh config: CloudPilot's setting)
 * @param outboundTrafficPolicy {@code outboundTrafficPolicy.mode}
 * @param policySource          where the policy comes from: {@code mesh-config} or {@code setting}
 * @param rootNamespace         {@code rootNamespace}: where mesh-wide DestinationRules live (default istio-system)
 * @param defaultExportTo       {@code defaultVirtualServiceExportTo}, {@code defaultDestinationRuleExportTo},
 *                              {@code defaultServiceExportTo} by kind (VirtualService, DestinationRule, Service);
 *                              {@code ["*"]} when unset
 */
record MeshSettings(String dnsDomain, OutboundTrafficPolicy outboundTrafficPolicy, String policySource,
                    String rootNamespace, Map<String, List<String>> defaultExportTo) {

    static final String DEFAULT_ROOT_NAMESPACE = "istio-system";
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    /**
     * @param meshConfig the mesh config text, or null when the cluster has none (or it could not be read)
     * @param options    the cluster's settings
     * @return the settings in force
     */
    static MeshSettings of(String meshConfig, ValidationOptions options) {
        Map<String, Object> mesh = parse(meshConfig);
        String mode = Untyped.upperCase(Untyped.map(mesh, "outboundTrafficPolicy"), "mode");
        OutboundTrafficPolicy policy = options.outboundTrafficPolicy();
        String source = "setting";
        if ("REGISTRY_ONLY".equals(mode) || "ALLOW_ANY".equals(mode)) {
            policy = OutboundTrafficPolicy.valueOf(mode);
            source = "mesh-config";
        }
        String root = Untyped.string(mesh, "rootNamespace");
        return new MeshSettings(options.dnsDomain(), policy, source,
                root == null || root.isBlank() ? DEFAULT_ROOT_NAMESPACE : root,
                Map.of("VirtualService", exportDefault(mesh, "defaultVirtualServiceExportTo"),
                        "DestinationRule", exportDefault(mesh, "defaultDestinationRuleExportTo"),
                        "Service", exportDefault(mesh, "defaultServiceExportTo")));
    }

    private static List<String> exportDefault(Map<String, Object> mesh, String key) {
        List<String> v = Untyped.strings(mesh, key);
        return v.isEmpty() ? List.of("*") : v;
    }

    /** A mesh config that is not YAML reads as empty: Istio's defaults apply. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String meshConfig) {
        if (meshConfig == null || meshConfig.isBlank()) {
            return Map.of();
        }
        try {
            Object v = YAML.unmarshal(YAML.convertToJson(meshConfig), Object.class);
            return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        } catch (RuntimeException e) {
            return Map.of();
        }
    }
}
