package io.cloudpilot.platform.beans;

import jakarta.enterprise.inject.spi.CDI;

/**
 * A platform bean looked up in CDI on first use and kept: for the JAX-RS providers (filters) that JAX-RS, not CDI,
 * creates, so they cannot have it injected, and that run before the container is up only in tests. One per provider
 * instance, never static: a JVM may run one server after another, each with its own beans.
 *
 * @param <T> the bean's type
 */
public final class LazyBean<T> {

    private final Class<T> type;
    private volatile T bean;

    private LazyBean(Class<T> type) {
        this.type = type;
    }

    /**
     * @param type the bean's type
     * @param <T>  its type
     * @return a lookup of it, made on the first {@link #get()}
     */
    public static <T> LazyBean<T> of(Class<T> type) {
        return new LazyBean<>(type);
    }

    /** @return the bean */
    public T get() {
        T b = bean;
        if (b == null) {
            b = CDI.current().select(type).get();
            bean = b;
        }
        return b;
    }
}
