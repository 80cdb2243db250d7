package io.cloudpilot.spi;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How much a finding matters, most severe first. In JSON, in lower case: {@code critical}, {@code warning},
 * {@code info}.
 */
public enum Severity {
    /** Breaks something now; lowers a health score. */
    CRITICAL,
    /** Will break something, or degrades it; lowers a health score. */
    WARNING,
    /** Worth knowing; costs nothing. */
    INFO;

    /** @return the name in lower case, as JSON shows it */
    @Override
    @JsonValue
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
