package io.cloudpilot.sandbox;

import io.cloudpilot.sandbox.LogProfiles.Msg;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** How a component prefixes its messages with time and level; a profile's {@code format} line names one. */
enum LogFormat {
    /** Istio's: {@code <micros>\t<level>\t<text>} (istiod, istio-proxy). */
    ISTIO,
    /** The text alone (CoreDNS, istio-init). */
    PLAIN,
    /** klog's {@code I1124 08:00:00.000000       1 <text>} (the control-plane components). */
    KLOG,
    /** {@code {"time":..,"level":..,<text>}} (JSON applications). */
    JSON,
    /** etcd's {@code {"level":..,"ts":..,<text>}}. */
    ETCD,
    /** logrus' {@code time="..." level=.. <text>}. */
    LOGRUS,
    /** Prometheus' {@code ts=.. caller=.. level=.. msg=..}: the level after the first word. */
    PROMETHEUS,
    /** Spring Boot's {@code <millis>  INFO 1 --- [<app>] <text>}; the app is the container's name. */
    SPRING;

    private static final DateTimeFormatter KLOG_TIME = DateTimeFormatter.ofPattern("MMdd HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    static String millis(Instant t) {
        return MILLIS.format(t);
    }

    static String micros(Instant t) {
        return MICROS.format(t);
    }

    /**
     * @param t the time
     * @param m         the message
     * @param container the container's name (Spring's application name)
     * @return the log line
     */
    String apply(Instant t, Msg m, String container) {
        String level = m.level();
        return switch (this) {
            case ISTIO -> micros(t) + "\t" + level + "\t" + m.text();
            case PLAIN -> m.text();
            case KLOG -> (level.equals("error") ? "E" : level.equals("warn") ? "W" : "I") + KLOG_TIME.format(t)
                    + "       1 " + m.text();
            case JSON -> "{\"time\":\"" + millis(t) + "\",\"level\":\"" + level + "\"," + m.text() + "}";
            case ETCD -> "{\"level\":\"" + level + "\",\"ts\":\"" + micros(t) + "\"," + m.text() + "}";
            case LOGRUS -> "time=\"" + DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS))
                    + "\" level=" + (level.equals("warn") ? "warning" : level) + " " + m.text();
            case PROMETHEUS -> "ts=" + millis(t) + " " + m.text().replaceFirst(" ", " level=" + level + " ");
            case SPRING -> millis(t) + " " + String.format("%5s", level.equals("warn") ? "WARN"
                    : level.toUpperCase(Locale.ROOT)) + " 1 --- [" + container + "] " + m.text();
        };
    }
}
