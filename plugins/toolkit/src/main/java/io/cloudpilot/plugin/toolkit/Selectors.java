package io.cloudpilot.plugin.toolkit;

import java.util.regex.Pattern;

import io.cloudpilot.spi.ApiException;

/**
 * Syntax checks of Kubernetes label and field selectors, so that a malformed one is a 400 naming the parameter
 * rather than an error from the cluster.
 */
public final class Selectors {

    private static final String KEY = "([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]{0,61}[a-zA-Z0-9])?";
    private static final String VALUE = "([a-zA-Z0-9]([-a-zA-Z0-9_.]{0,61}[a-zA-Z0-9])?)?";
    private static final Pattern LABEL_REQUIREMENT = Pattern.compile(
            "\\s*(!\\s*" + KEY + "|" + KEY + "\\s*((=|==|!=)\\s*" + VALUE + "|\\s(in|notin)\\s*\\(\\s*" + VALUE
                    + "(\\s*,\\s*" + VALUE + ")*\\s*\\))?)\\s*");
    private static final Pattern FIELD_REQUIREMENT = Pattern.compile(
            "\\s*[a-zA-Z][a-zA-Z0-9.]*\\s*(=|==|!=)\\s*[^,=!\\s]*\\s*");

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
        if (selector.length() > 4096) {
            throw new ApiException.ValidationError("Query parameter 'label_selector' is longer than 4096 characters.");
        }
        for (String requirement : splitTopLevel(selector)) {
            if (!LABEL_REQUIREMENT.matcher(requirement).matches()) {
                throw new ApiException.ValidationError("Query parameter 'label_selector' is not a valid label selector "
                        + "at " + ApiException.quote(requirement.trim()) + ": use key=value, key!=value, key, !key, "
                        + "key in (a,b) or key notin (a,b), joined by commas.");
            }
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
        if (selector.length() > 4096) {
            throw new ApiException.ValidationError("Query parameter 'field_selector' is longer than 4096 characters.");
        }
        for (String requirement : selector.split(",", -1)) {
            if (!FIELD_REQUIREMENT.matcher(requirement).matches()) {
                throw new ApiException.ValidationError("Query parameter 'field_selector' is not a valid field selector "
                        + "at " + ApiException.quote(requirement.trim()) + ": use field=value or field!=value, "
                        + "joined by commas (e.g. status.phase=Running).");
            }
        }
    }

    /** Splits at commas outside parentheses. */
    private static java.util.List<String> splitTopLevel(String s) {
        java.util.List<String> parts = new java.util.ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts;
    }
}
