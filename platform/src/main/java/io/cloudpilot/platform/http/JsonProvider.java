package io.cloudpilot.platform.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;

import io.cloudpilot.platform.json.Json;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.Clusters;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;

/**
 * Writes every JSON answer with {@link Json#MAPPER}, and reads every JSON request body with {@link Json#BODIES}:
 * strictly, within the JSON limits, errors named by field ({@link BodyErrors}). Records, maps, lists and
 * {@code JsonNode}s, the platform's and the plugins' alike, are read here.
 */
@Provider
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
public class JsonProvider implements MessageBodyWriter<Object>, MessageBodyReader<Object> {

    private volatile Boolean serverMode;

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type != String.class && isJson(mediaType);
    }

    /**
     * Writes the body as one array with its {@code Content-Length}. Streaming it instead made Jersey buffer the first
     * 8 KiB and Helidon send the rest chunked, copying every 8 KiB piece into a new buffer: for a 50 KiB page of
     * pods, about 150 KiB of garbage per request, and most of the garbage the server made (docs/performance.md).
     */
    @Override
    public void writeTo(Object value, Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                        MultivaluedMap<String, Object> headers, OutputStream out) throws java.io.IOException {
        byte[] body = Json.MAPPER.writeValueAsBytes(value);
        headers.putSingle(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length));
        out.write(body); // not closed: the container owns the stream
    }

    @Override
    public boolean isReadable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type != String.class && isJson(mediaType);
    }

    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
                           MultivaluedMap<String, String> headers, InputStream in) {
        Object body;
        try (JsonParser parser = Json.BODIES.createParser(in)) {
            try {
                body = Json.BODIES.readValue(parser, Json.BODIES.constructType(genericType));
            } catch (JacksonException e) {
                throw BodyErrors.of(e, parser);
            }
        }
        requireClusterName(type, body);
        return body;
    }

    /**
     * {@code cluster_name} of a body is required in server mode, as it is of a query: said here, so that the caller is
     * told it is a field of the body (the resource's {@code Clusters.resolve} cannot know where the name came from).
     */
    private void requireClusterName(Class<?> type, Object body) {
        RecordComponent clusterName = body instanceof Record ? clusterName(type) : null;
        if (clusterName == null) {
            return;
        }
        Object name;
        try {
            java.lang.reflect.Method accessor = clusterName.getAccessor();
            accessor.setAccessible(true); // a plugin's record may sit in a class of its package
            name = accessor.invoke(body);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return; // then the resource's own Clusters.resolve still refuses a missing name
        }
        if ((name == null || name.toString().isBlank()) && serverMode()) {
            throw new ApiException.ValidationError("Field 'cluster_name' of the request body is required in server "
                    + "mode: name one of the clusters of GET /k8s/cluster/list.", "field: cluster_name");
        }
    }

    private static RecordComponent clusterName(Class<?> type) {
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equals("clusterName") && c.getType() == String.class) {
                    return c;
                }
            }
        }
        return null;
    }

    private boolean serverMode() {
        Boolean server = serverMode;
        if (server == null) {
            server = CDI.current().select(Clusters.class).get().mode() == Clusters.Mode.SERVER;
            serverMode = server;
        }
        return server;
    }

    private static boolean isJson(MediaType mediaType) {
        return mediaType == null
                || mediaType.isWildcardType()
                || "json".equalsIgnoreCase(mediaType.getSubtype())
                || mediaType.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("+json");
    }
}
