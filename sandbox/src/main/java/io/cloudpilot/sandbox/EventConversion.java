package io.cloudpilot.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real API server keeps one event store and serves it as core {@code v1} and as {@code events.k8s.io/v1}, with
 * renamed fields. The sandbox stores core events and converts them here.
 */
final class EventConversion {

    private EventConversion() {
    }

    static Map<String, Object> toEventsV1(Map<String, Object> core) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("apiVersion", "events.k8s.io/v1");
        e.put("kind", "Event");
        e.put("metadata", core.get("metadata"));
        Object eventTime = core.get("eventTime");
        if (eventTime == null) {
            eventTime = microTime(core.get("firstTimestamp") != null ? core.get("firstTimestamp")
                    : Json.string(core, "metadata", "creationTimestamp"));
        }
        e.put("eventTime", eventTime);
        putIfPresent(e, "series", core.get("series"));
        Object controller = core.get("reportingComponent");
        if (controller == null || String.valueOf(controller).isEmpty()) {
            controller = Json.string(core, "source", "component");
        }
        putIfPresent(e, "reportingController", controller);
        Object instance = core.get("reportingInstance");
        if (instance == null || String.valueOf(instance).isEmpty()) {
            instance = Json.string(core, "source", "host");
        }
        putIfPresent(e, "reportingInstance", instance);
        putIfPresent(e, "action", core.get("action"));
        putIfPresent(e, "reason", core.get("reason"));
        putIfPresent(e, "regarding", core.get("involvedObject"));
        putIfPresent(e, "related", core.get("related"));
        putIfPresent(e, "note", core.get("message"));
        putIfPresent(e, "type", core.get("type"));
        putIfPresent(e, "deprecatedSource", core.get("source"));
        putIfPresent(e, "deprecatedFirstTimestamp", core.get("firstTimestamp"));
        putIfPresent(e, "deprecatedLastTimestamp", core.get("lastTimestamp"));
        Object count = core.get("count");
        if (count instanceof Number n && n.longValue() > 0) {
            e.put("deprecatedCount", n);
        }
        return e;
    }

    /**
     * Translates an events.k8s.io field selector to the core field labels ({@code regarding.name} →
     * {@code involvedObject.name}, {@code reportingController} → {@code reportingComponent}).
     *
     * @param selector the selector, may be {@code null}
     * @return the core selector
     */
    static String coreFieldSelector(String selector) {
        if (selector == null) {
            return null;
        }
        return selector.replace("regarding.", "involvedObject.")
                .replace("reportingController", "reportingComponent")
                .replace("deprecatedSource", "source");
    }

    private static Object microTime(Object timestamp) {
        if (timestamp == null) {
            return null;
        }
        String s = String.valueOf(timestamp);
        return s.endsWith("Z") && !s.contains(".") ? s.substring(0, s.length() - 1) + ".000000Z" : s;
    }

    private static void putIfPresent(Map<String, Object> map, String key, Object value) {
        if (value != null && !(value instanceof String s && s.isEmpty())) {
            map.put(key, value);
        }
    }
}
