package io.cloudpilot.k8s.syntax;

import java.io.Serial;

/** A label or field selector Kubernetes would refuse; the message says why, in Kubernetes' words. */
public final class SelectorSyntaxException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    SelectorSyntaxException(String message) {
        super(message);
    }
}
