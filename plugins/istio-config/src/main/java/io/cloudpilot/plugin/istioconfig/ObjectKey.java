package io.cloudpilot.plugin.istioconfig;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * Identifies a validated object.
 *
 * @param kind      Gateway, VirtualService or DestinationRule
 * @param namespace its namespace
 * @param name      its name
 */
record ObjectKey(String kind, String namespace, String name) {

    static ObjectKey of(String kind, GenericKubernetesResource r) {
        return new ObjectKey(kind, r.getMetadata().getNamespace(), r.getMetadata().getName());
    }

    Validation.ObjectRef ref() {
        return new Validation.ObjectRef(kind, namespace, name);
    }

    @Override
    public String toString() {
        return kind + " " + namespace + "/" + name;
    }
}
