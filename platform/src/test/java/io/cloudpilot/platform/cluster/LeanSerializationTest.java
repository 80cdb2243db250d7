package io.cloudpilot.platform.cluster;

import java.util.Map;

import io.fabric8.kubernetes.api.model.Pod;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clients' serialization skips {@code metadata.managedFields} while reading and keeps everything else a view
 * shows: the fields after the skipped tree too, as fabric8's own serialization reads them.
 */
class LeanSerializationTest {

    private static final String POD = """
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"shop","uid":"u-1",
             "labels":{"app":"web"},"annotations":{"sidecar.istio.io/status":"{}"},
             "managedFields":[{"manager":"kubelet","operation":"Update","apiVersion":"v1",
               "fieldsType":"FieldsV1","fieldsV1":{"f:status":{"f:phase":{},"f:conditions":{".":{}}}}}],
             "resourceVersion":"42","ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-rs",
               "uid":"u-rs","controller":true}]},
             "spec":{"nodeName":"node-1","containers":[{"name":"app","image":"web:1"}]},
             "status":{"phase":"Running","podIP":"10.0.0.1"}}
            """;

    @Test
    void managedFieldsAreSkippedAndTheRestIsRead() {
        Pod pod = new LeanSerialization().unmarshal(POD, Pod.class);
        assertTrue(pod.getMetadata().getManagedFields() == null || pod.getMetadata().getManagedFields().isEmpty(),
                String.valueOf(pod.getMetadata().getManagedFields()));
        assertEquals("web-1", pod.getMetadata().getName());
        assertEquals(Map.of("app", "web"), pod.getMetadata().getLabels());
        assertEquals("{}", pod.getMetadata().getAnnotations().get("sidecar.istio.io/status"));
        assertEquals("42", pod.getMetadata().getResourceVersion(), "a field after the skipped tree");
        assertEquals("web-rs", pod.getMetadata().getOwnerReferences().getFirst().getName());
        assertEquals("node-1", pod.getSpec().getNodeName());
        assertEquals("Running", pod.getStatus().getPhase());
        assertFalse(pod.getMetadata().getAdditionalProperties().containsKey("managedFields"));

        // fabric8's own serialization reads them: the difference is the mixin, not the input
        Pod plain = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(POD, Pod.class);
        assertEquals(1, plain.getMetadata().getManagedFields().size());
    }
}
