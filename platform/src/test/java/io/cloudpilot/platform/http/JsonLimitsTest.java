package io.cloudpilot.platform.http;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.cloudpilot.spi.ApiException;

import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The JSON limits of request bodies that a record body cannot reach (its reader stops at the first value of the wrong
 * shape) but a plugin's {@code JsonNode} or {@code Map} body can: nesting, the count of values, duplicate keys deep
 * inside. Read through the platform's one body reader, {@link JsonProvider}. (HostileBodiesTest of k8s-resources
 * sends the others to a server.)
 */
class JsonLimitsTest {

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object read(Class type, String body) {
        return new JsonProvider().readFrom(type, type, new java.lang.annotation.Annotation[0],
                MediaType.APPLICATION_JSON_TYPE, null, new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static String refused(Class<?> type, String body) {
        return assertThrows(ApiException.ValidationError.class, () -> read(type, body)).getMessage();
    }

    @Test
    void nestingDeeperThan32IsRefused() {
        assertEquals(31, depth((JsonNode) read(JsonNode.class, "[".repeat(32) + "]".repeat(32))));
        String message = refused(JsonNode.class, "{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}");
        assertThat(message).as(message).contains("deeper than 32");
    }

    @Test
    void moreThan100000ValuesAreRefused() {
        String many = "[" + "0,".repeat(120_000) + "0]";
        String message = refused(JsonNode.class, many);
        assertThat(message).as(message).contains("more than 100000 values");
    }

    @Test
    void duplicateKeysAreRefusedAtAnyDepth() {
        String message = refused(Map.class, "{\"spec\":{\"replicas\":1,\"replicas\":3}}");
        assertThat(message).as(message).contains("'replicas'", "more than once");
    }

    @Test
    void trailingContentIsRefused() {
        String message = refused(JsonNode.class, "{\"a\":1} {\"a\":2}");
        assertThat(message).as(message).contains("more than one JSON value");
    }

    private static int depth(JsonNode n) {
        int d = 0;
        while (n.size() > 0) {
            n = n.get(0);
            d++;
        }
        return d;
    }
}
