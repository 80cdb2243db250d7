package io.cloudpilot.platform.logging;

import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * A log record that also carries named fields: {@link JsonLogFormatter} writes them as fields of the line's JSON
 * object (the access log's method, route, status, duration...), the text format shows the message alone.
 */
public final class StructuredRecord extends LogRecord {

    private final transient Map<String, Object> fields;

    /**
     * @param level   the level
     * @param logger  the logger's name
     * @param message the line as the text format shows it
     * @param fields  name → value (String, Number, Boolean or null), in the order to write them
     */
    public StructuredRecord(Level level, String logger, String message, Map<String, Object> fields) {
        super(level, message);
        setLoggerName(logger);
        this.fields = fields;
    }

    /** @return the fields, in order */
    public Map<String, Object> fields() {
        return fields;
    }
}
