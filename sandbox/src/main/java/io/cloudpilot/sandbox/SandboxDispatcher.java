package io.cloudpilot.sandbox;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The sandbox API server: authentication, the outage and latency switches, request counting, discovery, and every
 * resource request. Objects live in fabric8's CRUD store ({@link ObjectStore}); this class adds what the CRUD mode
 * lacks or gets wrong (see the module README): field and set-based label selectors, sorting and paging of lists,
 * Status bodies, real merge/strategic/JSON patches, dry-run, one store for every version of a group, pod logs, the
 * scale subresource, metrics, and a 404 for unknown paths.
 *
 * <p>All requests run under one read/write lock (writes exclusive), so the store's map is never read while it is
 * changed outside the CRUD's own lock (creations bypass the CRUD's POST to keep uid and creationTimestamp real).
 */
final class SandboxDispatcher extends KubernetesMixedDispatcher {

    private static final System.Logger LOG = System.getLogger(SandboxDispatcher.class.getName());
    private static final int QUEUE_RESET_EVERY = 100;
    private static final String JSON = "application/json";

    private final ApiCatalog catalog;
    private final KubernetesCrudDispatcher crud;
    private final ObjectStore store;
    private final RequestCounter counter = new RequestCounter();
    private final byte[] expectedAuthorization;
    private final Clock clock;
    private final PodLogs logs;
    private final Scaler scaler;
    private final MetricsApi metrics;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, Object> versionInfo;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean failing;
    private volatile boolean failingWrites;
    private volatile Runnable queueReset = () -> { };
    private volatile String serverAddress = "127.0.0.1:443";

    SandboxDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, String token, Clock clock) {
        super(responses);
        this.catalog = new ApiCatalog();
        this.crud = new KubernetesCrudDispatcher();
        this.store = new ObjectStore(crud);
        this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.clock = clock;
        this.logs = new PodLogs(store, clock);
        this.scaler = new Scaler(store, clock);
        this.metrics = new MetricsApi(store, clock);
        this.versionInfo = versionInfo();
    }

    private static Map<String, Object> versionInfo() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("major", "1");
        v.put("minor", "30");
        v.put("gitVersion", "v1.30.2");
        v.put("gitCommit", "39683505b630ff2121012f3c5b16215a1449d5ed");
        v.put("gitTreeState", "clean");
        v.put("buildDate", "2024-06-11T20:21:00Z");
        v.put("goVersion", "go1.22.4");
        v.put("compiler", "gc");
        v.put("platform", "linux/amd64");
        return v;
    }

    ApiCatalog catalog() {
        return catalog;
    }

    ObjectStore store() {
        return store;
    }

    RequestCounter counter() {
        return counter;
    }

    void latency(Duration d) {
        latency = d == null || d.isNegative() ? Duration.ZERO : d;
    }

    void failingWrites(boolean b) {
        failingWrites = b;
    }

    void failing(boolean b) {
        failing = b;
    }

    void queueReset(Runnable r) {
        queueReset = Objects.requireNonNull(r);
    }

    void serverAddress(String hostPort) {
        serverAddress = hostPort;
    }

    /**
     * Runs an action under the write lock (seeding, tests).
     *
     * @param action the action
     */
    void locked(Runnable action) {
        withLock(lock.writeLock(), () -> {
            action.run();
            return null;
        });
    }

    @Override
    public MockResponse dispatch(RecordedRequest recorded) {
        ApiRequest req = ApiRequest.of(recorded);
        if (counter.record(req.method(), req.path()) % QUEUE_RESET_EVERY == 0) {
            queueReset.run();
        }
        MockResponse response;
        try {
            response = handle(req);
        } catch (ApiException e) {
            response = json(e.code(), e.status());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Sandbox request " + req.method() + " " + req.path() + " failed", e);
            response = json(500, ApiException.internal(e.toString()).status());
        }
        Duration d = latency;
        if (!d.isZero() && response.getWebSocketListener() == null) {
            response.setBodyDelay(d);
        }
        return response;
    }

    @Override
    public void reset() {
        locked(crud::reset);
    }

    private MockResponse handle(ApiRequest req) {
        if (failing || (failingWrites && !req.method().equals("GET"))) {
            throw ApiException.internal("the sandbox cluster is failing (simulated outage)");
        }
        String auth = req.header("Authorization");
        if (auth == null || !MessageDigest.isEqual(expectedAuthorization, auth.trim().getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized();
        }
        String path = req.path();
        switch (path) {
            case "/":
                return discovery(req, catalog::rootPaths);
            case "/version":
                return discovery(req, () -> versionInfo);
            case "/healthz", "/livez", "/readyz":
                requireGet(req);
                return text(200, "ok");
            case "/api":
                return discovery(req, () -> catalog.apiVersions(serverAddress));
            case "/apis":
                return discovery(req, catalog::apiGroupList);
            default:
                break;
        }
        String[] segments = path.substring(1).split("/");
        if (segments.length == 2 && segments[0].equals("apis")) {
            return discovery(req, () -> catalog.apiGroup(catalog.group(segments[1])
                    .orElseThrow(ApiException::noSuchPath)));
        }
        ResourcePath rp = ResourcePath.parse(path, catalog);
        if (rp == null) {
            throw ApiException.noSuchPath();
        }
        if (rp.resource() == null) {
            return discovery(req, () -> catalog.apiResourceList(rp.groupVersion()));
        }
        return resource(req, rp);
    }

    private MockResponse discovery(ApiRequest req, Supplier<Map<String, Object>> document) {
        requireGet(req);
        return json(200, document.get());
    }

    private static void requireGet(ApiRequest req) {
        if (!req.method().equals("GET")) {
            throw ApiException.methodNotAllowed();
        }
    }

    private MockResponse resource(ApiRequest req, ResourcePath rp) {
        String verb = verb(req, rp);
        String sub = rp.subresource();
        if (sub == null && !rp.resource().verbs().contains(verb)) {
            throw ApiException.methodNotAllowed();
        }
        if (rp.group().equals(ApiCatalog.METRICS)) {
            return read(() -> json(200, metrics.handle(req, rp)));
        }
        if (rp.group().equals(ApiCatalog.EVENTS)) {
            return read(() -> eventsV1(req, rp));
        }
        if ("log".equals(sub)) {
            requireGet(req);
            return read(() -> logs.handle(req, rp));
        }
        if ("scale".equals(sub)) {
            return req.method().equals("GET") ? read(() -> json(200, scaler.handle(req, rp)))
                    : write(() -> json(200, scaler.handle(req, rp)));
        }
        if (sub != null && !sub.equals("status")) {
            throw new ApiException(405, "MethodNotAllowed", "the sandbox cluster does not implement "
                    + rp.resource().plural() + "/" + sub, null);
        }
        return switch (verb) {
            case "get" -> read(() -> get(rp));
            case "list" -> read(() -> list(req, rp));
            case "watch" -> read(() -> watch(req, rp));
            case "create" -> write(() -> create(req, rp));
            case "update" -> write(() -> update(req, rp));
            case "patch" -> write(() -> patch(req, rp));
            case "delete" -> write(() -> delete(req, rp));
            case "deletecollection" -> write(() -> deleteCollection(req, rp));
            default -> throw ApiException.methodNotAllowed();
        };
    }

    private static String verb(ApiRequest req, ResourcePath rp) {
        boolean object = rp.name() != null;
        return switch (req.method()) {
            case "GET" -> req.flag("watch") ? "watch" : object ? "get" : "list";
            case "POST" -> object || (rp.resource().namespaced() && rp.namespace() == null) ? "none" : "create";
            case "PUT" -> object ? "update" : "none";
            case "PATCH" -> object ? "patch" : "none";
            case "DELETE" -> object ? "delete" : rp.resource().namespaced() && rp.namespace() == null
                    ? "none" : "deletecollection";
            default -> "none";
        };
    }

    private MockResponse read(Supplier<MockResponse> action) {
        return withLock(lock.readLock(), action);
    }

    private MockResponse write(Supplier<MockResponse> action) {
        return withLock(lock.writeLock(), action);
    }

    private static <T> T withLock(Lock l, Supplier<T> action) {
        l.lock();
        try {
            return action.get();
        } finally {
            l.unlock();
        }
    }

    // --- generic resource verbs -------------------------------------------------------------------------------

    private String storageVersion(ResourcePath rp) {
        return catalog.storageVersion(rp.group());
    }

    private String storagePath(ResourcePath rp) {
        String path = rp.pathAt(storageVersion(rp));
        return rp.subresource() == null ? path : path + "/" + rp.subresource();
    }

    private String storageApiVersion(ResourcePath rp) {
        return rp.group().isEmpty() ? storageVersion(rp) : rp.group() + "/" + storageVersion(rp);
    }

    /** Objects are stored at the group's first version; answer with the apiVersion the client asked for. */
    private Map<String, Object> served(ResourcePath rp, Map<String, Object> object) {
        if (!storageVersion(rp).equals(rp.groupVersion().version())) {
            object.put("apiVersion", rp.groupVersion().apiVersion());
        }
        return object;
    }

    private MockResponse get(ResourcePath rp) {
        Map<String, Object> object = store.get(storagePath(rp)).orElseThrow(rp::notFound);
        return json(200, served(rp, object));
    }

    /**
     * A list, written from the stored JSON of its objects: nothing is parsed unless a selector or another version
     * than the stored one needs it, so that a scaled cluster's 150,000 pods list without building their trees.
     */
    private MockResponse list(ApiRequest req, ResourcePath rp) {
        ObjectStore.Entries entries = store.entries(rp.collectionPathAt(storageVersion(rp)));
        String labelSelector = req.param("labelSelector");
        String fieldSelector = req.param("fieldSelector");
        boolean parse = (labelSelector != null && !labelSelector.isEmpty())
                || (fieldSelector != null && !fieldSelector.isEmpty())
                || !storageVersion(rp).equals(rp.groupVersion().version());
        Predicate<Map<String, String>> labels = Selectors.labels(labelSelector);
        Predicate<Map<String, Object>> fields = Selectors.fields(fieldSelector, rp.resource().plural());
        List<ObjectStore.Stored> selected = new ArrayList<>();
        for (ObjectStore.Stored item : entries.items()) {
            if (!parse) {
                selected.add(item);
                continue;
            }
            Map<String, Object> object = item.object();
            if (labels.test(Json.labels(object)) && fields.test(object)) {
                selected.add(new ObjectStore.Stored(item.namespace(), item.name(), Json.write(served(rp, object))));
            }
        }
        selected.sort(Comparator.comparing(ObjectStore.Stored::key));
        return ListBody.of(req, rp.groupVersion().apiVersion(), rp.resource().kind() + "List", selected,
                entries.resourceVersion());
    }

    /** Applies label and field selectors and sorts by namespace/name, the order of a real API server. */
    private static List<Map<String, Object>> select(ApiRequest req, List<Map<String, Object>> items, String plural) {
        Predicate<Map<String, String>> labels = Selectors.labels(req.param("labelSelector"));
        Predicate<Map<String, Object>> fields = Selectors.fields(req.param("fieldSelector"), plural);
        List<Map<String, Object>> selected = new ArrayList<>();
        for (Map<String, Object> item : items) {
            if (labels.test(Json.labels(item)) && fields.test(item)) {
                selected.add(item);
            }
        }
        selected.sort(Comparator.comparing(SandboxDispatcher::key));
        return selected;
    }

    private static String key(Map<String, Object> object) {
        String ns = Json.namespace(object);
        return ns == null ? Json.name(object) : ns + "/" + Json.name(object);
    }

    /** A list with {@code limit}/{@code continue} paging (continue tokens in the API server's own format). */
    static Map<String, Object> listDocument(ApiRequest req, String apiVersion, String kind,
                                            List<Map<String, Object>> items, String resourceVersion) {
        List<Map<String, Object>> page = items;
        String continueToken = null;
        long remaining = 0;
        String token = req.param("continue");
        if (token != null && !token.isEmpty()) {
            String start = decodeContinue(token);
            page = page.stream().filter(i -> key(i).compareTo(start) >= 0).toList();
        }
        Long limit = req.longParam("limit");
        if (limit != null && limit > 0 && page.size() > limit) {
            remaining = page.size() - limit;
            page = page.subList(0, limit.intValue());
            continueToken = encodeContinue(key(page.get(page.size() - 1)) + "\u0000", resourceVersion);
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("resourceVersion", resourceVersion);
        if (continueToken != null) {
            metadata.put("continue", continueToken);
            metadata.put("remainingItemCount", remaining);
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("apiVersion", apiVersion);
        list.put("kind", kind);
        list.put("metadata", metadata);
        list.put("items", page);
        return list;
    }

    static String encodeContinue(String start, String resourceVersion) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("v", "meta.k8s.io/v1");
        token.put("rv", Long.parseLong(resourceVersion));
        token.put("start", start);
        return Base64.getUrlEncoder().encodeToString(Json.write(token).getBytes(StandardCharsets.UTF_8));
    }

    static String decodeContinue(String token) {
        try {
            Map<String, Object> decoded = Json.parseObject(new String(Base64.getUrlDecoder().decode(token),
                    StandardCharsets.UTF_8));
            return Objects.requireNonNull(Json.string(decoded, "start"));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("continue key is not valid: " + token);
        }
    }

    /**
     * Hands a watch to the CRUD mock, at the storage version. The query is re-encoded with literal {@code =} and
     * {@code ,} because the mock reads the watched name from the raw query string; a watch on an object path (the old
     * form) becomes a {@code metadata.name} field selector.
     */
    private MockResponse watch(ApiRequest req, ResourcePath rp) {
        Map<String, String> query = new LinkedHashMap<>(req.query());
        if (rp.name() != null) {
            String selector = query.get("fieldSelector");
            query.put("fieldSelector", "metadata.name=" + rp.name() + (selector == null || selector.isEmpty() ? ""
                    : "," + selector));
        }
        StringBuilder target = new StringBuilder(rp.collectionPathAt(storageVersion(rp)));
        char separator = '?';
        for (Map.Entry<String, String> e : query.entrySet()) {
            target.append(separator).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            separator = '&';
        }
        MockResponse response = crud.handleGet(target.toString());
        if (response.getWebSocketListener() == null) {
            return withJson(response);
        }
        return response.withWebSocketUpgrade(new WatchStream(response.getWebSocketListener(), lock.readLock()));
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("%3D", "=").replace("%2C", ",")
                .replace("%21", "!");
    }

    private MockResponse create(ApiRequest req, ResourcePath rp) {
        Map<String, Object> object = body(req);
        checkApiVersion(rp, object);
        object.put("apiVersion", storageApiVersion(rp));
        Map<String, Object> metadata = Json.mapAt(object, "metadata");
        if (metadata == null) {
            throw ApiException.invalid(rp.resource().kind() + " is invalid: metadata: Required value");
        }
        String name = Json.name(object);
        if (name == null || name.isEmpty()) {
            String generateName = Json.string(object, "metadata", "generateName");
            if (generateName == null || generateName.isEmpty()) {
                throw ApiException.invalid(rp.resource().kind() + " \"\" is invalid: metadata.name: Required value: "
                        + "name or generateName is required");
            }
            name = generateName + Names.suffix(UUID.randomUUID().toString(), 5);
            metadata.put("name", name);
        }
        String ns = Json.namespace(object);
        if (rp.resource().namespaced()) {
            if (ns != null && !ns.isEmpty() && !ns.equals(rp.namespace())) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace "
                        + "sent on the request");
            }
            metadata.put("namespace", rp.namespace());
        } else {
            metadata.remove("namespace");
        }
        String collection = rp.collectionPathAt(storageVersion(rp));
        if (store.exists(collection + "/" + name)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("name", name);
            if (!rp.group().isEmpty()) {
                details.put("group", rp.group());
            }
            details.put("kind", rp.resource().plural());
            throw new ApiException(409, "AlreadyExists", (rp.group().isEmpty() ? rp.resource().plural()
                    : rp.resource().plural() + "." + rp.group()) + " \"" + name + "\" already exists", details);
        }
        metadata.put("uid", UUID.randomUUID().toString());
        metadata.put("creationTimestamp", Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        metadata.put("generation", 1);
        metadata.remove("resourceVersion");
        metadata.remove("deletionTimestamp");
        if (store.statusSubresourceEnabled(collection)) {
            object.remove("status");
        }
        if (req.dryRun()) {
            return json(201, served(rp, object));
        }
        Map<String, Object> stored = Json.parseObject(store.insert(collection, object));
        return json(201, served(rp, stored));
    }

    private MockResponse update(ApiRequest req, ResourcePath rp) {
        Map<String, Object> object = body(req);
        checkApiVersion(rp, object);
        object.put("apiVersion", storageApiVersion(rp));
        return store(req, rp, object);
    }

    /** Writes a full object (after PUT or PATCH) through the CRUD's update, which checks resourceVersion. */
    private MockResponse store(ApiRequest req, ResourcePath rp, Map<String, Object> object) {
        String path = storagePath(rp);
        Map<String, Object> current = store.get(rp.pathAt(storageVersion(rp))).orElseThrow(rp::notFound);
        String expected = Json.string(object, "metadata", "resourceVersion");
        if (expected != null && !expected.isEmpty()
                && !expected.equals(Json.string(current, "metadata", "resourceVersion"))) {
            throw ApiException.conflict(rp.resource().plural(), rp.group(), rp.name());
        }
        String name = Json.name(object);
        if (name != null && !name.isEmpty() && !name.equals(rp.name())) {
            throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL ("
                    + rp.name() + ")");
        }
        if (req.dryRun()) {
            Map<String, Object> result = "status".equals(rp.subresource()) ? Json.copy(current) : Json.copy(object);
            if ("status".equals(rp.subresource())) {
                result.put("status", object.get("status"));
            }
            result.put("metadata", current.get("metadata"));
            return json(200, served(rp, result));
        }
        MockResponse response = store.update(path, object);
        if (response.code() == 404) {
            throw rp.notFound();
        }
        if (response.code() >= 300) {
            return withJson(response);
        }
        return json(200, served(rp, Json.parseObject(ObjectStore.body(response))));
    }

    private MockResponse patch(ApiRequest req, ResourcePath rp) {
        String contentType = req.contentType();
        String objectPath = rp.pathAt(storageVersion(rp));
        Map<String, Object> current = store.get(objectPath).orElse(null);
        Object patch;
        try {
            patch = contentType.equals("application/apply-patch+yaml") ? Json.parseYaml(req.body())
                    : Json.parse(req.body());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the request body is not valid: " + e.getMessage());
        }
        if (current == null) {
            if (contentType.equals("application/apply-patch+yaml") && rp.subresource() == null
                    && Json.map(patch) != null) {
                return create(withBody(req, Json.write(patch)), new ResourcePath(rp.groupVersion(), rp.resource(),
                        rp.namespace(), null, null));
            }
            throw rp.notFound();
        }
        served(rp, current);
        Object patched = switch (contentType) {
            case "application/json-patch+json" -> Json.jsonPatch(current, patch);
            case "application/merge-patch+json" -> Json.mergePatch(current, patch);
            case "application/strategic-merge-patch+json", "application/apply-patch+yaml" ->
                    Json.strategicMergePatch(current, patch);
            default -> throw ApiException.unsupportedMediaType(contentType);
        };
        Map<String, Object> object = Json.map(patched);
        if (object == null) {
            throw ApiException.invalid("the patched object is not a JSON object");
        }
        if (!Objects.equals(Json.name(object), rp.name())) {
            throw ApiException.badRequest("metadata.name: Invalid value: the name of the object cannot be changed");
        }
        object.put("apiVersion", storageApiVersion(rp));
        return store(req, rp, object);
    }

    private static ApiRequest withBody(ApiRequest req, String body) {
        RecordedRequest r = ObjectStore.request(io.fabric8.mockwebserver.dsl.HttpMethod.POST, req.path(),
                "application/json", body);
        return new ApiRequest("POST", req.path(), req.query(), r);
    }

    private MockResponse delete(ApiRequest req, ResourcePath rp) {
        String path = rp.pathAt(storageVersion(rp));
        Map<String, Object> current = store.get(path).orElseThrow(rp::notFound);
        if (req.dryRun()) {
            return json(200, served(rp, current));
        }
        MockResponse response = store.delete(path);
        if (response.code() == 404) {
            throw rp.notFound();
        }
        String propagation = propagationPolicy(req);
        if (!"Orphan".equals(propagation)) {
            Dependents.deleteDependents(store, catalog, current);
        }
        return withJson(response.code() == 200 && ObjectStore.body(response).isEmpty()
                ? json(200, current) : response);
    }

    private static String propagationPolicy(ApiRequest req) {
        String p = req.param("propagationPolicy");
        if (p == null && req.body().contains("propagationPolicy")) {
            try {
                p = Json.string(Json.parseObject(req.body()), "propagationPolicy");
            } catch (RuntimeException e) {
                p = null;
            }
        }
        return p;
    }

    private MockResponse deleteCollection(ApiRequest req, ResourcePath rp) {
        ObjectStore.Listing listing = store.list(rp.collectionPathAt(storageVersion(rp)));
        List<Map<String, Object>> items = select(req, listing.items(), rp.resource().plural());
        if (!req.dryRun()) {
            for (Map<String, Object> item : items) {
                ResourcePath one = new ResourcePath(rp.groupVersion(), rp.resource(), Json.namespace(item),
                        Json.name(item), null);
                store.delete(one.pathAt(storageVersion(rp)));
                if (!"Orphan".equals(propagationPolicy(req))) {
                    Dependents.deleteDependents(store, catalog, item);
                }
            }
        }
        items.forEach(item -> served(rp, item));
        return json(200, listDocument(req, rp.groupVersion().apiVersion(), rp.resource().kind() + "List", items,
                listing.resourceVersion()));
    }

    private static Map<String, Object> body(ApiRequest req) {
        String body = req.body();
        if (body.isBlank()) {
            throw ApiException.badRequest("the request body is empty");
        }
        try {
            String ct = req.contentType();
            return ct.contains("yaml") ? Objects.requireNonNull(Json.map(Json.parseYaml(body)))
                    : Json.parseObject(body);
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getMessage());
        }
    }

    private static void checkApiVersion(ResourcePath rp, Map<String, Object> object) {
        Object kind = object.get("kind");
        Object apiVersion = object.get("apiVersion");
        if (kind == null || String.valueOf(kind).isEmpty()) {
            throw ApiException.badRequest("Object 'Kind' is missing in '" + Json.write(object) + "'");
        }
        if (apiVersion != null && !apiVersion.equals(rp.groupVersion().apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the "
                    + "expected API version (" + rp.groupVersion().apiVersion() + ")");
        }
        if (!kind.equals(rp.resource().kind())) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + rp.resource().kind() + ")");
        }
    }

    // --- events.k8s.io/v1: the core events, converted -------------------------------------------------------

    private MockResponse eventsV1(ApiRequest req, ResourcePath rp) {
        if (!req.method().equals("GET") || req.flag("watch")) {
            throw new ApiException(405, "MethodNotAllowed", "the sandbox cluster serves events.k8s.io/v1 events "
                    + "read-only (list and get); write and watch core v1 events instead", null);
        }
        ResourcePath core = new ResourcePath(catalog.core(), catalog.core().resource("events").orElseThrow(),
                rp.namespace(), rp.name(), null);
        if (rp.name() != null) {
            Map<String, Object> event = store.get(core.pathAt("v1")).orElseThrow(rp::notFound);
            return json(200, EventConversion.toEventsV1(event));
        }
        ObjectStore.Listing listing = store.list(core.collectionPathAt("v1"));
        String fieldSelector = EventConversion.coreFieldSelector(req.param("fieldSelector"));
        Map<String, String> query = new LinkedHashMap<>(req.query());
        if (fieldSelector != null) {
            query.put("fieldSelector", fieldSelector);
        }
        ApiRequest coreRequest = new ApiRequest(req.method(), req.path(), query, req.request());
        List<Map<String, Object>> items = select(coreRequest, listing.items(), "events").stream()
                .map(EventConversion::toEventsV1)
                .toList();
        return json(200, listDocument(req, "events.k8s.io/v1", "EventList", items, listing.resourceVersion()));
    }

    // --- responses ------------------------------------------------------------------------------------------

    static MockResponse json(int code, Object body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", JSON).setBody(Json.write(body));
    }

    static MockResponse text(int code, String body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "text/plain; charset=utf-8")
                .setBody(body);
    }

    private static MockResponse withJson(MockResponse response) {
        if (response.getHeaders().get("Content-Type") == null) {
            response.setHeader("Content-Type", JSON);
        }
        return response;
    }
}
