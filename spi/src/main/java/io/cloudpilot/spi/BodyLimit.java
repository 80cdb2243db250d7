package io.cloudpilot.spi;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The largest request body an endpoint accepts, in bytes; on the resource method (or its class). A larger body is
 * answered 413 {@code PayloadTooLarge} before the endpoint runs: at once when {@code Content-Length} says so, else as
 * soon as that many bytes were read. Endpoints without it accept {@code cloudpilot.max-body-size} (default 64 KiB).
 * A JSON body is also bounded by the platform's JSON limits (docs/security.md), whatever this says.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface BodyLimit {

    /** @return the largest body accepted, in bytes */
    long value();
}
