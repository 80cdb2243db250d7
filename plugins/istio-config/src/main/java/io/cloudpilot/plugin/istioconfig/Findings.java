package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cloudpilot.plugin.istioconfig.Validation.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

/**
 * The findings of one validation run, per object. Every validated object has an entry (an empty list when it is
 * clean). {@link #result} drops the codes suppressed globally or by the object's annotation and orders each list,
 * most severe first.
 */
final class Findings {

    /** The per-object annotation that suppresses codes, comma-separated. */
    static final String IGNORE_ANNOTATION = "cloudpilot.io/ignore-validations";

    private final Map<ObjectKey, List<Validation>> byObject = new LinkedHashMap<>();
    private final Map<ObjectKey, GenericKubernetesResource> objects = new LinkedHashMap<>();

    Findings(ConfigSnapshot snapshot) {
        snapshot.gateways().forEach(r -> track("Gateway", r));
        snapshot.virtualServices().forEach(r -> track("VirtualService", r));
        snapshot.destinationRules().forEach(r -> track("DestinationRule", r));
    }

    private void track(String kind, GenericKubernetesResource r) {
        ObjectKey key = ObjectKey.of(kind, r);
        objects.put(key, r);
        byObject.put(key, new ArrayList<>());
    }

    void add(ObjectKey on, Code code, Severity severity, String message, String path, List<ObjectRef> refs) {
        byObject.computeIfAbsent(on, k -> new ArrayList<>()).add(Validation.of(code, severity, message, path, refs));
    }

    /**
     * @param globalIgnore codes suppressed everywhere
     * @return the findings per object, without suppressed codes and duplicates, most severe first
     */
    Map<ObjectKey, List<Validation>> result(Set<Code> globalIgnore) {
        Map<ObjectKey, List<Validation>> out = new LinkedHashMap<>();
        byObject.forEach((key, list) -> {
            Set<String> ignored = new HashSet<>();
            globalIgnore.forEach(c -> ignored.add(c.id()));
            GenericKubernetesResource r = objects.get(key);
            String annotation = r == null || r.getMetadata().getAnnotations() == null ? null
                    : r.getMetadata().getAnnotations().get(IGNORE_ANNOTATION);
            if (annotation != null) {
                Arrays.stream(annotation.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(ignored::add);
            }
            out.put(key, list.stream().filter(v -> !ignored.contains(v.code().id())).distinct()
                    .sorted(Comparator.comparing(Validation::severity).thenComparing(Validation::path)
                            .thenComparing(v -> v.code().id()))
                    .toList());
        });
        return out;
    }
}
