package io.cloudpilot.platform.plugins;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

/**
 * One operation a resource serves: an HTTP method on a path, and its OpenAPI {@code operationId}.
 *
 * <p>The operationId rule (docs/api.md): the HTTP method in lower case, then every path segment with each of its
 * words capitalised, a path parameter as {@code By<Name>}: {@code GET /k8s/overview/cluster} is
 * {@code getK8sOverviewCluster}, {@code POST /k8s/deployment/scale} is {@code postK8sDeploymentScale}. It depends on
 * nothing but the endpoint, so it stays the same for as long as the endpoint does, and no two endpoints share one
 * (the plugin loader refuses a plugin whose endpoint would).
 *
 * @param method the HTTP method, upper case
 * @param path   the path, starting with {@code /}, without a trailing one
 */
public record Endpoint(String method, String path) {

    /** @return e.g. {@code GET /k8s/overview/cluster} */
    @Override
    public String toString() {
        return method + " " + path;
    }

    /** @return the operationId of this endpoint */
    public String operationId() {
        StringBuilder id = new StringBuilder(method.toLowerCase(Locale.ROOT));
        for (String segment : path.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            boolean parameter = segment.startsWith("{") && segment.endsWith("}");
            if (parameter) {
                id.append("By");
                segment = segment.substring(1, segment.length() - 1).split(":")[0];
            }
            for (String word : segment.split("[^A-Za-z0-9]+")) {
                if (!word.isEmpty()) {
                    id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
                }
            }
        }
        return id.length() == method.length() ? id + "Root" : id.toString();
    }

    /**
     * @param resource a JAX-RS resource class
     * @return the endpoints its methods serve, in declaration order of {@link Class#getMethods()}
     */
    public static List<Endpoint> of(Class<?> resource) {
        jakarta.ws.rs.Path classPath = resource.getAnnotation(jakarta.ws.rs.Path.class);
        String base = classPath == null ? "" : classPath.value();
        Set<Endpoint> result = new LinkedHashSet<>();
        for (Method m : resource.getMethods()) {
            String verb = verb(m);
            if (verb != null) {
                jakarta.ws.rs.Path methodPath = m.getAnnotation(jakarta.ws.rs.Path.class);
                result.add(new Endpoint(verb, join(base, methodPath == null ? "" : methodPath.value())));
            }
        }
        return new ArrayList<>(result);
    }

    /**
     * @param resource the resource class (its {@code @Path})
     * @param m        one of its methods
     * @return the endpoint it serves, or null when it is no resource method
     */
    public static Endpoint of(Class<?> resource, Method m) {
        String verb = verb(m);
        if (verb == null) {
            return null;
        }
        jakarta.ws.rs.Path classPath = resource.getAnnotation(jakarta.ws.rs.Path.class);
        jakarta.ws.rs.Path methodPath = m.getAnnotation(jakarta.ws.rs.Path.class);
        return new Endpoint(verb, join(classPath == null ? "" : classPath.value(),
                methodPath == null ? "" : methodPath.value()));
    }

    private static String verb(Method m) {
        if (m.isAnnotationPresent(GET.class)) {
            return "GET";
        }
        if (m.isAnnotationPresent(POST.class)) {
            return "POST";
        }
        if (m.isAnnotationPresent(DELETE.class)) {
            return "DELETE";
        }
        if (m.isAnnotationPresent(PUT.class)) {
            return "PUT";
        }
        if (m.isAnnotationPresent(PATCH.class)) {
            return "PATCH";
        }
        if (m.isAnnotationPresent(HEAD.class)) {
            return "HEAD";
        }
        return null;
    }

    private static String join(String a, String b) {
        String path = ("/" + a + "/" + b).replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
