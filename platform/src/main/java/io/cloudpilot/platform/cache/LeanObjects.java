package io.cloudpilot.platform.cache;

import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;

/**
 * Drops from cached objects what no view shows and what makes them large: {@code metadata.managedFields} (often a
 * third of a pod's JSON) and the {@code kubectl.kubernetes.io/last-applied-configuration} annotation (a copy of the
 * whole object as last applied). Called on objects just read from a cluster, before anything else sees them.
 */
final class LeanObjects {

    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

    private LeanObjects() {
    }

    /**
     * @param value an upstream answer: a list of objects, an object, or anything else (left alone)
     * @return the same value, trimmed in place
     */
    static Object trim(Object value) {
        if (value instanceof HasMetadata object) {
            trimObject(object);
        } else if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof HasMetadata object) {
                    trimObject(object);
                } else {
                    break; // lists are of one type: not a list of objects
                }
            }
        }
        return value;
    }

    static <T extends HasMetadata> T trimObject(T object) {
        ObjectMeta meta = object.getMetadata();
        if (meta != null) {
            meta.setManagedFields(null);
            Map<String, String> annotations = meta.getAnnotations();
            if (annotations != null && annotations.containsKey(LAST_APPLIED)) {
                annotations.remove(LAST_APPLIED);
            }
        }
        return object;
    }
}
