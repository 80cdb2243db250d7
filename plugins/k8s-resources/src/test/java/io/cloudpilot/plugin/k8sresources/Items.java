package io.cloudpilot.plugin.k8sresources;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.StreamSupport;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import tools.jackson.databind.JsonNode;

/** Small readers of JSON arrays and fixture objects shared by the tests. */
final class Items {

    private Items() {
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

    static List<String> codes(JsonNode health) {
        return strings(health.path("findings"), "code");
    }

    /** The CPU (cores) or memory (bytes) a pod requests, from its spec, as the scheduler counts it. */
    static BigDecimal requested(Pod p, String resource) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Container c : p.getSpec().getContainers()) {
            sum = sum.add(request(c, resource));
        }
        BigDecimal maxInit = BigDecimal.ZERO;
        for (Container c : p.getSpec().getInitContainers() == null ? List.<Container>of() : p.getSpec().getInitContainers()) {
            if ("Always".equals(c.getRestartPolicy())) {
                sum = sum.add(request(c, resource));
            } else {
                maxInit = maxInit.max(request(c, resource));
            }
        }
        return sum.max(maxInit);
    }

    private static BigDecimal request(Container c, String resource) {
        if (c.getResources() == null) {
            return BigDecimal.ZERO;
        }
        Quantity q = c.getResources().getRequests() == null ? null : c.getResources().getRequests().get(resource);
        if (q == null && c.getResources().getLimits() != null) {
            q = c.getResources().getLimits().get(resource);
        }
        return q == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }
}
