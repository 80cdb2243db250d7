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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The object store: fabric8's CRUD dispatcher, driven with in-process requests (they are neither counted nor
 * delayed). Paths are storage-version paths without query strings.
 */
final class ObjectStore {

    private final KubernetesCrudDispatcher crud;

    ObjectStore(KubernetesCrudDispatcher crud) {
        this.crud = crud;
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
     * Lists a collection (all namespaces when the path has none).
     *
     * @param collectionPath the collection path, optionally with a {@code labelSelector} the CRUD understands
     * @return the items and the list's resourceVersion
     */
    Listing list(String collectionPath) {
        MockResponse response = crud.handleGet(collectionPath);
        Map<String, Object> list = Json.parseObject(body(response));
        List<Map<String, Object>> items = new ArrayList<>(Json.mapsAt(list, "items"));
        String rv = Json.string(list, "metadata", "resourceVersion");
        return new Listing(items, rv == null ? "0" : rv);
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
