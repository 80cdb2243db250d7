package io.cloudpilot.sandbox;

import java.util.List;
import java.util.Map;

/**
 * A small garbage collector: deleting an owner (a Deployment, ReplicaSet, Job, CronJob, DaemonSet, StatefulSet)
 * deletes the objects whose ownerReferences point at it, recursively, as background propagation would.
 */
final class Dependents {

    private static final List<String[]> DEPENDENT_KINDS = List.of(
            new String[] {"apps", "replicasets"},
            new String[] {"apps", "controllerrevisions"},
            new String[] {"batch", "jobs"},
            new String[] {"", "pods"});

    private Dependents() {
    }

    static void deleteDependents(ObjectStore store, ApiCatalog catalog, Map<String, Object> owner) {
        String uid = Json.string(owner, "metadata", "uid");
        String namespace = Json.namespace(owner);
        if (uid == null || namespace == null) {
            return;
        }
        for (String[] kind : DEPENDENT_KINDS) {
            String base = kind[0].isEmpty() ? "/api/v1" : "/apis/" + kind[0] + "/"
                    + catalog.storageVersion(kind[0]);
            String collection = base + "/namespaces/" + namespace + "/" + kind[1];
            for (Map<String, Object> item : store.list(collection).items()) {
                boolean owned = Json.mapsAt(item, "metadata", "ownerReferences").stream()
                        .anyMatch(ref -> uid.equals(ref.get("uid")));
                if (owned) {
                    store.delete(collection + "/" + Json.name(item));
                    deleteDependents(store, catalog, item);
                }
            }
        }
    }
}
