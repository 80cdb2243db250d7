package io.cloudpilot.platform.audit;

import java.lang.System.Logger.Level;
import java.time.Instant;

import io.cloudpilot.spi.AuditLog;

/**
 * Writes audit entries as one line each to the logger {@code cloudpilot.audit} (route it to its own file in
 * {@code conf/logging.properties}). Values are quoted so that a crafted object name cannot forge a line.
 */
public final class LoggingAuditLog implements AuditLog {

    private static final System.Logger AUDIT = System.getLogger("cloudpilot.audit");

    @Override
    public void record(Entry e) {
        try {
            AUDIT.log(Level.INFO, "time=" + Instant.now() + " principal=" + quote(AuditPrincipal.current())
                    + " action=" + quote(e.action()) + " cluster=" + quote(e.cluster())
                    + " namespace=" + quote(e.namespace()) + " object=" + quote(e.object())
                    + " from=" + quote(e.from()) + " to=" + quote(e.to()) + " result=" + quote(e.result()));
        } catch (RuntimeException ignored) {
            // auditing must never break the request it records
        }
    }

    private static String quote(String v) {
        if (v == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
