package io.cloudpilot.k8s.syntax;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names Kubernetes accepts (k8s.io/apimachinery/pkg/util/validation): DNS-1123 labels and subdomains, label
 * keys (qualified names) and label values. Each check answers empty when the text is valid, else the reason in
 * Kubernetes' words, so callers can name their field and quote the rule.
 */
public final class Names {

    /** Longest DNS-1123 label: namespaces, Services, container names, cluster names. */
    public static final int MAX_LABEL = 63;
    /** Longest DNS-1123 subdomain: most object names (Deployments, Pods, ConfigMaps). */
    public static final int MAX_SUBDOMAIN = 253;

    private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS_LABEL = Pattern.compile(LABEL);
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private Names() {
    }

    /** @return whether {@code s} is a DNS-1123 label (lower-case letters, digits, '-'; at most 63) */
    public static boolean isDns1123Label(String s) {
        return s != null && s.length() <= MAX_LABEL && DNS_LABEL.matcher(s).matches();
    }

    /** @return whether {@code s} is a DNS-1123 subdomain (DNS-1123 labels joined by '.'; at most 253) */
    public static boolean isDns1123Subdomain(String s) {
        return s != null && s.length() <= MAX_SUBDOMAIN && DNS_SUBDOMAIN.matcher(s).matches();
    }

    /** The rule of a DNS-1123 label, in the words an operator reads in a 400. */
    public static final String DNS1123_LABEL_RULE = "a DNS-1123 label: at most 63 lower-case letters, digits or '-', "
            + "starting and ending with a letter or digit";

    /** The rule of a DNS-1123 subdomain, in the words an operator reads in a 400. */
    public static final String DNS1123_SUBDOMAIN_RULE = "a DNS-1123 subdomain: at most 253 characters, lower-case "
            + "letters, digits, '-' and '.', starting and ending with a letter or digit";

    /**
     * @param key a label key: an optional DNS-1123 subdomain prefix and '/', then a name of at most 63 characters
     * @return empty when valid, else why not
     */
    public static Optional<String> labelKeyProblem(String key) {
        String[] parts = key.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                if (parts[0].isEmpty()) {
                    return Optional.of("prefix part must be non-empty");
                }
                if (!isDns1123Subdomain(parts[0])) {
                    return Optional.of("prefix part must be " + DNS1123_SUBDOMAIN_RULE);
                }
                name = parts[1];
            }
            default -> {
                return Optional.of("a qualified name must be a name of at most 63 characters with an optional "
                        + "DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            }
        }
        if (name.isEmpty()) {
            return Optional.of("name part must be non-empty");
        }
        if (name.length() > MAX_LABEL) {
            return Optional.of("name part must be no more than 63 characters");
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            return Optional.of("name part must consist of alphanumeric characters, '-', '_' or '.', and must start "
                    + "and end with an alphanumeric character");
        }
        return Optional.empty();
    }

    /**
     * @param value a label value: empty, or at most 63 alphanumerics, '-', '_' and '.' starting and ending with an
     *              alphanumeric
     * @return empty when valid, else why not
     */
    public static Optional<String> labelValueProblem(String value) {
        if (value.length() > MAX_LABEL) {
            return Optional.of("must be no more than 63 characters");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            return Optional.of("a valid label must be an empty string or consist of alphanumeric characters, '-', "
                    + "'_' or '.', and must start and end with an alphanumeric character");
        }
        return Optional.empty();
    }
}
