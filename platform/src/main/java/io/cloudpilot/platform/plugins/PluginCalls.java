package io.cloudpilot.platform.plugins;

/**
 * Runs a call into a plugin with the plugin's class loader as the thread's context class loader, and puts the
 * previous one back: libraries that look things up through the context class loader (ServiceLoader, JAXB-style
 * factories, logging) then find the plugin's own copies. Every call the platform makes into a plugin goes through
 * here: its lifecycle ({@code start}, {@code close}, what it declares), its resources' requests
 * ({@code PluginRequestContext}) and its health contributors.
 */
public final class PluginCalls {

    private PluginCalls() {
    }

    /**
     * A call that may throw.
     *
     * @param <T> its result
     * @param <E> what it throws
     */
    @FunctionalInterface
    public interface Call<T, E extends Exception> {
        /**
         * @return the result
         * @throws E when the call fails
         */
        T call() throws E;
    }

    /**
     * @param loader the plugin's class loader
     * @param call   the call into the plugin
     * @param <T>    its result
     * @param <E>    what it throws
     * @return the call's result
     * @throws E what the call throws
     */
    @SuppressWarnings("ReferenceEquality") // the very same class loader: identity is the question
    public static <T, E extends Exception> T in(ClassLoader loader, Call<T, E> call) throws E {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous == loader) {
            return call.call();
        }
        thread.setContextClassLoader(loader);
        try {
            return call.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
