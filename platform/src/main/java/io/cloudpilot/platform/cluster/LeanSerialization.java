package io.cloudpilot.platform.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.kubernetes.model.jackson.Jackson2JdkTypesModule;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * fabric8's serialization (its own mapper and modules, as {@code new KubernetesSerialization()} builds them), except
 * that {@code metadata.managedFields} are skipped while a response is read: no view shows them, the cache dropped
 * them after reading anyway, and they are a third to a half of a pod's JSON. Skipping them in the parser saves
 * building, then collecting, a tree of maps per object: a cold list of 10,000 pods makes that much less garbage and
 * costs that much less CPU (docs/performance.md). Objects CloudPilot sends (the scale subresource) never carry them.
 */
final class LeanSerialization extends KubernetesSerialization {

    LeanSerialization() {
        super(JsonMapper.builderWithJackson2Defaults().addModule(new Jackson2JdkTypesModule()).build(), true);
    }

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
