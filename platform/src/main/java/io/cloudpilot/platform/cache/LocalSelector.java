package io.cloudpilot.platform.cache;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.cloudpilot.k8s.syntax.FieldSelector;
import io.cloudpilot.k8s.syntax.LabelSelector;
import io.cloudpilot.k8s.syntax.SelectorSyntaxException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * Label and field selectors evaluated on objects in memory, as the API server evaluates them (Kubernetes' own
 * grammar, {@link LabelSelector}), for lists served from a watch. Anything this class cannot evaluate exactly comes
 * back empty, and the caller reads from the cluster instead of guessing: a field other than
 * {@code metadata.name}/{@code metadata.namespace} (which exist on every kind), or a selector the API server would
 * refuse, so that the refusal is the cluster's own.
 */
final class LocalSelector {

    private static final Set<String> FIELDS_OF_EVERY_KIND = Set.of("metadata.name", "metadata.namespace");

    private LocalSelector() {
    }

    /**
     * @param labelSelector a label selector, or empty
     * @param fieldSelector a field selector, or empty
     * @return the predicate, or empty when the selectors cannot be evaluated here
     */
    static Optional<Predicate<HasMetadata>> of(String labelSelector, String fieldSelector) {
        LabelSelector labels;
        FieldSelector fields;
        try {
            labels = LabelSelector.parse(labelSelector);
            fields = FieldSelector.parse(fieldSelector);
        } catch (SelectorSyntaxException e) {
            return Optional.empty();
        }
        if (!fields.terms().stream().allMatch(t -> FIELDS_OF_EVERY_KIND.contains(t.field()))) {
            return Optional.empty();
        }
        return Optional.of(o -> labels.matches(labels(o)) && fields.matches(field -> field(o, field)));
    }

    private static Map<String, String> labels(HasMetadata o) {
        ObjectMeta m = o.getMetadata();
        return m == null ? null : m.getLabels();
    }

    private static String field(HasMetadata o, String field) {
        ObjectMeta m = o.getMetadata();
        if (m == null) {
            return null;
        }
        return field.equals("metadata.name") ? m.getName() : m.getNamespace();
    }
}
