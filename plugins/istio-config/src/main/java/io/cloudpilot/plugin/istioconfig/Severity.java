package io.cloudpilot.plugin.istioconfig;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How bad a validation finding is ({@code docs/validations.md}). Declared most severe first: the order findings are
 * listed in.
 */
public enum Severity {
    /** Traffic is broken, or Istio rejects or ignores the configuration. */
    ERROR,
    /** Likely a mistake: traffic may not go where the configuration reads it goes. */
    WARNING,
    /** Worth knowing; nothing breaks now. */
    INFO;

    /** @return {@code error}, {@code warning} or {@code info}, as the API writes it */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return id();
    }
}
