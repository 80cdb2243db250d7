package io.cloudpilot.platform.plugins;

import java.util.List;

/**
 * The packages a plugin's class loader takes from the platform instead of the plugin's own jars: the SPI and the
 * APIs the platform provides (docs/plugin-development.md, "Provided APIs"). Everything else a plugin uses comes
 * from its own jars or from the JDK, so a library it bundles is its own copy, whatever the platform has.
 *
 * <p>The list is part of the plugin contract: a package leaves it only with a new SPI version.
 */
public final class ProvidedApis {

    /** Package prefixes (with their trailing dot) a plugin shares with the platform, and why. */
    public static final List<Api> APIS = List.of(
            new Api("io.cloudpilot.spi.", "the CloudPilot SPI (cloudpilot-spi)"),
            new Api("jakarta.ws.rs.", "JAX-RS 3.1 (jakarta.ws.rs-api): resources, parameters, responses"),
            new Api("jakarta.inject.", "Jakarta Dependency Injection 2 (jakarta.inject-api): @Inject"),
            new Api("jakarta.enterprise.", "CDI 4 (jakarta.enterprise.cdi-api): scopes, events"),
            new Api("jakarta.annotation.", "Jakarta Annotations 2 (jakarta.annotation-api): @PostConstruct, @Priority"),
            new Api("jakarta.interceptor.", "Jakarta Interceptors 2 (jakarta.interceptor-api), part of CDI's API"),
            new Api("org.eclipse.microprofile.openapi.annotations.",
                    "MicroProfile OpenAPI 3.1 annotations (microprofile-openapi-api): @Operation, @Parameter, @Schema"),
            new Api("io.fabric8.kubernetes.api.", "the fabric8 Kubernetes model (kubernetes-model-*)"),
            new Api("io.fabric8.kubernetes.model.", "the fabric8 model's annotations and helpers (kubernetes-model-common)"),
            new Api("io.fabric8.kubernetes.internal.", "the fabric8 model's internals its classes refer to"),
            new Api("io.fabric8.kubernetes.client.", "the fabric8 Kubernetes client (kubernetes-client-api and its implementation)"),
            new Api("com.fasterxml.jackson.annotation.", "Jackson annotations 2 (jackson-annotations), read by Jackson 3"),
            new Api("tools.jackson.core.", "Jackson 3 core, part of the fabric8 client's API (its serialization)"),
            new Api("tools.jackson.databind.", "Jackson 3 databind, part of the fabric8 client's API (JsonNode, ObjectMapper)"),
            new Api("org.slf4j.", "the SLF4J 2 API: what fabric8 and bundled libraries log goes to the server's log"),
            // Code the CDI container generates into a plugin's package (client proxies, interceptor subclasses)
            // refers to these; they are the container's, not an API for plugin code.
            new Api("org.jboss.weld.", "Weld's runtime for the proxies CDI generates in a plugin's package (not an API)"));

    /**
     * Sub-packages of a provided package that a plugin brings itself: fabric8's mock API server is a test library,
     * not part of the client the platform runs.
     */
    public static final List<String> NOT_PROVIDED = List.of("io.fabric8.kubernetes.client.server.");

    private ProvidedApis() {
    }

    /**
     * One provided API.
     *
     * @param packagePrefix the package prefix, ending in a dot
     * @param what          what it is and which artifact carries it
     */
    public record Api(String packagePrefix, String what) {
    }

    /**
     * @param className a binary class name, e.g. {@code jakarta.ws.rs.Path}
     * @return whether a plugin gets this class from the platform
     */
    public static boolean isProvided(String className) {
        for (String excluded : NOT_PROVIDED) {
            if (className.startsWith(excluded)) {
                return false;
            }
        }
        for (Api api : APIS) {
            if (className.startsWith(api.packagePrefix())) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param resourceName a resource path, e.g. {@code jakarta/ws/rs/core/Response.class}
     * @return whether the resource lies in a provided package (and so comes from the platform)
     */
    public static boolean isProvidedResource(String resourceName) {
        String name = resourceName.startsWith("/") ? resourceName.substring(1) : resourceName;
        return name.indexOf('/') > 0 && isProvided(name.replace('/', '.'));
    }

    /**
     * @param entryName a jar entry, e.g. {@code jakarta/ws/rs/Path.class} or {@code META-INF/versions/11/a/B.class}
     * @return the class name when the entry is a class of a provided package, else null
     */
    static String providedClassIn(String entryName) {
        if (!entryName.endsWith(".class") || entryName.endsWith("module-info.class")
                || entryName.endsWith("package-info.class")) {
            return null;
        }
        String name = entryName;
        if (name.startsWith("META-INF/versions/")) {
            int slash = name.indexOf('/', "META-INF/versions/".length());
            if (slash < 0) {
                return null;
            }
            name = name.substring(slash + 1);
        }
        String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
        return isProvided(className) ? className : null;
    }
}
