package io.cloudpilot.plugin.istioworkloads;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the level and timestamp of one log line. Istio's own format ({@code <time>\t<level>\t[<scope>\t]<message>})
 * and Envoy's ({@code [<time>][<thread>][<level>][<scope>] <message>}) carry their level; Envoy access log lines
 * ({@code [<time>] "GET / HTTP/1.1" 503 ...}) are graded by their status; klog, JSON and logfmt lines by their
 * level field; any other line by whole words ({@code error}, {@code fatal}, {@code panic}, {@code warn}).
 */
final class LogLines {

    private static final Pattern KUBELET_TS = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})) ");
    private static final Pattern ISTIO = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z?)\\t(debug|info|warn|warning|error|fatal|none)\\t(.*)$", Pattern.DOTALL);
    private static final Pattern SCOPE = Pattern.compile("^([a-z][a-z0-9 _.-]{0,30})\\t(.*)$", Pattern.DOTALL);
    private static final Pattern ENVOY = Pattern.compile(
            "^\\[(\\d{4}-\\d{2}-\\d{2}[ T][0-9:.]+Z?)]\\[\\d+]\\[(trace|debug|info|warning|error|critical)]\\[([^]]*)] ?(.*)$");
    private static final Pattern ACCESS = Pattern.compile("^\\[(\\d{4}-\\d{2}-\\d{2}T[0-9:.]+Z?)] \"[^\"]*\" (\\d{3}|-) ");
    private static final Pattern KLOG = Pattern.compile("^([IWEF])\\d{4} \\d{2}:\\d{2}:\\d{2}\\.\\d+ ");
    private static final Pattern LEVEL_FIELD = Pattern.compile(
            "(?:\"level\"\\s*:\\s*\"|\\blevel=\"?)(\\w+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern LEADING_TS = Pattern.compile("^\\[?(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?)");
    private static final Pattern ERROR_WORD = Pattern.compile("\\b(error|errors|fatal|panic|exception|failed)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern WARN_WORD = Pattern.compile("\\b(warn|warning)\\b", Pattern.CASE_INSENSITIVE);

    private LogLines() {
    }

    /**
     * A parsed line.
     *
     * @param timestamp the line's time, or null
     * @param level     error, warning, info or debug
     * @param scope     the Istio or Envoy scope (ads, xdsproxy, envoy config...), or null
     * @param format    istio, envoy, envoy-access, klog, structured or text
     */
    record Parsed(String timestamp, String level, String scope, String format) {
    }

    /**
     * @param line a line, possibly prefixed by the kubelet's timestamp ({@code timestamps=true})
     * @return its parsed form
     */
    static Parsed parse(String line) {
        String kubeletTs = null;
        Matcher k = KUBELET_TS.matcher(line);
        if (k.find()) {
            kubeletTs = k.group(1);
            String rest = line.substring(k.end());
            // a kubelet prefix is followed by the component's own line, which may carry its own time
            if (!rest.isEmpty()) {
                Parsed inner = parse(rest);
                return new Parsed(inner.timestamp() == null ? kubeletTs : inner.timestamp(), inner.level(), inner.scope(), inner.format());
            }
        }
        Matcher m = ISTIO.matcher(line);
        if (m.matches()) {
            Matcher s = SCOPE.matcher(m.group(3));
            return new Parsed(m.group(1), level(m.group(2)), s.matches() ? s.group(1) : null, "istio");
        }
        m = ENVOY.matcher(line);
        if (m.matches()) {
            return new Parsed(m.group(1), level(m.group(2)), m.group(3), "envoy");
        }
        m = ACCESS.matcher(line);
        if (m.find()) {
            String code = m.group(2);
            String lvl = code.startsWith("5") ? "error" : code.startsWith("4") ? "warning" : "info";
            return new Parsed(m.group(1), lvl, null, "envoy-access");
        }
        m = KLOG.matcher(line);
        if (m.find()) {
            String lvl = switch (m.group(1)) {
                case "E", "F" -> "error";
                case "W" -> "warning";
                default -> "info";
            };
            return new Parsed(null, lvl, null, "klog");
        }
        Matcher ts = LEADING_TS.matcher(line);
        String timestamp = ts.find() ? ts.group(1) : null;
        m = LEVEL_FIELD.matcher(line);
        if (m.find()) {
            return new Parsed(timestamp, level(m.group(1)), null, "structured");
        }
        String lvl = ERROR_WORD.matcher(line).find() ? "error" : WARN_WORD.matcher(line).find() ? "warning" : "info";
        return new Parsed(timestamp, lvl, null, "text");
    }

    /** Normalises level names: warn → warning, fatal/critical/panic → error. */
    static String level(String raw) {
        return switch (raw.toLowerCase(Locale.ROOT)) {
            case "warn", "warning" -> "warning";
            case "error", "err", "fatal", "critical", "panic", "crit" -> "error";
            case "debug", "trace" -> "debug";
            default -> "info";
        };
    }
}
