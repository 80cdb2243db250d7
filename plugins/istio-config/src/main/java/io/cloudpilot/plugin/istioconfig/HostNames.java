package io.cloudpilot.plugin.istioconfig;

import java.util.Locale;

import io.cloudpilot.plugin.istioconfig.Validation.ObjectRef;

/**
 * Host names as Istio reads them. A name without a dot is a Service of the object's namespace; any name with a dot is
 * taken as written (Istio does not expand {@code name.namespace}: {@code ResolveShortnameToFQDN}). Wildcards follow
 * Istio's {@code host.Name.Matches}: {@code *.example.com} covers every name ending in {@code .example.com}.
 */
final class HostNames {

    private HostNames() {
    }

    /**
     * @param host      a host as written
     * @param namespace the namespace of the object it is written in
     * @param dnsDomain the cluster's DNS domain
     * @return the name Istio looks up
     */
    static String fqdn(String host, String namespace, String dnsDomain) {
        String h = host.toLowerCase(Locale.ROOT).trim();
        if (h.equals("*") || h.contains(".")) {
            return h;
        }
        return h + "." + namespace + ".svc." + dnsDomain;
    }

    /** @return whether two host patterns (each possibly {@code *} or {@code *.suffix}) can name the same host */
    static boolean overlaps(String a, String b) {
        return covers(a, b) || covers(b, a);
    }

    /** @return whether {@code pattern} covers every name {@code host} can be */
    static boolean covers(String pattern, String host) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.startsWith("*.")) {
            return host.endsWith(pattern.substring(1)) || host.equals(pattern);
        }
        return pattern.equals(host);
    }

    /** @return a Gateway server host without its {@code namespace/} part, lower case */
    static String bare(String host) {
        int slash = host.indexOf('/');
        return (slash >= 0 ? host.substring(slash + 1) : host).toLowerCase(Locale.ROOT);
    }

    /** TLS name matching (RFC 6125): a certificate wildcard covers exactly one leftmost label. */
    static boolean certificateCovers(String certName, String host) {
        if (certName.equals(host)) {
            return true;
        }
        if (certName.startsWith("*.") && !host.startsWith("*")) {
            String suffix = certName.substring(1);
            return host.endsWith(suffix) && host.indexOf('.') == host.length() - suffix.length();
        }
        return false;
    }

    /** @return a ref to the Service a name is, or kind {@code Host} for any other name */
    static ObjectRef ref(String fqdn, String dnsDomain) {
        String suffix = ".svc." + dnsDomain;
        if (fqdn.endsWith(suffix)) {
            String[] parts = fqdn.substring(0, fqdn.length() - suffix.length()).split("\\.");
            if (parts.length == 2) {
                return new ObjectRef("Service", parts[1], parts[0]);
            }
        }
        return new ObjectRef("Host", null, fqdn);
    }
}
