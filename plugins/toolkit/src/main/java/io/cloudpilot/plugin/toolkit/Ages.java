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
        Instant utc = parseUtcSeconds(timestamp);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * The form Kubernetes writes ({@code 2024-06-11T20:21:00Z}) without a DateTimeFormatter: lists format thousands
     * of ages per request. Anything else (fractions, offsets) returns null and is parsed in full.
     */
    private static Instant parseUtcSeconds(String s) {
        if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        try {
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second)
                    .toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.DateTimeException e) {
            return null; // e.g. February 30: let the full parser reject it
        }
    }

    private static int digits(String s, int from, int count) {
        int n = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
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
        long s = Math.max(0, age.toSeconds());
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
