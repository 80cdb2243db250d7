package io.cloudpilot.platform.logging;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per log record, on one line: {@code time} (ISO-8601 UTC), {@code level}, {@code logger},
 * {@code thread}, {@code message} and, when the record carries one, {@code exception}: the class names of the
 * throwable and its causes, outermost first. Exception messages and stack traces are left out: a library's message
 * may quote a URL with credentials or a request header, and CloudPilot's own messages already say what went wrong.
 * A {@link StructuredRecord} adds its fields (the access log's method, route, status...) after these.
 */
public final class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "time", Instant.ofEpochMilli(record.getMillis()).toString()).append(',');
        field(json, "level", record.getLevel().getName()).append(',');
        field(json, "logger", record.getLoggerName() == null ? "" : record.getLoggerName()).append(',');
        field(json, "thread", Thread.currentThread().getName()).append(',');
        field(json, "message", formatMessage(record));
        if (record instanceof StructuredRecord structured) {
            for (Map.Entry<String, Object> f : structured.fields().entrySet()) {
                json.append(',');
                Object v = f.getValue();
                if (v instanceof Number || v instanceof Boolean) {
                    json.append('"').append(f.getKey()).append("\":").append(v);
                } else if (v == null) {
                    json.append('"').append(f.getKey()).append("\":null");
                } else {
                    field(json, f.getKey(), v.toString());
                }
            }
        }
        if (record.getThrown() != null) {
            List<String> chain = new ArrayList<>();
            for (Throwable t = record.getThrown(); t != null && chain.size() < 10; t = t.getCause()) {
                chain.add(t.getClass().getName());
            }
            json.append(',');
            field(json, "exception", String.join(" <- ", chain));
        }
        return json.append("}\n").toString();
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"');
    }
}
