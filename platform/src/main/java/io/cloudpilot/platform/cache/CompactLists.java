package io.cloudpilot.platform.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.ObjectReader;

/**
 * Lists of the large kinds — pods, events, ReplicaSets, Endpoints, Deployments, Services, nodes — read by the
 * platform itself, parsed while the
 * body arrives and kept compact ({@link CompactShapes}): the cache uses this reader instead of the plugin's loader
 * for list keys of those kinds. The request is the list the plugin's loader would make (same path, namespace and
 * selectors), through the cluster's own client, so authentication, TLS, retries and error mapping are unchanged.
 * Objects (a key with a name) are still read by the plugin's loader: detail endpoints get the full object.
 */
final class CompactLists {

    /** A kind read compactly: its {@link CacheKey} kind, API path and model class. */
    enum Kind {
        PODS(CacheKind.PODS, "api/v1", Pod.class),
        EVENTS(CacheKind.EVENTS, "api/v1", Event.class),
        REPLICASETS(CacheKind.REPLICASETS, "apis/apps/v1", ReplicaSet.class),
        ENDPOINTS(CacheKind.ENDPOINTS, "api/v1", Endpoints.class),
        DEPLOYMENTS(CacheKind.DEPLOYMENTS, "apis/apps/v1", Deployment.class),
        SERVICES(CacheKind.SERVICES, "api/v1", Service.class),
        NODES(CacheKind.NODES, "api/v1", Node.class);

        private final CacheKind cacheKind;
        private final String groupVersionPath;
        private final Class<? extends HasMetadata> type;

        Kind(CacheKind cacheKind, String groupVersionPath, Class<? extends HasMetadata> type) {
            this.cacheKind = cacheKind;
            this.groupVersionPath = groupVersionPath;
            this.type = type;
        }

        Class<? extends HasMetadata> type() {
            return type;
        }

        CacheKind cacheKind() {
            return cacheKind;
        }

        static Optional<Kind> of(CacheKind cacheKind) {
            for (Kind k : values()) {
                if (k.cacheKind.equals(cacheKind)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }

        /** @return the collection's path under the API server's address, in all namespaces when {@code ""} */
        String path(String namespace) {
            return groupVersionPath + (namespace.isEmpty() ? "" : "/namespaces/" + encode(namespace)) + "/" + cacheKind;
        }
    }

    /**
     * A list and the resourceVersion it was read at.
     *
     * @param items           the objects, compact, in the order the cluster listed them
     * @param resourceVersion the list's resourceVersion
     * @param <T>             the object type
     */
    record Listing<T>(List<T> items, String resourceVersion) {
    }

    private static final int ERROR_BODY_LIMIT = 64 * 1024;

    private final Function<String, ClusterContext> clusters;
    private final CompactSerialization serialization = CompactSerialization.shared();

    /**
     * @param clusters resolves a cluster's name to its context (its client)
     */
    CompactLists(Function<String, ClusterContext> clusters) {
        this.clusters = clusters;
    }

    CompactSerialization serialization() {
        return serialization;
    }

    /** @return whether list answers of the kind are compact */
    static boolean compact(CacheKind cacheKind) {
        return Kind.of(cacheKind).isPresent();
    }

    /**
     * @param key a cache key
     * @return the platform's reader for it when it is a list of a compact kind, else empty (the plugin's loader)
     */
    Optional<Supplier<Object>> reader(CacheKey key) {
        if (!key.name().isEmpty()) {
            return Optional.empty();
        }
        return Kind.of(key.kind()).map(kind -> () -> {
            KubernetesClient client = clusters.apply(key.cluster()).client();
            return read(client, kind, key.namespace(), key.labelSelector(), key.fieldSelector(), null).items();
        });
    }

    /**
     * Lists a kind, parsing the body as it arrives.
     *
     * @param client        the cluster's client
     * @param kind          the kind
     * @param namespace     a namespace, or "" for all
     * @param labelSelector a label selector, or ""
     * @param fieldSelector a field selector, or ""
     * @param query         more query parameters ({@code limit}, {@code continue}), or null
     * @return the list
     * @throws KubernetesClientException as fabric8 throws it for a failed request (the cluster's status, or the I/O
     *                                   failure as cause), so that {@code UpstreamErrors} maps it as any other read
     */
    <T extends HasMetadata> Listing<T> read(KubernetesClient client, Kind kind, String namespace, String labelSelector,
                                            String fieldSelector, Map<String, String> query) {
        StringBuilder url = new StringBuilder(client.getMasterUrl().toString());
        if (url.charAt(url.length() - 1) != '/') {
            url.append('/');
        }
        url.append(kind.path(namespace == null ? "" : namespace));
        char separator = '?';
        for (String[] param : new String[][] {{"labelSelector", labelSelector}, {"fieldSelector", fieldSelector}}) {
            if (param[1] != null && !param[1].isEmpty()) {
                url.append(separator).append(param[0]).append('=').append(encode(param[1]));
                separator = '&';
            }
        }
        if (query != null) {
            for (Map.Entry<String, String> e : query.entrySet()) {
                url.append(separator).append(e.getKey()).append('=').append(encode(e.getValue()));
                separator = '&';
            }
        }
        HttpClient http = client.getHttpClient();
        // cluster.request-timeout, as fabric8's own requests carry it (OperationSupport.withRequestTimeout)
        HttpRequest request = http.newHttpRequestBuilder().uri(url.toString()).header("Accept", "application/json")
                .timeout(client.getConfiguration().getRequestTimeout(), TimeUnit.MILLISECONDS)
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.sendAsync(request, InputStream.class).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KubernetesClientException("interrupted while listing " + kind.cacheKind(),
                    new InterruptedIOException("interrupted"));
        } catch (ExecutionException e) {
            throw e.getCause() instanceof KubernetesClientException k ? k
                    : new KubernetesClientException("listing " + kind.cacheKind() + " failed", e.getCause());
        }
        try (InputStream body = response.body()) {
            if (!response.isSuccessful()) {
                throw failure(response.code(), body);
            }
            return parse(body, kind);
        } catch (IOException | tools.jackson.core.JacksonException e) {
            throw new KubernetesClientException("reading the list of " + kind.cacheKind() + " failed", e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> Listing<T> parse(InputStream body, Kind kind) {
        ObjectReader reader = serialization.reader(kind.type(), Interner.forOneRead());
        List<T> items = new ArrayList<>();
        String resourceVersion = null;
        try (JsonParser p = reader.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new KubernetesClientException("the list of " + kind.cacheKind() + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("items".equals(field) && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        items.add((T) reader.readValue(p));
                    }
                } else if ("metadata".equals(field) && value == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                        String name = p.currentName();
                        p.nextToken();
                        if ("resourceVersion".equals(name)) {
                            resourceVersion = p.getValueAsString();
                        } else {
                            p.skipChildren();
                        }
                    }
                } else if ("kind".equals(field) && "Status".equals(p.getValueAsString())) {
                    throw new KubernetesClientException("the cluster answered a Status instead of a list of "
                            + kind.cacheKind());
                } else {
                    p.skipChildren();
                }
            }
        }
        if (items instanceof ArrayList<T> a) {
            a.trimToSize();
        }
        return new Listing<>(Collections.unmodifiableList(items), resourceVersion);
    }

    private KubernetesClientException failure(int code, InputStream body) throws IOException {
        byte[] bytes = body.readNBytes(ERROR_BODY_LIMIT);
        Status status;
        try {
            status = serialization.unmarshal(new String(bytes, StandardCharsets.UTF_8), Status.class);
        } catch (RuntimeException notStatus) {
            status = null;
        }
        if (status == null || status.getCode() == null) {
            status = new StatusBuilder().withCode(code).withMessage("HTTP " + code).build();
        }
        return new KubernetesClientException(status);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
