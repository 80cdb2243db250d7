package io.cloudpilot.k8s.syntax;

import java.io.Serial;

/**
 * A label or field selector Kubernetes would refuse. The message is Kubernetes' own sentence (what an API server
 * answers); {@link #near()} and {@link #problem()} are its parts, so a caller can quote the offending text its own
 * way and keep the explanation whole.
 */
public final class SelectorSyntaxException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String near;
    private final String problem;

    SelectorSyntaxException(String message, String near, String problem) {
        super(message);
        this.near = near;
        this.problem = problem;
    }

    /** @return the part of the selector at fault, as written ("" at its end) */
    public String near() {
        return near;
    }

    /** @return what is wrong there or what was expected, without the selector's text */
    public String problem() {
        return problem;
    }
}
