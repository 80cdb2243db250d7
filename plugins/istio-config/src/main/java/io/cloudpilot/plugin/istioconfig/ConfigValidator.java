package io.cloudpilot.plugin.istioconfig;

import java.util.List;
import java.util.Map;

/**
 * The cross-object validation of a cluster's Gateways, VirtualServices and DestinationRules: a pure function of a
 * {@link ConfigSnapshot} and {@link ValidationOptions}. It builds one {@link ConfigIndex} and runs each family of
 * checks over it; every code is documented in {@code docs/validations.md}.
 */
final class ConfigValidator {

    private ConfigValidator() {
    }

    /**
     * What a validation found.
     *
     * @param validations the findings of every Gateway, VirtualService and DestinationRule (an empty list when
     *                    none), most severe first
     * @param mesh        the mesh settings the checks read the configuration under
     */
    record Result(Map<ObjectKey, List<Validation>> validations, MeshSettings mesh) {
        List<Validation> of(ObjectKey key) {
            return validations.getOrDefault(key, List.of());
        }
    }

    /**
     * @param snapshot the cluster's configuration
     * @param options  the cluster's settings and the clock
     * @return the findings
     */
    static Result validate(ConfigSnapshot snapshot, ValidationOptions options) {
        MeshSettings mesh = MeshSettings.of(snapshot.meshConfig(), options);
        ConfigIndex index = new ConfigIndex(snapshot, mesh);
        Findings findings = new Findings(snapshot);
        new GatewayChecks(index, findings, new GatewayTlsChecks(index, findings, options.now())).check();
        VirtualServiceChecks.Routing routing = new VirtualServiceChecks(index, findings).check();
        new DestinationRuleChecks(index, findings, routing).check();
        return new Result(findings.result(options.ignored()), mesh);
    }
}
