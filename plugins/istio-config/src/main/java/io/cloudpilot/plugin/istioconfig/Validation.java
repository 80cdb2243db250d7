package io.cloudpilot.plugin.istioconfig;

import java.util.List;

/**
 * One finding of the validator on one object.
 *
 * @param code        stable code, see {@code docs/validations.md}, e.g. {@code VirtualServiceSubsetNotFound}
 * @param severity    {@code error}, {@code warning} or {@code info}
 * @param message     one sentence for an operator: what is wrong and what to do
 * @param path        where in the object, e.g. {@code spec.http[0].route[1].destination.subset}
 * @param refs        the other objects involved; for a conflict, the other side of it
 * @param equivalents the equivalent Kiali (KIA) and istioctl analyze (IST) codes
 */
public record Validation(Code code, Severity severity, String message, String path, List<ObjectRef> refs,
                         List<String> equivalents) {

    /** Copies the lists. */
    public Validation {
        refs = List.copyOf(refs);
        equivalents = List.copyOf(equivalents);
    }

    /** A finding whose equivalents are its code's. */
    static Validation of(Code code, Severity severity, String message, String path, List<ObjectRef> refs) {
        return new Validation(code, severity, message, path, refs, code.equivalents());
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
