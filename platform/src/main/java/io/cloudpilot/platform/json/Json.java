package io.cloudpilot.platform.json;

import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * The one JSON mapper of the API: snake_case property names (records' {@code clusterName} is
 * {@code cluster_name}), nulls written (a {@code null} says "unknown", omitting it would hide that), ISO-8601
 * times. Jackson 3, the same library fabric8 uses, so Kubernetes objects placed in a response keep their shape.
 *
 * <p>Reading is strict: a key given twice, a value of the wrong JSON type ({@code "replicas": "3"}, {@code 2.5} for
 * an integer, {@code 1} for a boolean or a string) and an unknown field are errors, never guessed at. What callers
 * send is read with {@link #BODIES}: the same mapper within the limits below (docs/security.md).
 */
public final class Json {

    /** Longest JSON document read from a caller, in bytes, whatever the endpoint's body limit. */
    public static final long MAX_DOCUMENT_BYTES = 4L * 1024 * 1024;
    /** Longest string value (a kubeconfig is the longest CloudPilot takes). */
    public static final int MAX_STRING_CHARS = 1024 * 1024;
    /** Longest property name. */
    public static final int MAX_NAME_CHARS = 256;
    /** Deepest nesting of objects and arrays. */
    public static final int MAX_NESTING_DEPTH = 32;
    /** Longest number, in digits. */
    public static final int MAX_NUMBER_DIGITS = 100;
    /** Most tokens in one document (keeps a body of a million tiny values from becoming a million objects). */
    public static final long MAX_TOKENS = 100_000;

    /** The shared mapper; thread-safe. Writes every answer; reads trusted documents. */
    public static final JsonMapper MAPPER = strict(JsonMapper.builder(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())).build();

    /** The mapper request bodies are read with: {@link #MAPPER} within the limits above. */
    public static final JsonMapper BODIES = strict(JsonMapper.builder(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxDocumentLength(MAX_DOCUMENT_BYTES)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(MAX_NAME_CHARS)
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_DIGITS)
                    .maxTokenCount(MAX_TOKENS)
                    .build())
            .build())).build();

    private Json() {
    }

    private static JsonMapper.Builder strict(JsonMapper.Builder builder) {
        return builder
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                // "replicas": 2.5 is a mistake to report, not a value to round down
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // nor is "replicas": "3" a number, "dry_run": 1 a boolean, or "name": 5 a string
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(LogicalType.Textual, c -> c
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }
}
