package io.cloudpilot.sandbox;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.cloudpilot.k8s.syntax.FieldSelector;
import io.cloudpilot.k8s.syntax.LabelSelector;
import io.cloudpilot.k8s.syntax.SelectorSyntaxException;

/**
 * Label and field selectors, evaluated by the sandbox itself with Kubernetes' grammar (the k8s-syntax module), and
 * refused for the field labels a real API server refuses.
 */
final class Selectors {

    private static final Set<String> METADATA_FIELDS = Set.of("metadata.name", "metadata.namespace");

    /** Field labels the real API server accepts, by resource plural (all also accept metadata.name/namespace). */
    private static final Map<String, Set<String>> FIELD_LABELS = Map.of(
            "pods", Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
                    "spec.hostNetwork", "status.phase", "status.podIP", "status.nominatedNodeName"),
            "events", Set.of("involvedObject.kind", "involvedObject.namespace", "involvedObject.name",
                    "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion",
                    "involvedObject.fieldPath", "reason", "reportingComponent", "source", "type"),
            "nodes", Set.of("spec.unschedulable"),
            "namespaces", Set.of("status.phase"),
            "secrets", Set.of("type"),
            "replicasets", Set.of("status.replicas"),
            "replicationcontrollers", Set.of("status.replicas"),
            "jobs", Set.of("status.successful"),
            "certificatesigningrequests", Set.of("spec.signerName"));

    private Selectors() {
    }

    /**
     * Parses a label selector with Kubernetes' own grammar ({@link LabelSelector}).
     *
     * @param selector the selector, may be {@code null}
     * @return a predicate over an object's labels
     * @throws ApiException 400 for a malformed selector, with the API server's reason
     */
    static Predicate<Map<String, String>> labels(String selector) {
        try {
            return LabelSelector.parse(selector)::matches;
        } catch (SelectorSyntaxException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    /**
     * Parses a field selector ({@code spec.nodeName=worker-1,status.phase!=Running}) for a resource, rejecting the
     * field labels a real API server rejects.
     *
     * @param selector the selector, may be {@code null}
     * @param plural   the resource plural
     * @return a predicate over objects
     * @throws ApiException 400 for a malformed selector or an unsupported field
     */
    static Predicate<Map<String, Object>> fields(String selector, String plural) {
        FieldSelector parsed;
        try {
            parsed = FieldSelector.parse(selector);
        } catch (SelectorSyntaxException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        Set<String> allowed = FIELD_LABELS.getOrDefault(plural, Set.of());
        for (FieldSelector.Term term : parsed.terms()) {
            if (!METADATA_FIELDS.contains(term.field()) && !allowed.contains(term.field())) {
                throw ApiException.badRequest("field label not supported: " + term.field());
            }
        }
        return object -> parsed.matches(field -> {
            Object v = Json.at(object, (field.equals("source") ? "source.component" : field).split("\\."));
            return v == null ? null : String.valueOf(v);
        });
    }
}
