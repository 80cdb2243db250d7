package io.cloudpilot.platform.http;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import io.cloudpilot.platform.security.AccessPolicy;
import io.cloudpilot.spi.ApiException;

import jakarta.annotation.Priority;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses query parameters the matched endpoint does not take: a typo ({@code namespce=shop}) would otherwise be
 * ignored and answer for every namespace. What an endpoint takes is what it declares with {@code @QueryParam}, on its
 * method's parameters, its resource class's fields and setters, and inside its {@code @BeanParam}s, so a plugin's
 * endpoints get the check without listing anything. An endpoint that reads the query itself ({@code @Context UriInfo})
 * is left alone. Runs once the endpoint is known and the caller authorized, before the resource.
 */
@Provider
@Priority(Priorities.AUTHORIZATION + 100)
public class UnknownQueryParamsFilter implements ContainerRequestFilter {

    /** What each resource method takes; null when it reads the query itself. */
    private static final Map<Method, Accepted> ACCEPTED = new ConcurrentHashMap<>();

    @Context
    private ResourceInfo resource;

    record Accepted(SortedSet<String> names) {
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (resource == null || resource.getResourceMethod() == null || resource.getResourceClass() == null) {
            return; // Jersey's own handlers (automatic OPTIONS, 405)
        }
        Class<?> type = resource.getResourceClass();
        Method method = resource.getResourceMethod();
        Accepted accepted = ACCEPTED.computeIfAbsent(method, m -> accepted(type, m));
        if (accepted.names() == null) {
            return;
        }
        Set<String> given = request.getUriInfo().getQueryParameters().keySet();
        for (String name : given) {
            if (!accepted.names().contains(name)) {
                throw unknown(name, request.getMethod() + " " + template(type, method), accepted.names());
            }
        }
    }

    /**
     * @param name     the parameter the caller gave
     * @param endpoint e.g. {@code GET /k8s/resources/pods/list}
     * @param accepted what the endpoint takes
     * @return the 400 that names both
     */
    static ApiException.ValidationError unknown(String name, String endpoint, SortedSet<String> accepted) {
        String list = accepted.isEmpty() ? "it takes no query parameters"
                : "it takes " + String.join(", ", accepted);
        String guess = accepted.stream().filter(a -> close(a, name)).findFirst()
                .map(a -> " (did you mean '" + a + "'?)").orElse("");
        return new ApiException.ValidationError("Query parameter " + ApiException.quote(name) + " is not one "
                + endpoint + " takes" + guess + ": " + list + ".",
                "unknown parameter: " + ApiException.quote(name) + "; accepted: " + accepted);
    }

    private static String template(Class<?> type, Method method) {
        Path classPath = type.getAnnotation(Path.class);
        Path methodPath = method.getAnnotation(Path.class);
        return AccessPolicy.template(classPath == null ? null : classPath.value(),
                methodPath == null ? null : methodPath.value());
    }

    /** Collects the names a resource method takes; null names when it reads the query on its own. */
    static Accepted accepted(Class<?> resourceClass, Method method) {
        Set<String> names = new HashSet<>();
        Method declared = annotated(method);
        boolean readsQuery = collectParameters(declared.getParameters(), names, new HashSet<>());
        for (Class<?> c = resourceClass; c != null && c != Object.class; c = c.getSuperclass()) {
            readsQuery |= collectMembers(c, names, new HashSet<>());
        }
        return new Accepted(readsQuery ? null : Collections.unmodifiableSortedSet(new TreeSet<>(names)));
    }

    /** JAX-RS annotations are inherited from the overridden method when the method itself carries none. */
    private static Method annotated(Method method) {
        if (hasParamAnnotations(method)) {
            return method;
        }
        for (Class<?> c = method.getDeclaringClass(); c != null; c = c.getSuperclass()) {
            for (Class<?> candidate : supertypes(c)) {
                try {
                    Method m = candidate.getMethod(method.getName(), method.getParameterTypes());
                    if (hasParamAnnotations(m)) {
                        return m;
                    }
                } catch (NoSuchMethodException e) {
                    // not declared there
                }
            }
        }
        return method;
    }

    private static Set<Class<?>> supertypes(Class<?> c) {
        Set<Class<?>> all = new HashSet<>();
        if (c.getSuperclass() != null) {
            all.add(c.getSuperclass());
        }
        Collections.addAll(all, c.getInterfaces());
        return all;
    }

    private static boolean hasParamAnnotations(Method m) {
        for (Annotation[] annotations : m.getParameterAnnotations()) {
            for (Annotation a : annotations) {
                if (a instanceof QueryParam || a instanceof BeanParam || a instanceof Context) {
                    return true;
                }
            }
        }
        return false;
    }

    /** @return true when one of the parameters is the request's {@link UriInfo} */
    private static boolean collectParameters(Parameter[] parameters, Set<String> names, Set<Class<?>> seen) {
        boolean readsQuery = false;
        for (Parameter p : parameters) {
            readsQuery |= collect(p.getAnnotation(QueryParam.class), p.getAnnotation(BeanParam.class),
                    p.getAnnotation(Context.class), p.getType(), names, seen);
        }
        return readsQuery;
    }

    private static boolean collectMembers(Class<?> type, Set<String> names, Set<Class<?>> seen) {
        boolean readsQuery = false;
        for (Field f : type.getDeclaredFields()) {
            readsQuery |= collect(f.getAnnotation(QueryParam.class), f.getAnnotation(BeanParam.class),
                    f.getAnnotation(Context.class), f.getType(), names, seen);
        }
        for (Method m : type.getDeclaredMethods()) {
            if (m.getParameterCount() == 1) { // bean property setters
                readsQuery |= collect(m.getAnnotation(QueryParam.class), m.getAnnotation(BeanParam.class),
                        m.getAnnotation(Context.class), m.getParameterTypes()[0], names, seen);
            }
        }
        return readsQuery;
    }

    private static boolean collect(QueryParam query, BeanParam bean, Context context, Class<?> type, Set<String> names,
                                   Set<Class<?>> seen) {
        if (query != null) {
            names.add(query.value());
        }
        if (bean != null && seen.add(type)) {
            boolean readsQuery = false;
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                readsQuery |= collectMembers(c, names, seen);
            }
            for (Constructor<?> constructor : type.getDeclaredConstructors()) {
                readsQuery |= collectParameters(constructor.getParameters(), names, seen);
            }
            return readsQuery;
        }
        return context != null && UriInfo.class.isAssignableFrom(type);
    }

    /** A likely typo: one edit apart, or two for longer names. */
    private static boolean close(String accepted, String given) {
        int limit = accepted.length() > 6 ? 2 : 1;
        if (Math.abs(accepted.length() - given.length()) > limit || given.length() > 200) {
            return false;
        }
        int[] previous = new int[given.length() + 1];
        int[] current = new int[given.length() + 1];
        for (int j = 0; j <= given.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= accepted.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= given.length(); j++) {
                int cost = accepted.charAt(i - 1) == given.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[given.length()] <= limit;
    }
}
