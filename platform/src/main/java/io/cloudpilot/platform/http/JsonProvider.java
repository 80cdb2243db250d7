package io.cloudpilot.platform.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import io.cloudpilot.spi.ApiException;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Reads and writes JSON bodies with {@link Json#MAPPER}.
 */
@Provider
@Produces({MediaType.APPLICATION_JSON, "application/*+json"})
@Consumes({MediaType.APPLICATION_JSON, "application/*+json"})
public class JsonProvider implements MessageBodyWriter<Object>, MessageBodyReader<Object> {

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
        try {
            return Json.MAPPER.readValue(in, Json.MAPPER.constructType(genericType));
        } catch (UnrecognizedPropertyException e) {
            throw new BadRequestException("The request body has an unknown field "
                    + ApiException.quote(e.getPropertyName()) + "; accepted fields: " + e.getKnownPropertyIds() + ".",
                    e);
        } catch (JacksonException e) {
            // Never quote the parser's message: it may repeat a value of the body, and a body can hold a token.
            TokenStreamLocation where = e.getLocation();
            throw new BadRequestException("The request body is not valid JSON for this endpoint"
                    + (where == null ? "" : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
                    + ": send a JSON object with the documented fields.", e);
        }
    }

    private static boolean isJson(MediaType mediaType) {
        return mediaType == null
                || mediaType.isWildcardType()
                || "json".equalsIgnoreCase(mediaType.getSubtype())
                || mediaType.getSubtype().toLowerCase().endsWith("+json");
    }
}
