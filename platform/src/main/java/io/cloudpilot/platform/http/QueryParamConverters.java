package io.cloudpilot.platform.http;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;
import jakarta.ws.rs.ext.Provider;

/**
 * Converters for the parameter types the API uses ({@code String}, {@code Integer}/{@code int}, {@code Long}/{@code
 * long}, {@code Boolean}/{@code boolean}), found before Jersey's own. Jersey resolves the converters of a
 * {@code @BeanParam}'s fields again on every request (the bean is created per request), and its built-in search
 * for a {@code String} tries {@code valueOf(String)} and {@code fromString(String)} by reflection first, each failing
 * with an exception: about twenty exceptions per list request, a third of its CPU time (docs/performance.md). A
 * primitive without a {@code @DefaultValue} is left to Jersey, which gives it 0 or false when it is absent.
 * Conversion failures throw {@link IllegalArgumentException}, as Jersey's converters do, so a malformed value is
 * answered as before.
 */
@Provider
public class QueryParamConverters implements ParamConverterProvider {

    private static final ParamConverter<String> STRING = converter(s -> s);
    private static final ParamConverter<Integer> INTEGER = converter(Integer::valueOf);
    private static final ParamConverter<Long> LONG = converter(Long::valueOf);
    private static final ParamConverter<Boolean> BOOLEAN = converter(Boolean::valueOf);

    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        if (rawType.isPrimitive() && !hasDefault(annotations)) {
            return null; // Jersey supplies 0/false for an absent primitive without a default; a converter cannot
        }
        if (rawType == String.class) {
            return (ParamConverter<T>) STRING;
        } else if (rawType == Integer.class || rawType == int.class) {
            return (ParamConverter<T>) INTEGER;
        } else if (rawType == Long.class || rawType == long.class) {
            return (ParamConverter<T>) LONG;
        } else if (rawType == Boolean.class || rawType == boolean.class) {
            return (ParamConverter<T>) BOOLEAN;
        }
        return null;
    }

    private static boolean hasDefault(Annotation[] annotations) {
        if (annotations != null) {
            for (Annotation a : annotations) {
                if (a instanceof jakarta.ws.rs.DefaultValue) {
                    return true;
                }
            }
        }
        return false;
    }

    private static <T> ParamConverter<T> converter(java.util.function.Function<String, T> parse) {
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    throw new IllegalArgumentException("no value");
                }
                return parse.apply(value);
            }

            @Override
            public String toString(T value) {
                if (value == null) {
                    throw new IllegalArgumentException("no value");
                }
                return value.toString();
            }
        };
    }
}
