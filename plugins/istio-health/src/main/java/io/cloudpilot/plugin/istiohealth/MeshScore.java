package io.cloudpilot.plugin.istiohealth;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mesh health score: every problem adds to a penalty (20 for a critical one, 5 for a warning, 0 for info) and
 * {@code score = 100 × 100 / (100 + penalty)}. One critical problem gives 83.33, five give 50, fifty give 9.09: every
 * additional problem lowers the score, a worse mesh never scores higher, and no number of problems reaches 0. The
 * penalty is kept per dimension (the contributor that found the problems) so that the score can be explained.
 */
final class MeshScore {

    static final int CRITICAL_PENALTY = 20;
    static final int WARNING_PENALTY = 5;
    /** The penalty that halves the score. */
    static final int HALF = 100;

    /** The rules as the summary states them. */
    static final List<String> RULES = List.of(
            "score = 100 * " + HALF + " / (" + HALF + " + penalty), two decimals; penalty = " + CRITICAL_PENALTY
                    + " per critical problem + " + WARNING_PENALTY + " per warning (info: 0), over every dimension",
            "a finding stands for as many problems as its contributor counts (problem_counts), else one",
            "status = critical if any critical finding, else warning if any warning, else healthy");

    private MeshScore() {
    }

    /**
     * Problems of one code found by one source.
     *
     * @param source   the contributor (dimension) that found them
     * @param code     their code
     * @param severity critical, warning or info
     * @param count    how many problems
     */
    record Problems(String source, String code, String severity, int count) {
        int penalty() {
            return count * MeshScore.penalty(severity);
        }
    }

    /**
     * One code of a dimension.
     *
     * @param code     the code
     * @param severity critical, warning or info
     * @param problems how many
     * @param penalty  what they cost
     */
    record Part(String code, String severity, int problems, int penalty) {
    }

    /**
     * What one dimension adds to the penalty.
     *
     * @param name     the contributor: {@code data_plane} (computed by the summary itself) or a plugin's id
     * @param critical critical problems
     * @param warnings warnings
     * @param infos    info findings
     * @param penalty  the dimension's share of the penalty
     * @param score    the score the dimension alone would give
     * @param madeOf   per code: severity, problems, penalty
     */
    record Dimension(String name, int critical, int warnings, int infos, int penalty, double score, List<Part> madeOf) {
    }

    /**
     * @param score      above 0, up to 100, two decimals
     * @param penalty    the total penalty
     * @param dimensions per dimension, in the order their problems came
     */
    record Result(double score, int penalty, List<Dimension> dimensions) {
    }

    static Result of(List<Problems> problems) {
        Map<String, List<Problems>> bySource = new LinkedHashMap<>();
        problems.forEach(p -> bySource.computeIfAbsent(p.source(), k -> new ArrayList<>()).add(p));
        List<Dimension> dimensions = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, List<Problems>> e : bySource.entrySet()) {
            Map<String, Part> parts = new LinkedHashMap<>();
            int critical = 0;
            int warnings = 0;
            int infos = 0;
            int penalty = 0;
            for (Problems p : e.getValue()) {
                switch (p.severity()) {
                    case "critical" -> critical += p.count();
                    case "warning" -> warnings += p.count();
                    default -> infos += p.count();
                }
                penalty += p.penalty();
                parts.merge(p.code() + "|" + p.severity(), new Part(p.code(), p.severity(), p.count(), p.penalty()),
                        (a, b) -> new Part(a.code(), a.severity(), a.problems() + b.problems(), a.penalty() + b.penalty()));
            }
            total += penalty;
            dimensions.add(new Dimension(e.getKey(), critical, warnings, infos, penalty, score(penalty),
                    List.copyOf(parts.values())));
        }
        return new Result(score(total), total, List.copyOf(dimensions));
    }

    /** Two decimals: each problem still lowers the shown score up to a penalty of about 2,000 (100 critical problems). */
    static double score(int penalty) {
        return Math.round(10_000.0 * HALF / (HALF + penalty)) / 100.0;
    }

    static int penalty(String severity) {
        return switch (severity == null ? "" : severity) {
            case "critical" -> CRITICAL_PENALTY;
            case "warning" -> WARNING_PENALTY;
            default -> 0;
        };
    }
}
