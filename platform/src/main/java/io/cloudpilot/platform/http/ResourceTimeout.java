package io.cloudpilot.platform.http;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.util.AnnotationLiteral;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The MicroProfile Fault Tolerance {@code @Timeout} the platform puts on every resource method, platform's and
 * plugins' alike ({@code resource.timeout}, default 30 s): a last bound on a request, above the per-cluster
 * call timeout so that a slow cluster answers its own 503 first.
 */
public final class ResourceTimeout extends AnnotationLiteral<Timeout> implements Timeout {

    private final long millis;

    /**
     * @param millis the bound in milliseconds
     */
    public ResourceTimeout(long millis) {
        this.millis = millis;
    }

    @Override
    public long value() {
        return millis;
    }

    @Override
    public ChronoUnit unit() {
        return ChronoUnit.MILLIS;
    }
}
