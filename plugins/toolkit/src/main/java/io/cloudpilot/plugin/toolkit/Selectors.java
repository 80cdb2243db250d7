package io.cloudpilot.plugin.toolkit;

import io.cloudpilot.k8s.syntax.FieldSelector;
import io.cloudpilot.k8s.syntax.LabelSelector;
import io.cloudpilot.k8s.syntax.SelectorSyntaxException;
import io.cloudpilot.spi.ApiException;

/**
 * The {@code label_selector} and {@code field_selector} query parameters checked with Kubernetes' own grammar
 * ({@link LabelSelector}, {@link FieldSelector}), so that a malformed one is a 400 naming the parameter rather than
 * an error from the cluster.
 */
public final class Selectors {

    /** Longest selector accepted: far beyond any real one, and a bound on what a caller makes us parse. */
    static final int MAX_LENGTH = 4096;

    private Selectors() {
    }

    /**
     * @param selector a label selector, or null
     * @throws ApiException.ValidationError when it is malformed
     */
    public static void validateLabelSelector(String selector) {
        if (selector == null || selector.isBlank()) {
            return;
        }
        limit("label_selector", selector);
        try {
            LabelSelector.parse(selector);
        } catch (SelectorSyntaxException e) {
            throw new ApiException.ValidationError("Query parameter 'label_selector' is not a valid label selector "
                    + at(e.near()) + ": " + e.problem() + ". Use key=value, key!=value, key, !key, key in (a,b) or "
                    + "key notin (a,b), joined by commas.");
        }
    }

    /**
     * @param selector a field selector, or null
     * @throws ApiException.ValidationError when it is malformed
     */
    public static void validateFieldSelector(String selector) {
        if (selector == null || selector.isBlank()) {
            return;
        }
        limit("field_selector", selector);
        String problem;
        try {
            problem = FieldSelector.parse(selector).terms().stream().filter(t -> !t.isFieldPath())
                    .map(t -> at(t.field()) + ": not a field").findFirst().orElse(null);
        } catch (SelectorSyntaxException e) {
            problem = at(e.near()) + ": " + e.problem();
        }
        if (problem != null) {
            throw new ApiException.ValidationError("Query parameter 'field_selector' is not a valid field selector "
                    + problem + ". Use field=value or field!=value, joined by commas (e.g. status.phase=Running).");
        }
    }

    private static String at(String near) {
        return near.isEmpty() ? "at its end" : "at " + ApiException.quote(near);
    }

    private static void limit(String parameter, String selector) {
        if (selector.length() > MAX_LENGTH) {
            throw new ApiException.ValidationError("Query parameter '" + parameter + "' is longer than " + MAX_LENGTH
                    + " characters.");
        }
    }
}
