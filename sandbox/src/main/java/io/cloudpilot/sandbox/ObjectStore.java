package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The object store: fabric8's CRUD dispatcher, driven with in-process requests (they are neither counted nor
 * delayed). Paths are storage-version paths without query strings.
 */
final class ObjectStore {

    private final KubernetesCrudDispatcher crud;
    private final AtomicLong resourceVersion;

    ObjectStore(KubernetesCrudDispatcher crud) {
        this.crud = crud;
        this.resourceVersion = storeVersion(crud);
    }

    /**
     * The CRUD's own version counter, which its lists report: it has no reader that does not also increment it, and
     * the sandbox reads the store directly ({@link #entries}).
     */
    private static AtomicLong storeVersion(KubernetesCrudDispatcher crud) {
        try {
            Field f = KubernetesCrudDispatcher.class.getDeclaredField("resourceVersion");
            f.setAccessible(true);
            return (AtomicLong) f.get(crud);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("this version of fabric8's mock server keeps its resourceVersion elsewhere",
                    e);
        }
    }

    KubernetesCrudDispatcher crud() {
        return crud;
    }

    /**
     * Stores a new object exactly as given (uid, creationTimestamp and status included). The CRUD's own POST
     * overwrites uid and creationTimestamp (with a fractional timestamp), so creations go through here. The caller
     * holds the sandbox's write lock and has checked that the object does not exist.
     *
     * @param collectionPath the storage-version collection path
     * @param object         the object; its resourceVersion is set here
     * @return the stored JSON
     */
    String insert(String collectionPath, Map<String, Object> object) {
        Json.metadata(object).put("resourceVersion", String.valueOf(crud.requestResourceVersion()));
        Json.metadata(object).putIfAbsent("generation", 1);
        String json = Json.write(object);
        GenericKubernetesResource resource = Serialization.unmarshal(json, GenericKubernetesResource.class);
        AttributeSet pathAttributes = crud.getKey(collectionPath)
                .add(new Attribute(KubernetesAttributesExtractor.NAME, Json.name(object)));
        if (crud.findResource(pathAttributes) != null) {
            throw new IllegalStateException("duplicate object " + collectionPath + "/" + Json.name(object));
        }
        crud.processEvent(collectionPath, pathAttributes, null, resource, json);
        return json;
    }

    /**
     * Stores a new object like {@link #insert} but without looking for an existing one first (a linear scan of the
     * store): for generated objects whose names are unique by construction, where the scan would make seeding
     * tens of thousands of objects quadratic.
     *
     * @param collectionPath the storage-version collection path
     * @param object         the object; its resourceVersion is set here
     */
    void insertUnchecked(String collectionPath, Map<String, Object> object) {
        Json.metadata(object).put("resourceVersion", String.valueOf(crud.requestResourceVersion()));
        Json.metadata(object).putIfAbsent("generation", 1);
        String json = Json.write(object);
        AttributeSet pathAttributes = crud.getKey(collectionPath)
                .add(new Attribute(KubernetesAttributesExtractor.NAME, Json.name(object)));
        crud.processEvent(collectionPath, pathAttributes, null, null, json);
    }

    boolean exists(String objectPath) {
        return crud.findResource(crud.getKey(objectPath)) != null;
    }

    /**
     * @param collectionPath a collection path
     * @return whether objects posted there lose their status (a CRD with the status subresource)
     */
    boolean statusSubresourceEnabled(String collectionPath) {
        return crud.isStatusSubresourceEnabledForResource(collectionPath);
    }

    Optional<Map<String, Object>> get(String objectPath) {
        MockResponse response = crud.handleGet(objectPath);
        if (response.code() != 200 || body(response).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Json.parseObject(body(response)));
    }

    /**
     * Lists a collection (all namespaces when the path has none), every object parsed: for collections of a
     * size a fixture holds. Lists that may be generated at scale go through {@link #entries}.
     *
     * @param collectionPath the collection path
     * @return the items and the list's resourceVersion
     */
    Listing list(String collectionPath) {
        Entries entries = entries(collectionPath);
        List<Map<String, Object>> items = new ArrayList<>(entries.items().size());
        for (Stored s : entries.items()) {
            items.add(s.object());
        }
        return new Listing(items, entries.resourceVersion());
    }

    /**
     * The objects of a collection as stored, without parsing them: a scaled cluster holds 150,000 pods, whose parsed
     * trees would need gigabytes where their JSON needs hundreds of megabytes.
     *
     * @param collectionPath the collection path (all namespaces when it has none), no query
     * @return the objects, unsorted, and the store's resourceVersion
     */
    Entries entries(String collectionPath) {
        AttributeSet query = crud.getAttributeExtractor().fromPath(collectionPath);
        List<Stored> items = new ArrayList<>();
        Map<AttributeSet, String> map = crud.getMap();
        // a synchronized map: iterating it needs its monitor, which every write of the CRUD takes
        synchronized (map) {
            for (Map.Entry<AttributeSet, String> e : map.entrySet()) {
                if (e.getKey().matches(query)) {
                    items.add(new Stored(value(e.getKey(), KubernetesAttributesExtractor.NAMESPACE),
                            value(e.getKey(), KubernetesAttributesExtractor.NAME), e.getValue()));
                }
            }
        }
        return new Entries(items, String.valueOf(resourceVersion.get()));
    }

    private static String value(AttributeSet attributes, String key) {
        Attribute a = attributes.getAttribute(key);
        return a == null || a.getValues().isEmpty() ? null : a.getValues().getFirst().toString();
    }

    /**
     * An object as stored.
     *
     * @param namespace its namespace, or null when cluster-scoped
     * @param name      its name
     * @param json      its JSON
     */
    record Stored(String namespace, String name, String json) {
        /** @return the object, parsed now */
        Map<String, Object> object() {
            return Json.parseObject(json);
        }

        /** @return namespace/name, or the name of a cluster-scoped object: the API server's list order */
        String key() {
            return namespace == null ? name : namespace + "/" + name;
        }
    }

    /**
     * The stored objects of a collection.
     *
     * @param items           the objects
     * @param resourceVersion the store's resourceVersion
     */
    record Entries(List<Stored> items, String resourceVersion) {
    }

    /**
     * A list result.
     *
     * @param items           the objects
     * @param resourceVersion the store's resourceVersion
     */
    record Listing(List<Map<String, Object>> items, String resourceVersion) {
    }

    MockResponse update(String path, Map<String, Object> object) {
        return crud.handleUpdate(request(HttpMethod.PUT, path, "application/json", Json.write(object)));
    }

    MockResponse update(String path, String json) {
        return crud.handleUpdate(request(HttpMethod.PUT, path, "application/json", json));
    }

    MockResponse delete(String path) {
        return crud.handleDelete(path);
    }

    /**
     * Updates an object and returns what was stored.
     *
     * @param objectPath the object path
     * @param object     the new object
     * @return the stored object
     * @throws ApiException when the store refuses
     */
    Map<String, Object> replace(String objectPath, Map<String, Object> object) {
        MockResponse response = update(objectPath, object);
        if (response.code() >= 300) {
            throw new ApiException(response.code(), "InternalError", "update of " + objectPath + " failed: "
                    + body(response), null);
        }
        return Json.parseObject(body(response));
    }

    static String body(MockResponse response) {
        Buffer body = response.getBody();
        return body == null ? "" : new String(body.getBytes(), StandardCharsets.UTF_8);
    }

    static RecordedRequest request(HttpMethod method, String path, String contentType, String body) {
        Headers headers = Headers.builder().add("Content-Type", contentType).build();
        return new RecordedRequest("HTTP/1.1", method, path, headers,
                new Buffer(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
    }
}
