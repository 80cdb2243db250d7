package io.cloudpilot.platform.request;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Callable;

/**
 * A value of the request being served, held for the thread that serves it. Unlike an
 * {@link InheritableThreadLocal}, a thread started while serving the request does not get it: a thread pool or an
 * informer whose thread is first created inside a request would otherwise keep that request's state for its life
 * (docs/decisions/0043). The value reaches another thread only by hand, through {@link #carry(Callable)}, for the
 * duration of one task ({@link RequestTasks} does so for the reads a request makes in parallel).
 *
 * @param <T> the value's type
 */
public final class RequestLocal<T> {

    /** Every request-local value there is (a handful, created once each in a static field). */
    private static final List<RequestLocal<?>> ALL = new CopyOnWriteArrayList<>();

    @SuppressWarnings("ThreadLocalUsage") // one per RequestLocal, and each RequestLocal lives in a static field
    private final ThreadLocal<T> value = new ThreadLocal<>();

    private RequestLocal() {
    }

    /**
     * @param <T> the value's type
     * @return a new request-local value, carried by {@link #carry(Callable)}
     */
    public static <T> RequestLocal<T> create() {
        RequestLocal<T> local = new RequestLocal<>();
        ALL.add(local);
        return local;
    }

    /** @return the current thread's value, or null when it serves no request */
    public T get() {
        return value.get();
    }

    /** @param v the value for the current thread's request */
    public void set(T v) {
        value.set(v);
    }

    /** Forgets the current thread's value (the request is answered). */
    public void remove() {
        value.remove();
    }

    /**
     * Binds a task to the current thread's request: when it runs, on whatever thread, it sees the request's values,
     * and that thread's own values are put back after it (none, for a pool thread).
     *
     * @param task the task
     * @param <V>  its result
     * @return the bound task
     */
    public static <V> Callable<V> carry(Callable<V> task) {
        List<Object> captured = capture();
        return () -> {
            List<Object> previous = swap(captured);
            try {
                return task.call();
            } finally {
                swap(previous);
            }
        };
    }

    /**
     * @param task the task
     * @return {@link #carry(Callable)} for a task without a result
     */
    public static Runnable carry(Runnable task) {
        List<Object> captured = capture();
        return () -> {
            List<Object> previous = swap(captured);
            try {
                task.run();
            } finally {
                swap(previous);
            }
        };
    }

    private static List<Object> capture() {
        List<Object> captured = new ArrayList<>(ALL.size());
        for (RequestLocal<?> local : ALL) {
            captured.add(local.get());
        }
        return captured;
    }

    /** Installs the given values (in {@link #ALL}'s order) on this thread; @return the ones it had */
    private static List<Object> swap(List<Object> values) {
        List<Object> previous = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            previous.add(ALL.get(i).get());
            install(ALL.get(i), values.get(i));
        }
        return previous;
    }

    @SuppressWarnings("unchecked") // the value was read from the same RequestLocal
    private static <T> void install(RequestLocal<T> local, Object v) {
        if (v == null) {
            local.remove();
        } else {
            local.set((T) v);
        }
    }
}
