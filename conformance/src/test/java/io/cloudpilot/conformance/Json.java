package io.cloudpilot.conformance;

import java.util.List;
import java.util.stream.StreamSupport;

import tools.jackson.databind.JsonNode;

/** Small readers of the JSON answers. */
final class Json {

    private Json() {
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    static JsonNode find(JsonNode array, String field, String value) {
        return list(array).stream().filter(n -> n.path(field).asString().equals(value)).findFirst()
                .orElseThrow(() -> new AssertionError("no item with " + field + "=" + value + " in " + array));
    }

    static List<String> strings(JsonNode array, String field) {
        return list(array).stream().map(n -> n.path(field).asString()).toList();
    }

    static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asString).toList();
    }
}
