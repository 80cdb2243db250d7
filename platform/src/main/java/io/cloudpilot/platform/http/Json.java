package io.cloudpilot.platform.http;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the API: snake_case property names (records' {@code clusterName} is
 * {@code cluster_name}), nulls written (a {@code null} says "unknown", omitting it would hide that), ISO-8601
 * times. Jackson 3, the same library fabric8 uses, so Kubernetes objects placed in a response keep their shape.
 */
public final class Json {

    /** The shared mapper; thread-safe. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // "replicas": 2.5 is a mistake to report, not a value to round down
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private Json() {
    }
}
