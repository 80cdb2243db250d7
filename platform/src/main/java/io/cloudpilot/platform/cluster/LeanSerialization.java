package io.cloudpilot.platform.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import tools.jackson.databind.ObjectMapper;

/**
 * fabric8's serialization (its default mapper and modules: the default constructor builds them), except
 * that {@code metadata.managedFields} are skipped while a response is read: no view shows them, the cache dropped
 * them after reading anyway, and they are a third to a half of a pod's JSON. Skipping them in the parser saves
 * building, then collecting, a tree of maps per object: a cold list of 10,000 pods makes that much less garbage and
 * costs that much less CPU (docs/performance.md). Objects CloudPilot sends (the scale subresource) never carry them.
 * fabric8's constructors pass their mapper through {@link #configureMapper}, so the default one is all it needs.
 */
final class LeanSerialization extends KubernetesSerialization {

    @Override
    protected ObjectMapper configureMapper(ObjectMapper mapper) {
        return super.configureMapper(mapper).rebuild()
                .addMixIn(ObjectMeta.class, WithoutManagedFields.class)
                .build();
    }

    /** Adds {@code managedFields} to what is ignored when an {@link ObjectMeta} is read or written. */
    @JsonIgnoreProperties({"managedFields"})
    private abstract static class WithoutManagedFields {
    }
}
