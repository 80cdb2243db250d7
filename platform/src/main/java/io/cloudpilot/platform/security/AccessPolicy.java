package io.cloudpilot.platform.security;

import java.util.Locale;
import java.util.Set;

/**
 * The role each operation needs, decided by the platform from the request's method and the path template of the
 * endpoint it reached (so a plugin cannot lower it, and spelling a path differently cannot change it):
 * reads need {@code viewer}; writes need {@code operator}; the cluster registry's writes and the audit log need
 * {@code admin}.
 */
public final class AccessPolicy {

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private AccessPolicy() {
    }

    /**
     * @param method   the HTTP method
     * @param template the path template of the matched endpoint, e.g. {@code /k8s/cluster/add}
     * @return the role it needs
     */
    public static Role required(String method, String template) {
        String m = method.toUpperCase(Locale.ROOT);
        String t = template.toLowerCase(Locale.ROOT);
        if (t.equals("/audit") || t.startsWith("/audit/")) {
            return Role.ADMIN;
        }
        if (READS.contains(m)) {
            return Role.VIEWER;
        }
        if (t.equals("/k8s/cluster") || t.startsWith("/k8s/cluster/")) {
            // registering or removing clusters: choosing which API servers CloudPilot calls with which credentials
            return Role.ADMIN;
        }
        return Role.OPERATOR;
    }

    /**
     * @param classPath  the resource class's {@code @Path}, or null
     * @param methodPath the resource method's {@code @Path}, or null
     * @return the endpoint's path template, e.g. {@code /k8s/cluster/add}
     */
    public static String template(String classPath, String methodPath) {
        String path = "/" + (classPath == null ? "" : classPath) + "/" + (methodPath == null ? "" : methodPath);
        path = path.replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
