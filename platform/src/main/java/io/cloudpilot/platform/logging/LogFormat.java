package io.cloudpilot.platform.logging;

import java.util.Locale;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Logger;

import org.eclipse.microprofile.config.Config;

/**
 * {@code log.format}: {@code text} (the default: one readable line per record, as {@code conf/logging.properties}
 * sets it up) or {@code json} (one JSON object per line, {@link JsonLogFormatter}) on every handler of the root
 * logger. Applied by the launcher before the server starts, so every line of the process has the same shape.
 */
public final class LogFormat {

    /** The configuration key. */
    public static final String KEY = "log.format";

    private LogFormat() {
    }

    /**
     * @param value a configured value
     * @return text or json, empty when the value is neither
     */
    public static Optional<String> parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return v.equals("text") || v.equals("json") ? Optional.of(v) : Optional.empty();
    }

    /**
     * Switches the root logger's handlers to JSON when {@code log.format=json}.
     *
     * @param config the configuration
     * @throws IllegalArgumentException when {@code log.format} is neither text nor json
     */
    public static void apply(Config config) {
        Optional<String> configured = config.getOptionalValue(KEY, String.class);
        if (configured.isEmpty()) {
            return;
        }
        String format = parse(configured.get()).orElseThrow(() -> new IllegalArgumentException(
                "log.format must be text or json, not '" + configured.get() + "'"));
        if (format.equals("json")) {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.setFormatter(new JsonLogFormatter());
            }
        }
    }
}
