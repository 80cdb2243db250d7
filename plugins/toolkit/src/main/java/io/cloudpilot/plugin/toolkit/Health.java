package io.cloudpilot.plugin.toolkit;

import java.util.Comparator;
import java.util.List;

import io.cloudpilot.spi.Severity;

/**
 * An explainable health: a score from 100 minus the deductions of the findings (never below 0), a status, and
 * the findings themselves, most severe first. Status: {@code critical} when a critical finding exists or the
 * score is below 50; {@code warning} when a warning exists or the score is below 80; else {@code healthy}.
 *
 * @param score    0..100
 * @param status   healthy, warning or critical
 * @param findings what lowered the score
 */
public record Health(int score, String status, List<Finding> findings) {

    /**
     * One reason the score is lower.
     *
     * @param code      stable code, e.g. {@code CrashLoopBackOff}
     * @param severity  critical, warning or info
     * @param message   one sentence for an operator
     * @param deduction points taken off the score
     */
    public record Finding(String code, Severity severity, String message, int deduction) {
    }

    /**
     * @param findings what was found
     * @return the health they add up to
     */
    public static Health of(List<Finding> findings) {
        int score = Math.max(0, 100 - findings.stream().mapToInt(Finding::deduction).sum());
        boolean critical = findings.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
        boolean warning = findings.stream().anyMatch(f -> f.severity() == Severity.WARNING);
        String status = critical || score < 50 ? "critical" : warning || score < 80 ? "warning" : "healthy";
        List<Finding> sorted = findings.stream()
                .sorted(Comparator.comparing(Finding::severity).thenComparing(Finding::deduction, Comparator.reverseOrder()))
                .toList();
        return new Health(score, status, sorted);
    }
}
