package io.cloudpilot.platform.errors;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** An exception's chain of causes, walked in one place (a cause that is its own cause ends it). */
public final class Causes {

    /** Deeper chains are cut: no real chain is this long, and a cycle must not loop forever. */
    private static final int MAX_DEPTH = 100;

    private Causes() {
    }

    /** @return the exception and its causes, outermost first */
    @SuppressWarnings("ReferenceEquality") // the very same object, not an equal one, makes the loop
    public static List<Throwable> chain(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && chain.size() < MAX_DEPTH; t = t.getCause() == t ? null : t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /** @return the outermost exception of the chain that is a {@code type} */
    public static <T extends Throwable> Optional<T> find(Throwable e, Class<T> type) {
        return chain(e).stream().filter(type::isInstance).map(type::cast).findFirst();
    }
}
