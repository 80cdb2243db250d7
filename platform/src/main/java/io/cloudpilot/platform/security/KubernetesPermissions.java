package io.cloudpilot.platform.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.json.Json;
import io.cloudpilot.spi.KubernetesPermission;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;

/**
 * What a request needs the caller to be allowed in Kubernetes: the {@link KubernetesPermission}s its endpoint
 * declares, with the namespace and object named in the request, or, for an endpoint that declares none, its path as
 * a non-resource URL (as kube-rbac-proxy does). A write endpoint that declares only read verbs counts as undeclared:
 * a plugin cannot make a write look like a read.
 */
final class KubernetesPermissions {

    private static final Set<String> WRITE_VERBS = Set.of("create", "update", "patch", "delete", "deletecollection");
    /** Bodies are looked into up to this size; a namespace in a larger body is not seen (cluster-wide then). */
    private static final int MAX_BODY_PEEK = 1 << 20;

    private KubernetesPermissions() {
    }

    /**
     * @param resourceClass the matched resource class, or null (Jersey's own handlers)
     * @param method        the matched resource method, or null
     * @param template      the endpoint's path template (the request's path when nothing matched)
     * @param request       the request
     * @return every permission the request needs
     */
    static List<KubernetesAccess> of(Class<?> resourceClass, Method method, String template,
                                     ContainerRequestContext request) {
        KubernetesPermission[] declared = method == null ? new KubernetesPermission[0]
                : method.getAnnotationsByType(KubernetesPermission.class);
        if (declared.length == 0 && resourceClass != null) {
            declared = resourceClass.getAnnotationsByType(KubernetesPermission.class);
        }
        boolean declaresWrite = false;
        for (KubernetesPermission p : declared) {
            declaresWrite |= WRITE_VERBS.contains(p.verb());
        }
        if (declared.length == 0 || (AuditTrail.isWrite(request.getMethod()) && !declaresWrite)) {
            return List.of(nonResource(request.getMethod(), template));
        }
        Values values = new Values(request, method);
        List<KubernetesAccess> needed = new ArrayList<>();
        for (KubernetesPermission p : declared) {
            String namespace = "";
            if (!p.namespaceParameter().isEmpty()) {
                namespace = values.get(p.namespaceParameter());
                if (namespace.isEmpty()) {
                    namespace = p.defaultNamespace();
                }
            }
            String name = p.nameParameter().isEmpty() ? "" : values.get(p.nameParameter());
            needed.add(KubernetesAccess.resource(p.verb(), p.group(), p.resource(), p.subresource(), namespace, name));
        }
        return List.copyOf(needed);
    }

    /**
     * @param httpMethod the request's method
     * @param path       the path
     * @return the permission on a non-resource URL: reads need {@code get}, other methods their own name
     */
    static KubernetesAccess nonResource(String httpMethod, String path) {
        String verb = AuditTrail.isWrite(httpMethod) ? httpMethod.toLowerCase(Locale.ROOT) : "get";
        return KubernetesAccess.nonResource(verb, path);
    }

    /**
     * The request's parameters, read where the endpoint itself reads them: from the query when the method (or one of
     * its {@code @BeanParam}s) binds the name with {@code @QueryParam}, else from the top-level field of its JSON body
     * when it takes one. The check must see the value the endpoint acts on, or a caller could name one namespace to
     * the check and another to the endpoint. A value that is absent or not a string is {@code ""}: cluster-wide.
     */
    private static final class Values {
        private final ContainerRequestContext request;
        private final Method method;
        private JsonNode body;
        private boolean bodyRead;

        Values(ContainerRequestContext request, Method method) {
            this.request = request;
            this.method = method;
        }

        String get(String parameter) {
            if (method != null && !inQuery(method, parameter) && hasEntity(method)) {
                if (!bodyRead) {
                    body = body(request);
                    bodyRead = true;
                }
                JsonNode v = body == null ? null : body.get(parameter);
                return v != null && v.isString() ? v.asString().trim() : "";
            }
            String v = request.getUriInfo().getQueryParameters().getFirst(parameter);
            return v == null ? "" : v.trim();
        }
    }

    private static boolean inQuery(Method method, String parameter) {
        for (Parameter p : method.getParameters()) {
            QueryParam q = p.getAnnotation(QueryParam.class);
            if (q != null && q.value().equals(parameter)) {
                return true;
            }
            if (p.isAnnotationPresent(BeanParam.class)) {
                for (Class<?> c = p.getType(); c != null && c != Object.class; c = c.getSuperclass()) {
                    for (Field f : c.getDeclaredFields()) {
                        QueryParam fq = f.getAnnotation(QueryParam.class);
                        if (fq != null && fq.value().equals(parameter)) {
                            return true;
                        }
                    }
                }
            }
        }
        return false;
    }

    /** Whether the method takes the request body: a parameter JAX-RS binds to nothing else. */
    private static boolean hasEntity(Method method) {
        for (Parameter p : method.getParameters()) {
            boolean bound = false;
            for (Annotation a : p.getAnnotations()) {
                String pkg = a.annotationType().getPackageName();
                bound |= pkg.equals("jakarta.ws.rs") || a instanceof Context;
            }
            if (!bound) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the JSON body (up to {@link #MAX_BODY_PEEK} bytes) and puts it back for the endpoint.
     *
     * @return its top-level object; null when there is none or it is not one JSON object (duplicate keys refused)
     */
    private static JsonNode body(ContainerRequestContext request) {
        if (!request.hasEntity()) {
            return null;
        }
        try {
            InputStream in = request.getEntityStream();
            byte[] head = in.readNBytes(MAX_BODY_PEEK + 1);
            if (head.length > MAX_BODY_PEEK) {
                request.setEntityStream(new SequenceInputStream(new ByteArrayInputStream(head), in));
                return null;
            }
            request.setEntityStream(new ByteArrayInputStream(head));
            try {
                JsonNode node = Json.MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION).readTree(head);
                return node != null && node.isObject() ? node : null;
            } catch (RuntimeException malformed) {
                return null; // the endpoint answers 400 for it; the check meanwhile is cluster-wide
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
