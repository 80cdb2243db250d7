package io.cloudpilot.platform.http;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import io.cloudpilot.platform.errors.Causes;
import io.cloudpilot.platform.json.Json;
import io.cloudpilot.spi.ApiException;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * What was wrong with a request body, in the caller's words and with the field named: a key given twice, an unknown
 * field (and the accepted ones), a value of the wrong type, a JSON limit passed, or not JSON at all. The parser's own
 * message is never quoted: it may repeat a value of the body, and a body can hold a token.
 */
final class BodyErrors {

    private BodyErrors() {
    }

    /**
     * @param e      why the body could not be read
     * @param parser the parser that read it (where it stopped names the field when the error does not)
     * @return the answer: 413 when the body is too large, else 400 naming the field
     */
    static RuntimeException of(JacksonException e, JsonParser parser) {
        var tooLarge = Causes.find(e, BodyTooLarge.class);
        if (tooLarge.isPresent()) {
            return tooLarge.get(); // the endpoint's byte limit, passed while the parser read
        }
        String field = field(e);
        if (e instanceof StreamConstraintsException) {
            // a value over a limit may be refused while it is read, before the mapper has put it on its path
            return limit(e, field != null ? field : parser.currentName());
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            String accepted = known == null ? "" : known.stream().map(String::valueOf).sorted()
                    .collect(Collectors.joining(", "));
            return invalid("The request body has an unknown field " + ApiException.quote(field)
                    + "; this endpoint accepts: " + accepted + ".", field);
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate Object property")) {
            String key = parser.currentName();
            return invalid("The request body gives the field " + ApiException.quote(key)
                    + " more than once; give each field once.", key);
        }
        if (e instanceof MismatchedInputException mismatch && field != null) {
            return invalid("Field " + ApiException.quote(field) + " of the request body must be "
                    + expected(mismatch.getTargetType()) + ".", field);
        }
        if (e instanceof InputCoercionException && field != null) {
            return invalid("Field " + ApiException.quote(field) + " of the request body is a number out of range.",
                    field);
        }
        if (e instanceof MismatchedInputException mismatch) {
            String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (m.startsWith("No content")) {
                return invalid("The request body is empty: send a JSON object with the fields this endpoint documents "
                        + "(/openapi).", null);
            }
            if (m.startsWith("Trailing token")) {
                return invalid("The request body holds more than one JSON value: send one JSON object.", null);
            }
            return invalid("The request body must be " + expected(mismatch.getTargetType()) + ".", null);
        }
        TokenStreamLocation where = e.getLocation();
        return invalid("The request body is not valid JSON"
                + (where == null || where.getLineNr() < 1 ? ""
                        : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")")
                + ": send a JSON object with the documented fields.", null);
    }

    /** A limit of {@link Json#BODIES}: the message names the limit, never the value. */
    private static RuntimeException limit(JacksonException e, String field) {
        String m = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        String what = field == null ? "A value of the request body"
                : "Field " + ApiException.quote(field) + " of the request body";
        if (m.contains("getMaxDocumentLength")) {
            return new BodyTooLarge(Json.MAX_DOCUMENT_BYTES);
        }
        if (m.contains("getMaxStringLength")) {
            return invalid(what + " is longer than " + Json.MAX_STRING_CHARS + " characters, the most CloudPilot "
                    + "reads in one string.", field);
        }
        if (m.contains("getMaxNestingDepth")) {
            return invalid("The request body nests objects and arrays deeper than " + Json.MAX_NESTING_DEPTH
                    + " levels.", field);
        }
        if (m.contains("getMaxNameLength")) {
            return invalid("A field name of the request body is longer than " + Json.MAX_NAME_CHARS + " characters.",
                    null);
        }
        if (m.contains("getMaxNumberLength")) {
            return invalid(what + " is a number longer than " + Json.MAX_NUMBER_DIGITS + " digits.", field);
        }
        if (m.contains("getMaxTokenCount")) {
            return invalid("The request body holds more than " + Json.MAX_TOKENS + " values.", null);
        }
        return invalid("The request body passes one of CloudPilot's JSON limits (docs/security.md).", field);
    }

    /** @return the path of the offending value, e.g. {@code replicas} or {@code items[2].name}; null at the root */
    private static String field(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of the documented type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class
                || type == Short.class || type == short.class || type == BigInteger.class) {
            return "an integer (a JSON number without a fraction, not a string)";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class
                || type == BigDecimal.class) {
            return "a number (not a string)";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false (a JSON boolean, not a string or a number)";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of the documented values";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a JSON object";
        }
        return "of the documented type";
    }

    private static ApiException.ValidationError invalid(String message, String field) {
        return new ApiException.ValidationError(message, field == null ? message : "field: " + field);
    }
}
