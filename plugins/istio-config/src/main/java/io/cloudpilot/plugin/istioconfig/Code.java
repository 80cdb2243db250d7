package io.cloudpilot.plugin.istioconfig;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The stable validation codes, each with its family and the equivalent Kiali (KIA) and istioctl analyze (IST) codes.
 * What each means, its severity and where CloudPilot differs from Istio's tools: {@code docs/validations.md}. A code
 * is never reused for another meaning.
 */
public enum Code {
    GATEWAY_SELECTOR_NO_WORKLOAD("GatewaySelectorNoWorkload", Family.GATEWAY, "KIA0302", "IST0101"),
    GATEWAY_HOST_CONFLICT("GatewayHostConflict", Family.GATEWAY, "KIA0301", "IST0145"),
    GATEWAY_DUPLICATE_CERTIFICATE("GatewayDuplicateCertificate", Family.GATEWAY, "IST0138"),
    GATEWAY_PORT_NOT_ON_SERVICE("GatewayPortNotOnService", Family.GATEWAY, "IST0162"),
    GATEWAY_HTTPS_WITHOUT_TLS("GatewayHttpsWithoutTls", Family.GATEWAY, "IST0106"),
    GATEWAY_TLS_WITHOUT_CREDENTIAL("GatewayTlsWithoutCredential", Family.GATEWAY, "IST0106"),

    GATEWAY_SECRET_NOT_FOUND("GatewaySecretNotFound", Family.GATEWAY_TLS, "IST0101"),
    GATEWAY_SECRET_INCOMPLETE("GatewaySecretIncomplete", Family.GATEWAY_TLS, "IST0161"),
    GATEWAY_SECRET_INVALID("GatewaySecretInvalid", Family.GATEWAY_TLS, "IST0161"),
    GATEWAY_CERTIFICATE_EXPIRED("GatewayCertificateExpired", Family.GATEWAY_TLS, "IST0161"),
    GATEWAY_CERTIFICATE_NOT_YET_VALID("GatewayCertificateNotYetValid", Family.GATEWAY_TLS),
    GATEWAY_CERTIFICATE_HOST_MISMATCH("GatewayCertificateHostMismatch", Family.GATEWAY_TLS),

    VIRTUAL_SERVICE_GATEWAY_NOT_FOUND("VirtualServiceGatewayNotFound", Family.VIRTUAL_SERVICE, "KIA1102", "IST0101"),
    VIRTUAL_SERVICE_GATEWAY_LEGACY_NAME("VirtualServiceGatewayLegacyName", Family.VIRTUAL_SERVICE, "KIA1108"),
    VIRTUAL_SERVICE_HOST_NOT_IN_GATEWAY("VirtualServiceHostNotInGateway", Family.VIRTUAL_SERVICE, "IST0132"),
    VIRTUAL_SERVICE_NOT_EXPORTED_TO_GATEWAY("VirtualServiceNotExportedToGateway", Family.VIRTUAL_SERVICE),
    VIRTUAL_SERVICE_DESTINATION_HOST_NOT_FOUND("VirtualServiceDestinationHostNotFound", Family.VIRTUAL_SERVICE,
            "KIA1101", "IST0101"),
    VIRTUAL_SERVICE_SUBSET_NOT_FOUND("VirtualServiceSubsetNotFound", Family.VIRTUAL_SERVICE, "KIA1107", "IST0101"),
    VIRTUAL_SERVICE_DESTINATION_PORT_NOT_FOUND("VirtualServiceDestinationPortNotFound", Family.VIRTUAL_SERVICE,
            "IST0101"),
    VIRTUAL_SERVICE_PORT_REQUIRED("VirtualServicePortRequired", Family.VIRTUAL_SERVICE, "IST0112"),
    VIRTUAL_SERVICE_WEIGHT_SUM("VirtualServiceWeightSum", Family.VIRTUAL_SERVICE),
    VIRTUAL_SERVICE_SINGLE_WEIGHT("VirtualServiceSingleWeight", Family.VIRTUAL_SERVICE, "KIA1104"),
    VIRTUAL_SERVICE_DUPLICATE_DESTINATION("VirtualServiceDuplicateDestination", Family.VIRTUAL_SERVICE, "KIA1105"),
    VIRTUAL_SERVICE_HOST_CONFLICT("VirtualServiceHostConflict", Family.VIRTUAL_SERVICE, "KIA1106", "IST0109"),
    VIRTUAL_SERVICE_INGRESS_IGNORES_SUBSETS("VirtualServiceIngressIgnoresSubsets", Family.VIRTUAL_SERVICE, "IST0140"),
    VIRTUAL_SERVICE_DEPRECATED_FIELD("VirtualServiceDeprecatedField", Family.VIRTUAL_SERVICE, "IST0002"),
    VIRTUAL_SERVICE_UNREACHABLE_RULE("VirtualServiceUnreachableRule", Family.VIRTUAL_SERVICE, "IST0130"),
    VIRTUAL_SERVICE_DELEGATE_NOT_FOUND("VirtualServiceDelegateNotFound", Family.VIRTUAL_SERVICE),
    EXPORT_TO_NAMESPACE_NOT_FOUND("ExportToNamespaceNotFound", Family.EXPORT_TO, "KIA0005"),

    DESTINATION_RULE_HOST_NOT_FOUND("DestinationRuleHostNotFound", Family.DESTINATION_RULE, "KIA0202", "IST0174"),
    DESTINATION_RULE_SUBSET_NO_PODS("DestinationRuleSubsetNoPods", Family.DESTINATION_RULE, "KIA0203", "IST0173"),
    DESTINATION_RULE_SUBSET_NO_LABELS("DestinationRuleSubsetNoLabels", Family.DESTINATION_RULE, "KIA0209"),
    DESTINATION_RULE_DUPLICATE_SUBSET("DestinationRuleDuplicateSubset", Family.DESTINATION_RULE, "KIA0201"),
    DESTINATION_RULE_TRAFFIC_POLICY_IGNORED("DestinationRuleTrafficPolicyIgnored", Family.DESTINATION_RULE, "KIA0201"),
    DESTINATION_RULE_TLS_WITHOUT_CA("DestinationRuleTlsWithoutCa", Family.DESTINATION_RULE, "IST0128", "IST0129");

    /** The checks a code belongs to, one class each. */
    public enum Family {
        GATEWAY, GATEWAY_TLS, VIRTUAL_SERVICE, DESTINATION_RULE, EXPORT_TO
    }

    private final String id;
    private final Family family;
    private final List<String> equivalents;

    Code(String id, Family family, String... equivalents) {
        this.id = id;
        this.family = family;
        this.equivalents = List.of(equivalents);
    }

    /** @return the code as the API writes it, e.g. {@code GatewayHostConflict} */
    @JsonValue
    public String id() {
        return id;
    }

    /** @return the family of checks that raises it */
    public Family family() {
        return family;
    }

    /** @return the Kiali and istioctl codes of the same problem */
    public List<String> equivalents() {
        return equivalents;
    }

    /** @param id a code as written, e.g. {@code GatewayHostConflict} @return the code, if one has that id */
    public static Optional<Code> byId(String id) {
        return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
    }

    @Override
    public String toString() {
        return id;
    }
}
