package io.cloudpilot.platform.cache;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.BeanDescription;
import tools.jackson.databind.DeserializationConfig;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.BeanDeserializerBuilder;
import tools.jackson.databind.deser.SettableBeanProperty;
import tools.jackson.databind.deser.ValueDeserializerModifier;
import tools.jackson.databind.deser.std.DelegatingDeserializer;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.CollectionType;
import tools.jackson.databind.type.MapType;

/**
 * fabric8's serialization, parsing the objects of {@link CompactShapes} compactly: properties no view reads are
 * skipped by the parser, unknown ones are dropped (no {@code additionalProperties}), collections are read-only and
 * exactly sized (empty ones shared), and equal strings, label maps and quantities are one instance each
 * ({@link Interner}). Objects of other classes parse as fabric8 parses them.
 *
 * <p>The interner of a read is passed as the reader's attribute ({@link #reader}); parses without one (an informer's
 * list and watch events, through a client built on this serialization) share a bounded one.
 */
final class CompactSerialization extends KubernetesSerialization {

    private static final int SHARED_INTERNER_CAPACITY = 200_000;

    private static final class Holder {
        static final CompactSerialization SHARED = new CompactSerialization();
    }

    private ObjectMapper compactMapper; // set while the super constructor configures the mapper
    private Interner shared;

    private CompactSerialization() {
        super();
    }

    /** @return the one instance (its mapper's deserializers are built once for the whole server) */
    static CompactSerialization shared() {
        return Holder.SHARED;
    }

    @Override
    protected ObjectMapper configureMapper(ObjectMapper mapper) {
        shared = Interner.shared(SHARED_INTERNER_CAPACITY);
        SimpleModule module = new SimpleModule("cloudpilot-compact");
        Interner fallback = shared;
        module.addDeserializer(String.class, new InterningStrings(fallback));
        module.addKeyDeserializer(String.class, new InterningKeys(fallback));
        module.setDeserializerModifier(new Shapes(fallback));
        compactMapper = super.configureMapper(mapper).rebuild().addModule(module).build();
        return compactMapper;
    }

    /**
     * @param type     the class of the objects to read
     * @param interner the read's interner
     * @return a reader that parses compactly
     */
    ObjectReader reader(Class<?> type, Interner interner) {
        return compactMapper.readerFor(type).withAttribute(Interner.class, interner);
    }

    private static Interner interner(DeserializationContext ctxt, Interner fallback) {
        Object own = ctxt.getAttribute(Interner.class);
        return own instanceof Interner i ? i : fallback;
    }

    /** Strings as one instance per value. */
    private static final class InterningStrings extends StdScalarDeserializer<String> {
        private final transient Interner fallback;

        InterningStrings(Interner fallback) {
            super(String.class);
            this.fallback = fallback;
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) {
            String s = p.hasToken(JsonToken.VALUE_STRING) ? p.getString() : _parseString(p, ctxt, this);
            return interner(ctxt, fallback).string(s);
        }
    }

    /** Map keys (label and annotation names) as one instance per value. */
    private static final class InterningKeys extends KeyDeserializer {
        private final transient Interner fallback;

        InterningKeys(Interner fallback) {
            this.fallback = fallback;
        }

        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) {
            return interner(ctxt, fallback).string(key);
        }
    }

    /** Applies {@link CompactShapes} to the deserializers of the shaped classes and to their collections. */
    private static final class Shapes extends ValueDeserializerModifier {
        private final transient Interner fallback;

        Shapes(Interner fallback) {
            this.fallback = fallback;
        }

        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription.Supplier beanDesc,
                                                     BeanDeserializerBuilder builder) {
            Class<?> type = beanDesc.getBeanClass();
            if (!CompactShapes.shaped(type)) {
                return builder;
            }
            List<SettableBeanProperty> dropped = new ArrayList<>();
            for (Iterator<SettableBeanProperty> it = builder.getProperties(); it.hasNext(); ) {
                SettableBeanProperty property = it.next();
                if (!CompactShapes.keeps(type, property.getName())) {
                    dropped.add(property);
                }
            }
            for (SettableBeanProperty property : dropped) {
                builder.removeProperty(property.getFullName());
                builder.addIgnorable(property.getName());
            }
            builder.setAnySetter(null);
            builder.setIgnoreUnknownProperties(true);
            return builder;
        }

        @Override
        public ValueDeserializer<?> modifyDeserializer(DeserializationConfig config, BeanDescription.Supplier beanDesc,
                                                       ValueDeserializer<?> deserializer) {
            Class<?> type = beanDesc.getBeanClass();
            if (type == Quantity.class) {
                return new Canonical(deserializer, fallback);
            }
            return CompactShapes.shaped(type) ? new Shrinking(deserializer, Shrinker.of(type)) : deserializer;
        }

        @Override
        public ValueDeserializer<?> modifyMapDeserializer(DeserializationConfig config, MapType type,
                                                          BeanDescription.Supplier beanDesc,
                                                          ValueDeserializer<?> deserializer) {
            return type.getKeyType().getRawClass() == String.class ? new Canonical(deserializer, fallback) : deserializer;
        }

        @Override
        public ValueDeserializer<?> modifyCollectionDeserializer(DeserializationConfig config, CollectionType type,
                                                                 BeanDescription.Supplier beanDesc,
                                                                 ValueDeserializer<?> deserializer) {
            return List.class.isAssignableFrom(type.getRawClass()) ? new Canonical(deserializer, fallback)
                    : deserializer;
        }
    }

    /** Replaces what was parsed by its interned equal (maps, lists, quantities). */
    private static final class Canonical extends DelegatingDeserializer {
        private final transient Interner fallback;

        Canonical(ValueDeserializer<?> delegate, Interner fallback) {
            super(delegate);
            this.fallback = fallback;
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new Canonical(delegate, fallback);
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            Object value = super.deserialize(p, ctxt);
            Interner interner = interner(ctxt, fallback);
            if (value instanceof Map map) {
                return interner.map(map);
            }
            if (value instanceof List list) {
                return interner.list(list);
            }
            if (value instanceof Quantity q) {
                return interner.quantity(q);
            }
            return value;
        }
    }

    /** Shrinks each object of a shaped class once it is built. */
    private static final class Shrinking extends DelegatingDeserializer {
        private final transient Shrinker shrinker;

        Shrinking(ValueDeserializer<?> delegate, Shrinker shrinker) {
            super(delegate);
            this.shrinker = shrinker;
        }

        @Override
        protected ValueDeserializer<?> newDelegatingInstance(ValueDeserializer<?> delegate) {
            return new Shrinking(delegate, shrinker);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) {
            Object value = super.deserialize(p, ctxt);
            shrinker.shrink(value);
            return value;
        }
    }

    /**
     * fabric8's constructors give every object an empty {@code additionalProperties} map and many an empty list per
     * list property (a container has nine): the parser never replaces those it finds no JSON for. This swaps them
     * for the shared empty ones.
     */
    private static final class Shrinker {
        private static final ClassValue<Shrinker> BY_CLASS = new ClassValue<>() {
            @Override
            protected Shrinker computeValue(Class<?> type) {
                return new Shrinker(type);
            }
        };

        private final List<MethodHandle[]> accessors = new ArrayList<>();

        private Shrinker(Class<?> type) {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            for (Method getter : type.getMethods()) {
                Class<?> result = getter.getReturnType();
                if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                        || !(List.class == result || Map.class == result)) {
                    continue;
                }
                try {
                    Method setter = type.getMethod("set" + getter.getName().substring(3), result);
                    accessors.add(new MethodHandle[] {lookup.unreflect(getter), lookup.unreflect(setter)});
                } catch (NoSuchMethodException | IllegalAccessException e) {
                    // no setter: leave the property as it is
                }
            }
        }

        static Shrinker of(Class<?> type) {
            return BY_CLASS.get(type);
        }

        @SuppressWarnings("ReferenceEquality") // whether it already is the shared empty instance: identity is the question
        void shrink(Object value) {
            if (value == null) {
                return;
            }
            for (MethodHandle[] a : accessors) {
                try {
                    Object current = a[0].invoke(value);
                    if (current instanceof Collection<?> c && c.isEmpty() && !(current == List.of())) {
                        a[1].invoke(value, List.of());
                    } else if (current instanceof Map<?, ?> m && m.isEmpty() && !(current == Map.of())) {
                        a[1].invoke(value, Map.of());
                    }
                } catch (Throwable e) {
                    throw new IllegalStateException("cannot shrink " + value.getClass().getName(), e);
                }
            }
        }
    }
}
