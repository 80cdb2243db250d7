package io.cloudpilot.platform.openapi;

import java.lang.System.Logger.Level;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.cloudpilot.platform.plugins.Endpoint;
import io.cloudpilot.platform.plugins.InstalledPlugins;
import io.cloudpilot.platform.plugins.LoadedPlugin;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.CDI;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Makes the assembled OpenAPI document fit for client generators (docs/api.md, "OpenAPI"):
 * <ul>
 * <li>every operation gets the {@code operationId} of {@link Endpoint#operationId()}: derived from its method and
 * path, unique and stable;</li>
 * <li>every schema of a resource's request or response type is named {@code <Owner>_<Class>}: the owner is the
 * plugin whose package declares the class ({@code K8sResources}, {@code Hello}), {@code Platform} for the platform's
 * own, else the last segment of the class's package ({@code Toolkit}); the class is its simple name with those of
 * its enclosing classes ({@code PodViews_PodList}), followed by those of its type arguments. So no two plugins' (or
 * two classes') schemas share a name, where the generator's default, the simple name, numbered duplicates
 * ({@code ConditionView1}) in whatever order it met them.</li>
 * </ul>
 * The schema of a class is found by walking each resource method's return and body types alongside the schemas the
 * generator made for them, property by property.
 */
public final class OpenApiNames {

    private static final System.Logger LOG = System.getLogger(OpenApiNames.class.getName());
    private static final String REF = "#/components/schemas/";

    private final OpenAPI document;
    private final List<ApiClasses> classes;
    private final Map<String, Typed> typeOfSchema = new LinkedHashMap<>();

    /**
     * The resource classes of one owner of endpoints.
     *
     * @param qualifier    the owner's schema prefix, e.g. {@code K8sResources} or {@code Platform}
     * @param homePackage  the package its own classes live in (and below), e.g. {@code io.cloudpilot.plugin.k8sresources}
     * @param resources    its JAX-RS resource classes
     */
    public record ApiClasses(String qualifier, String homePackage, Collection<Class<?>> resources) {

        /**
         * @param plugin a started plugin
         * @return its classes, with the qualifier of its id
         */
        public static ApiClasses of(LoadedPlugin plugin) {
            return new ApiClasses(pascal(plugin.id()), plugin.plugin().getClass().getPackageName(), plugin.resources());
        }
    }

    /** A Java type and its raw class. */
    private record Typed(Class<?> raw, Type type) {
    }

    private OpenApiNames(OpenAPI document, List<ApiClasses> classes) {
        this.document = document;
        this.classes = classes;
    }

    /**
     * Sets every operation's {@code operationId} and renames the schemas of this server's resources: the platform's
     * and every started plugin's, as CDI knows them.
     *
     * @param document the assembled document
     */
    public static void apply(OpenAPI document) {
        List<ApiClasses> classes = new ArrayList<>();
        try {
            InstalledPlugins plugins = CDI.current().select(InstalledPlugins.class).get();
            plugins.loaded().forEach(p -> classes.add(ApiClasses.of(p)));
            Set<Class<?>> platform = new java.util.HashSet<>();
            for (Bean<?> bean : CDI.current().getBeanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
                Class<?> type = bean.getBeanClass();
                if (type.isAnnotationPresent(jakarta.ws.rs.Path.class) && plugins.owner(type).isEmpty()) {
                    platform.add(type);
                }
            }
            classes.add(new ApiClasses("Platform", "io.cloudpilot.platform", platform));
        } catch (IllegalStateException e) {
            LOG.log(Level.WARNING, "OpenAPI schemas keep the generator's names: the server's classes are unknown ({0})",
                    e.toString());
        }
        apply(document, classes);
    }

    /**
     * Sets every operation's {@code operationId} and renames the schemas of the given classes.
     *
     * @param document the assembled document
     * @param classes  the platform's and every started plugin's resource classes
     */
    public static void apply(OpenAPI document, List<ApiClasses> classes) {
        if (document.getPaths() == null || document.getPaths().getPathItems() == null) {
            return;
        }
        for (Map.Entry<String, PathItem> path : document.getPaths().getPathItems().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : path.getValue().getOperations().entrySet()) {
                op.getValue().setOperationId(new Endpoint(op.getKey().name(), path.getKey()).operationId());
            }
        }
        new OpenApiNames(document, classes).renameSchemas();
    }

    private void renameSchemas() {
        Components components = document.getComponents();
        if (components == null || components.getSchemas() == null) {
            return;
        }
        for (ApiClasses owner : classes) {
            for (Class<?> resource : owner.resources()) {
                for (Method m : resource.getMethods()) {
                    Endpoint endpoint = Endpoint.of(resource, m);
                    Operation op = endpoint == null ? null : operation(endpoint);
                    if (op != null) {
                        walk(responseSchema(op), m.getGenericReturnType());
                        Type body = bodyType(m);
                        if (body != null) {
                            walk(bodySchema(op.getRequestBody()), body);
                        }
                    }
                }
            }
        }
        Map<String, String> renames = new HashMap<>();
        Set<String> taken = new java.util.HashSet<>(components.getSchemas().keySet());
        for (Map.Entry<String, Typed> e : typeOfSchema.entrySet()) {
            String name = qualifiedName(e.getValue());
            if (name.equals(e.getKey())) {
                continue;
            }
            if (taken.contains(name)) {
                LOG.log(Level.WARNING, "OpenAPI schema {0} ({1}) keeps its name: {2} is taken", e.getKey(),
                        e.getValue().type().getTypeName(), name);
                continue;
            }
            taken.add(name);
            renames.put(e.getKey(), name);
        }
        if (renames.isEmpty()) {
            return;
        }
        Map<String, Schema> renamed = new TreeMap<>();
        components.getSchemas().forEach((name, schema) -> renamed.put(renames.getOrDefault(name, name), schema));
        new RefRewriter(renames).document(document, renamed.values());
        components.setSchemas(renamed);
    }

    private Operation operation(Endpoint endpoint) {
        PathItem item = document.getPaths().getPathItem(endpoint.path());
        if (item == null) {
            return null;
        }
        return item.getOperations().get(PathItem.HttpMethod.valueOf(endpoint.method()));
    }

    private static Schema responseSchema(Operation op) {
        if (op.getResponses() == null || op.getResponses().getAPIResponses() == null) {
            return null;
        }
        for (Map.Entry<String, APIResponse> e : op.getResponses().getAPIResponses().entrySet()) {
            if (e.getKey().startsWith("2")) {
                return json(e.getValue().getContent());
            }
        }
        return null;
    }

    private static Schema bodySchema(RequestBody body) {
        return body == null ? null : json(body.getContent());
    }

    private static Schema json(Content content) {
        if (content == null || content.getMediaTypes() == null) {
            return null;
        }
        MediaType json = content.getMediaType("application/json");
        return json == null ? null : json.getSchema();
    }

    /** The entity parameter: the one without a JAX-RS parameter annotation. */
    private static Type bodyType(Method m) {
        Parameter[] parameters = m.getParameters();
        for (int i = 0; i < parameters.length; i++) {
            boolean annotated = java.util.Arrays.stream(parameters[i].getAnnotations())
                    .anyMatch(a -> a.annotationType().getPackageName().startsWith("jakarta.ws.rs"));
            if (!annotated) {
                return m.getGenericParameterTypes()[i];
            }
        }
        return null;
    }

    /** Walks a schema and the Java type it was made from side by side, noting which class each named schema is. */
    private void walk(Schema schema, Type type) {
        if (schema == null || type == null) {
            return;
        }
        Class<?> raw = raw(type);
        if (raw == Optional.class && type instanceof ParameterizedType p) {
            walk(schema, p.getActualTypeArguments()[0]);
            return;
        }
        if (schema.getRef() != null) {
            if (!schema.getRef().startsWith(REF) || raw == null || raw == Object.class) {
                return;
            }
            String name = schema.getRef().substring(REF.length());
            if (typeOfSchema.putIfAbsent(name, new Typed(raw, type)) == null) {
                walk(document.getComponents().getSchemas().get(name), type);
            }
            return;
        }
        for (List<Schema> parts : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
            if (parts != null) {
                parts.forEach(part -> walk(part, type));
            }
        }
        if (schema.getItems() != null) {
            walk(schema.getItems(), element(type));
        }
        if (schema.getAdditionalPropertiesSchema() != null && raw != null && Map.class.isAssignableFrom(raw)) {
            walk(schema.getAdditionalPropertiesSchema(), typeArgument(type, Map.class, 1));
        }
        if (schema.getProperties() != null && raw != null && !raw.getName().startsWith("java.")) {
            for (Map.Entry<String, Schema> property : schema.getProperties().entrySet()) {
                walk(property.getValue(), propertyType(type, raw, property.getKey()));
            }
        }
    }

    /** The declared type of the record component, or field, that a JSON property comes from. */
    private static Type propertyType(Type owner, Class<?> raw, String property) {
        String wanted = normalized(property);
        if (raw.isRecord()) {
            for (RecordComponent c : raw.getRecordComponents()) {
                JsonProperty json = c.getAccessor().getAnnotation(JsonProperty.class);
                if (json == null) {
                    json = field(raw, c.getName()) == null ? null : field(raw, c.getName()).getAnnotation(JsonProperty.class);
                }
                String name = json != null && !json.value().isEmpty() ? json.value() : c.getName();
                if (normalized(name).equals(wanted)) {
                    return resolve(c.getGenericType(), owner, raw);
                }
            }
            return null;
        }
        for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                JsonProperty json = f.getAnnotation(JsonProperty.class);
                String name = json != null && !json.value().isEmpty() ? json.value() : f.getName();
                if (normalized(name).equals(wanted)) {
                    return resolve(f.getGenericType(), owner, raw);
                }
            }
        }
        return null;
    }

    private static Field field(Class<?> type, String name) {
        try {
            return type.getDeclaredField(name);
        } catch (NoSuchFieldException e) {
            return null;
        }
    }

    private static String normalized(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }

    /** A member's type with the owner's type arguments put in for its type variables. */
    private static Type resolve(Type member, Type owner, Class<?> raw) {
        if (member instanceof TypeVariable<?> variable && owner instanceof ParameterizedType p) {
            TypeVariable<?>[] declared = raw.getTypeParameters();
            for (int i = 0; i < declared.length; i++) {
                if (declared[i].getName().equals(variable.getName())) {
                    return p.getActualTypeArguments()[i];
                }
            }
        }
        if (member instanceof ParameterizedType p && owner instanceof ParameterizedType) {
            Type[] args = p.getActualTypeArguments().clone();
            for (int i = 0; i < args.length; i++) {
                args[i] = resolve(args[i], owner, raw);
            }
            return new Resolved((Class<?>) p.getRawType(), List.of(args));
        }
        return member;
    }

    /** A parameterized type with its variables resolved. */
    private record Resolved(Class<?> rawType, List<Type> arguments) implements ParameterizedType {
        @Override
        public Type[] getActualTypeArguments() {
            return arguments.toArray(Type[]::new);
        }

        @Override
        public Type getRawType() {
            return rawType;
        }

        @Override
        public Type getOwnerType() {
            return null;
        }
    }

    private static Type element(Type type) {
        if (type instanceof GenericArrayType array) {
            return array.getGenericComponentType();
        }
        Class<?> raw = raw(type);
        if (raw != null && raw.isArray()) {
            return raw.getComponentType();
        }
        return raw != null && Collection.class.isAssignableFrom(raw) ? typeArgument(type, Collection.class, 0) : null;
    }

    private static Type typeArgument(Type type, Class<?> of, int index) {
        if (type instanceof ParameterizedType p && raw(p) != null && of.isAssignableFrom(raw(p))) {
            Type[] args = p.getActualTypeArguments();
            return index < args.length ? args[index] : null;
        }
        return null;
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
            return raw(w.getUpperBounds()[0]);
        }
        return null;
    }

    private String qualifiedName(Typed typed) {
        StringBuilder name = new StringBuilder(qualifier(typed.raw())).append('_').append(nested(typed.raw()));
        if (typed.type() instanceof ParameterizedType p) {
            for (Type arg : p.getActualTypeArguments()) {
                Class<?> argument = raw(arg);
                if (argument != null) {
                    name.append('_').append(nested(argument));
                }
            }
        }
        return name.toString();
    }

    private String qualifier(Class<?> type) {
        String pkg = type.getPackageName();
        if (pkg.equals("io.cloudpilot.platform") || pkg.startsWith("io.cloudpilot.platform.")) {
            return "Platform";
        }
        for (ApiClasses owner : classes) {
            if (pkg.equals(owner.homePackage()) || pkg.startsWith(owner.homePackage() + ".")) {
                return owner.qualifier();
            }
        }
        return pascal(pkg.substring(pkg.lastIndexOf('.') + 1));
    }

    /** {@code PodViews.PodList} → {@code PodViews_PodList}. */
    private static String nested(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            names.add(c.getSimpleName());
        }
        Collections.reverse(names);
        return String.join("_", names);
    }

    /** {@code k8s-resources} → {@code K8sResources}. */
    static String pascal(String id) {
        StringBuilder s = new StringBuilder();
        for (String word : id.split("[^A-Za-z0-9]+")) {
            if (!word.isEmpty()) {
                s.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return s.toString();
    }

    /** Points every {@code $ref} at a renamed schema to its new name. */
    private static final class RefRewriter {
        private final Map<String, String> renames;
        private final Set<Schema> seen = Collections.newSetFromMap(new IdentityHashMap<>());

        RefRewriter(Map<String, String> renames) {
            this.renames = renames;
        }

        void document(OpenAPI document, Collection<Schema> components) {
            components.forEach(this::schema);
            if (document.getPaths() == null || document.getPaths().getPathItems() == null) {
                return;
            }
            for (PathItem item : document.getPaths().getPathItems().values()) {
                for (Operation op : item.getOperations().values()) {
                    if (op.getParameters() != null) {
                        op.getParameters().forEach(p -> {
                            schema(p.getSchema());
                            content(p.getContent());
                        });
                    }
                    if (op.getRequestBody() != null) {
                        content(op.getRequestBody().getContent());
                    }
                    if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
                        for (APIResponse r : op.getResponses().getAPIResponses().values()) {
                            content(r.getContent());
                            if (r.getHeaders() != null) {
                                for (Header h : r.getHeaders().values()) {
                                    schema(h.getSchema());
                                }
                            }
                        }
                    }
                }
            }
        }

        private void content(Content content) {
            if (content != null && content.getMediaTypes() != null) {
                content.getMediaTypes().values().forEach(m -> schema(m.getSchema()));
            }
        }

        private void schema(Schema schema) {
            if (schema == null || !seen.add(schema)) {
                return;
            }
            String ref = schema.getRef();
            if (ref != null && ref.startsWith(REF) && renames.containsKey(ref.substring(REF.length()))) {
                schema.setRef(REF + renames.get(ref.substring(REF.length())));
            }
            schema(schema.getItems());
            schema(schema.getAdditionalPropertiesSchema());
            schema(schema.getNot());
            if (schema.getProperties() != null) {
                schema.getProperties().values().forEach(this::schema);
            }
            for (List<Schema> parts : java.util.Arrays.asList(schema.getAllOf(), schema.getAnyOf(), schema.getOneOf())) {
                if (parts != null) {
                    parts.forEach(this::schema);
                }
            }
        }
    }
}
