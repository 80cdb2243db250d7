package io.cloudpilot.plugin.toolkit;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Ages as kubectl shows them ({@code 45s}, {@code 12m}, {@code 5h}, {@code 3d}), and Kubernetes timestamps as
 * instants. A time in the future (clock skew) is an age of {@code 0s}, never a negative or wrapped-around one.
 */
public final class Ages {

    private Ages() {
    }

    /**
     * @param timestamp a Kubernetes timestamp (RFC 3339), or null
     * @return the instant, or null when absent or malformed
     */
    public static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * @param since a Kubernetes timestamp, or null
     * @param now   the current time
     * @return the age, or null when the timestamp is absent
     */
    public static String format(String since, Instant now) {
        Instant t = parse(since);
        return t == null ? null : format(Duration.between(t, now));
    }

    /**
     * @param age a duration
     * @return its kubectl form
     */
    public static String format(Duration age) {
        long s = Math.max(0, age.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 48 * 3600) {
            return (s / 3600) + "h";
        }
        return (s / 86400) + "d";
    }
}
