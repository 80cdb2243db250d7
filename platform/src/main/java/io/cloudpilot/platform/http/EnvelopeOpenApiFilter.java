package io.cloudpilot.platform.http;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import io.cloudpilot.spi.ApiException;

import io.cloudpilot.platform.openapi.OpenApiNames;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * Makes the generated OpenAPI document say what the server really sends: every success body wrapped in
 * {@code {code, message, data}}, the contract's error envelopes on every operation, the cache headers, and the
 * ranges and defaults of the shared query parameters (the same table {@link QueryParamsFilter} enforces).
 */
public class EnvelopeOpenApiFilter implements OASFilter {

    private static final String ERROR_REF = "#/components/schemas/ErrorEnvelope";
    private static final Map<String, String> ERRORS = Map.of(
            "400", "ValidationError: a missing or malformed parameter, a value out of range, the wrong mode",
            "401", "Unauthenticated: API tokens are configured and the request has no valid Authorization: Bearer token",
            "403", "Forbidden: the token's role does not allow this endpoint, or the cluster's RBAC refused the call",
            "404", "ClusterNotFound, NotFound or IstioNotInstalled",
            "500", "InternalError: a bug in CloudPilot",
            "503", "ClusterUnavailable or ClusterTimeout: the cluster cannot be reached, timed out, or its circuit is "
                    + "open; ShuttingDown: the server is stopping");

    /**
     * One example answer per error type, under the status it comes with, so that each status of an operation shows
     * its own (the schema alone made Swagger UI show a 404 ValidationError for every status).
     */
    private static final Map<String, List<ErrorExample>> EXAMPLES = Map.of(
            "400", List.of(new ErrorExample("ValidationError", "Query parameter 'namespace' is not a valid Kubernetes "
                    + "name: use at most 63 lower-case letters, digits and '-', starting and ending with a letter or "
                    + "digit.")),
            "401", List.of(new ErrorExample("Unauthenticated", "This endpoint needs an API token: send the header "
                    + "Authorization: Bearer <token> (docs/security.md).")),
            "403", List.of(new ErrorExample("Forbidden", "Cluster 'prod' denied the call through its RBAC: pods is "
                    + "forbidden. Grant CloudPilot's service account this permission.")),
            "404", List.of(new ErrorExample("ClusterNotFound", "No cluster named 'prod' is registered: see GET "
                            + "/k8s/cluster/list, or register it with POST /k8s/cluster/add."),
                    new ErrorExample("NotFound", "Pod 'cart-0' does not exist in namespace 'shop' of cluster 'prod'."),
                    new ErrorExample("IstioNotInstalled", "No istiod found in namespace 'istio-system' of cluster "
                            + "'prod' (Deployments labelled app=istiod or istio=pilot), nor in any other namespace, and "
                            + "the cluster serves no networking.istio.io API: Istio is not installed.")),
            "413", List.of(new ErrorExample(BodyTooLarge.ERROR_TYPE, "The request body is larger than this endpoint "
                    + "accepts (65536 bytes); send a smaller body (docs/security.md lists the limits).")),
            "500", List.of(new ErrorExample("InternalError", "CloudPilot failed unexpectedly; the server log has the "
                    + "details.")),
            "503", List.of(new ErrorExample("ClusterUnavailable", "Cluster 'prod' cannot be reached: its API server "
                            + "refused or dropped the connection."),
                    new ErrorExample("ClusterTimeout", "Cluster 'prod' did not answer within 20 s."),
                    new ErrorExample(InFlightRequests.SHUTTING_DOWN, InFlightRequests.SHUTTING_DOWN_MESSAGE)));

    /**
     * @param errorType the {@code error_type}
     * @param message   the sentence
     */
    private record ErrorExample(String errorType, String message) {
    }

    /**
     * Every {@code error_type} an answer can carry: one per {@link ApiException} subclass, PayloadTooLarge and
     * ShuttingDown.
     */
    static List<Object> errorTypes() {
        List<Object> types = new java.util.ArrayList<>();
        for (Class<?> c : ApiException.class.getPermittedSubclasses()) {
            types.add(c.getSimpleName());
        }
        types.add(BodyTooLarge.ERROR_TYPE);
        types.add(InFlightRequests.SHUTTING_DOWN);
        return List.copyOf(types);
    }

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        // operationIds and schema names first, while response schemas are still the resources' own (docs/api.md)
        OpenApiNames.apply(openAPI);
        if (openAPI.getComponents() == null) {
            openAPI.setComponents(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("ErrorEnvelope", errorEnvelope());
        // Swagger UI's "Authorize" sends the token; no example token is ever part of the document
        openAPI.getComponents().addSecurityScheme("bearer", OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP)
                .scheme("bearer")
                .description("An API token of CloudPilot (docs/security.md): viewer reads, operator also scales, "
                        + "admin also manages the cluster registry and reads /audit."));
        openAPI.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme("bearer")));
        openAPI.setInfo(OASFactory.createInfo()
                .title("CloudPilot")
                .version(ProductVersion.get())
                .description("One REST API over many Kubernetes clusters and their Istio mesh. Every answer is "
                        + "{code, message, data} with HTTP status = code; cluster reads carry X-Cache and Age."));
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation op : item.getOperations().values()) {
                wrap(op);
            }
        }
    }

    private static void wrap(Operation op) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        boolean clusterScoped = op.getParameters() != null
                && op.getParameters().stream().anyMatch(p -> "cluster_name".equals(p.getName()));
        if (op.getParameters() != null) {
            op.getParameters().forEach(EnvelopeOpenApiFilter::describe);
        }
        for (Map.Entry<String, APIResponse> e : Map.copyOf(responses.getAPIResponses() == null
                ? Map.of() : responses.getAPIResponses()).entrySet()) {
            if (!e.getKey().startsWith("2")) {
                continue;
            }
            APIResponse response = e.getValue();
            Schema data = null;
            if (response.getContent() != null && response.getContent().getMediaTypes() != null) {
                MediaType json = response.getContent().getMediaType("application/json");
                data = json == null ? null : json.getSchema();
            }
            Schema envelope = OASFactory.createSchema()
                    .type(Schema.SchemaType.OBJECT)
                    .addRequired("code").addRequired("message").addRequired("data")
                    .addProperty("code", OASFactory.createSchema().type(Schema.SchemaType.INTEGER)
                            .description("The HTTP status").example(200))
                    .addProperty("message", OASFactory.createSchema().type(Schema.SchemaType.STRING)
                            .example("ok"))
                    .addProperty("data", data == null ? OASFactory.createSchema() : data);
            Content content = OASFactory.createContent().addMediaType("application/json",
                    OASFactory.createMediaType().schema(envelope));
            response.setContent(content);
            if (response.getDescription() == null || response.getDescription().isBlank()) {
                response.setDescription("OK");
            }
            if (clusterScoped) {
                response.addHeader("X-Cache", header("HIT, MISS, BYPASS (force_refresh) or STALE (cluster failed, "
                        + "cached data served)"));
                response.addHeader("Age", header("Seconds since the data was read from the cluster"));
            }
        }
        if (op.getRequestBody() != null && responses.getAPIResponse("413") == null) {
            responses.addAPIResponse("413", OASFactory.createAPIResponse()
                    .description("PayloadTooLarge: the body is larger than the endpoint accepts")
                    .content(OASFactory.createContent().addMediaType("application/json", errorMediaType("413"))));
        }
        ERRORS.forEach((code, description) -> {
            if (responses.getAPIResponse(code) == null) {
                responses.addAPIResponse(code, OASFactory.createAPIResponse()
                        .description(description)
                        .content(OASFactory.createContent().addMediaType("application/json", errorMediaType(code))));
            }
        });
    }

    /** What the shared query parameters mean, for operations that do not describe them themselves. */
    private static final Map<String, String> SHARED = Map.ofEntries(
            Map.entry("cluster_name", "The cluster: required in server mode (see GET /k8s/cluster/list); in instant "
                    + "mode optional and, if given, the instant cluster's name."),
            Map.entry("force_refresh", "true: read from the cluster and refresh the cache; false: answer from the "
                    + "cache while it is younger than its TTL (default 30 s)."),
            Map.entry("namespace", "A namespace (DNS-1123 label); absent: all namespaces."),
            Map.entry("label_selector", "A Kubernetes label selector, e.g. app=web,tier!=db."),
            Map.entry("field_selector", "A Kubernetes field selector, e.g. status.phase=Running."),
            Map.entry("page", "The page to return, from 1."),
            Map.entry("page_size", "Items per page."),
            Map.entry("sort_by", "The item field to sort by."),
            Map.entry("sort_order", "asc or desc."),
            Map.entry("lines", "How many of the newest log lines to return."),
            Map.entry("since_seconds", "Only log lines newer than this many seconds."),
            Map.entry("previous", "true: the logs of the previous, terminated container instance."),
            Map.entry("timestamps", "true: prefix each log line with its RFC 3339 timestamp."),
            Map.entry("dry_run", "true: let the API server validate the change without making it."));

    private static void describe(Parameter p) {
        if ((p.getDescription() == null || p.getDescription().isBlank()) && SHARED.containsKey(p.getName())) {
            p.setDescription(SHARED.get(p.getName()));
        }
        Schema schema = p.getSchema() == null ? OASFactory.createSchema() : p.getSchema();
        long[] range = QueryParamsFilter.NUMBERS.get(p.getName());
        if (range != null) {
            schema.minimum(BigDecimal.valueOf(range[0])).maximum(BigDecimal.valueOf(range[1]));
        }
        if ("sort_order".equals(p.getName())) {
            schema.enumeration(List.of("asc", "desc"));
        }
        if (QueryParamsFilter.BOOLEANS.contains(p.getName())) {
            schema.type(Schema.SchemaType.BOOLEAN);
            if (schema.getDefaultValue() == null) {
                schema.defaultValue(false);
            }
        }
        p.setSchema(schema);
    }

    private static MediaType errorMediaType(String code) {
        MediaType type = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_REF));
        for (ErrorExample e : EXAMPLES.getOrDefault(code, List.of())) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("code", Integer.parseInt(code));
            body.put("message", e.message());
            body.put("data", Map.of("error_type", e.errorType(), "details", e.message()));
            type.addExample(e.errorType(), OASFactory.createExample().summary(code + " " + e.errorType()).value(body));
        }
        return type;
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().type(Schema.SchemaType.STRING));
    }

    private static Schema errorEnvelope() {
        return OASFactory.createSchema()
                .type(Schema.SchemaType.OBJECT)
                .description("Every error: HTTP status = code")
                .addRequired("code").addRequired("message").addRequired("data")
                .addProperty("code", OASFactory.createSchema().type(Schema.SchemaType.INTEGER)
                        .description("The HTTP status"))
                .addProperty("message", OASFactory.createSchema().type(Schema.SchemaType.STRING)
                        .description("One sentence: what went wrong and what to do"))
                .addProperty("data", OASFactory.createSchema().type(Schema.SchemaType.OBJECT)
                        .addProperty("error_type", OASFactory.createSchema().type(Schema.SchemaType.STRING)
                                .enumeration(errorTypes()))
                        .addProperty("details", OASFactory.createSchema().type(Schema.SchemaType.STRING)));
    }
}
