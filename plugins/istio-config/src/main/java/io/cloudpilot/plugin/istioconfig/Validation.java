package io.cloudpilot.plugin.istioconfig;

import java.util.List;

/**
 * One finding of the validator on one object.
 *
 * @param code        stable code, see {@code docs/validations.md}, e.g. {@code VirtualServiceSubsetNotFound}
 * @param severity    {@code error}, {@code warning} or {@code info}
 * @param message     one sentence for an operator: what is wrong and what to do
 * @param path        where in the object, e.g. {@code spec.http[0].route[1].destination.subset}
 * @param refs        the other objects involved
 * @param equivalents the equivalent Kiali (KIA) and istioctl analyze (IST) codes
 */
public record Validation(String code, String severity, String message, String path, List<ObjectRef> refs,
                         List<String> equivalents) {

    /** Copies the lists. */
    public Validation {
        refs = List.copyOf(refs);
        equivalents = List.copyOf(equivalents);
    }

    static final String ERROR = "error";
    static final String WARNING = "warning";
    static final String INFO = "info";

    /** @return 0 for error, 1 for warning, 2 for info: the order findings are listed in */
    int rank() {
        return switch (severity) {
            case ERROR -> 0;
            case WARNING -> 1;
            default -> 2;
        };
    }

    /**
     * Another object a finding refers to.
     *
     * @param kind      e.g. Gateway, Service, Secret, DestinationRule
     * @param namespace its namespace (null for cluster-scoped kinds)
     * @param name      its name, or a host name for a host that was looked for
     */
    public record ObjectRef(String kind, String namespace, String name) {
    }
}
