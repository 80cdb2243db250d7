package io.cloudpilot.plugin.istiohealth;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import io.cloudpilot.plugin.toolkit.Derived;
import io.cloudpilot.plugin.toolkit.Reads;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.CacheKey;
import io.cloudpilot.spi.CacheKind;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.HealthContributor.Finding;
import io.cloudpilot.spi.ResourceCache;
import io.cloudpilot.spi.Severity;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/**
 * The mesh health summary of one cluster: the data plane it computes itself, and what every plugin's
 * {@link HealthContributor} reports, gathered concurrently through the shared cache. Scoring ({@link MeshScore},
 * {@code docs/health-rules.md}): every problem adds to a penalty, {@code score = 100 × 100 / (100 + penalty)},
 * explained per dimension; status {@code critical} with any critical finding, else {@code warning} with any warning,
 * else {@code healthy}; {@code not_installed} when the cluster serves no {@code networking.istio.io} and runs no
 * istiod.
 */
final class MeshHealth {

    /** Details keys a contributor may fill; the summary shows them at its top level. */
    static final List<String> SECTIONS = List.of("control_plane", "gateways", "configuration");
    /** The details key in which a contributor says how many problems each of its finding codes stands for. */
    static final String PROBLEM_COUNTS = "problem_counts";
    /** The dimension of the problems the summary finds itself. */
    static final String DATA_PLANE_DIMENSION = "data_plane";

    private final Derived<DataPlaneAnalysis> dataPlane = new Derived<>(16, Duration.ofHours(1));

    private record DataPlaneAnalysis(DataPlane.Report report, List<DataPlane.Counted> findings) {
    }

    private final ResourceCache cache;
    private final Supplier<List<HealthContributor>> contributors;

    /**
     * @param cache        the shared cache
     * @param contributors every started plugin's health contributors (known once all plugins started)
     */
    MeshHealth(ResourceCache cache, Supplier<List<HealthContributor>> contributors) {
        this.cache = cache;
        this.contributors = contributors;
    }

    Summary read(ClusterContext cluster, String istioNamespace, boolean forceRefresh) {
        String name = cluster.name();
        try (ExecutorService pool = cache.parallelReads()) {
            Future<List<Namespace>> namespaces = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.NAMESPACES, ""),
                    forceRefresh, () -> cluster.client().namespaces().list().getItems()));
            Future<List<Pod>> pods = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.PODS, ""), forceRefresh,
                    () -> cluster.client().pods().inAnyNamespace().list().getItems()));
            Future<List<Deployment>> deployments = pool.submit(() -> cache.get(CacheKey.list(name, CacheKind.DEPLOYMENTS, ""),
                    forceRefresh, () -> cluster.client().apps().deployments().inAnyNamespace().list().getItems()));
            Future<List<String>> istioVersions = pool.submit(() -> cache.get(
                    CacheKey.object(name, CacheKind.DISCOVERY, "", "networking.istio.io"), forceRefresh,
                    () -> cluster.servedVersions("networking.istio.io")));
            Map<String, Future<HealthContributor.Contribution>> contributions = new LinkedHashMap<>();
            for (HealthContributor c : contributors.get()) {
                contributions.put(c.id(), pool.submit(() -> c.contribute(cluster, forceRefresh)));
            }

            List<Deployment> deploymentList = Reads.await(deployments);
            String controlPlaneVersion = DataPlane.controlPlaneVersion(deploymentList, istioNamespace).orElse(null);
            if (Reads.await(istioVersions).isEmpty() && controlPlaneVersion == null) {
                return Summary.notInstalled(name, istioNamespace, readAt(cache));
            }
            List<TopIssue> issues = new ArrayList<>();
            List<Namespace> namespaceList = Reads.await(namespaces);
            List<Pod> podList = Reads.await(pods);
            // the sidecar coverage of every pod is computed once per cached pod list, not per request
            DataPlaneAnalysis analysis = dataPlane.get(Arrays.asList(namespaceList, podList, deploymentList),
                    Arrays.asList(controlPlaneVersion, name), () -> {
                        List<DataPlane.Counted> found = new ArrayList<>();
                        DataPlane.Report report = DataPlane.analyse(namespaceList, podList, deploymentList,
                                controlPlaneVersion, name, found);
                        return new DataPlaneAnalysis(report, List.copyOf(found));
                    });
            DataPlane.Report dataPlane = analysis.report();
            List<MeshScore.Problems> problems = new ArrayList<>();
            for (DataPlane.Counted c : analysis.findings()) {
                issues.add(TopIssue.of(c.finding(), "istio-health"));
                problems.add(new MeshScore.Problems(DATA_PLANE_DIMENSION, c.finding().code(), c.finding().severity().toString(),
                        c.problems()));
            }

            Map<String, Object> sections = new LinkedHashMap<>();
            Map<String, Object> details = new LinkedHashMap<>();
            List<Partial> partial = new ArrayList<>();
            for (Map.Entry<String, Future<HealthContributor.Contribution>> e : contributions.entrySet()) {
                try {
                    HealthContributor.Contribution c = e.getValue().get();
                    c.findings().forEach(f -> issues.add(TopIssue.of(f, e.getKey())));
                    problems.addAll(problems(e.getKey(), c));
                    Map<String, Object> own = new LinkedHashMap<>(c.details());
                    own.remove(PROBLEM_COUNTS);
                    for (String section : SECTIONS) {
                        // the first contributor to fill a section owns it; a later one keeps it under its own id
                        if (own.containsKey(section) && !sections.containsKey(section)) {
                            sections.put(section, own.remove(section));
                        }
                    }
                    details.put(e.getKey(), own);
                } catch (ExecutionException ex) {
                    Throwable cause = ex.getCause();
                    if (cause instanceof ApiException.ClusterUnavailable || cause instanceof ApiException.ClusterTimeout) {
                        throw (ApiException) cause;
                    }
                    partial.add(new Partial(e.getKey(), cause instanceof ApiException api ? api.getMessage()
                            : "the contributor failed (" + cause.getClass().getSimpleName() + ")"));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new ApiException.ClusterUnavailable("Interrupted while reading the cluster.", ex);
                }
            }
            issues.sort(Comparator.comparing(TopIssue::severity).thenComparing(TopIssue::code));
            long critical = issues.stream().filter(i -> i.severity() == Severity.CRITICAL).count();
            long warnings = issues.stream().filter(i -> i.severity() == Severity.WARNING).count();
            MeshScore.Result score = MeshScore.of(problems);
            String status = critical > 0 ? "critical" : warnings > 0 ? "warning" : "healthy";
            String sentence = switch (status) {
                case "critical" -> critical + " critical issue(s) and " + warnings + " warning(s): start with '"
                        + issues.getFirst().code() + "'.";
                case "warning" -> warnings + " warning(s); nothing critical. Start with '" + issues.getFirst().code() + "'.";
                default -> "No critical issue or warning found.";
            };
            if (!partial.isEmpty()) {
                sentence += " Partial: " + partial.size() + " contributor(s) could not report.";
            }
            return new Summary(name, status, score.score(), partial.isEmpty() ? "full" : "partial", sentence,
                    MeshScore.RULES, score.penalty(), score.dimensions(), controlPlaneVersion,
                    sections.get("control_plane"), sections.get("gateways"), sections.get("configuration"), dataPlane,
                    List.copyOf(issues), details, List.copyOf(partial), readAt(cache));
        }
    }

    /**
     * The problems behind one contributor's findings: per code, the count it gives in {@code problem_counts} (for
     * all its findings of that code, at their worst severity), else one per finding.
     */
    static List<MeshScore.Problems> problems(String source, HealthContributor.Contribution c) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        if (c.details().get(PROBLEM_COUNTS) instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Number n && n.intValue() > 0) {
                    counts.put(String.valueOf(k), n.intValue());
                }
            });
        }
        List<MeshScore.Problems> out = new ArrayList<>();
        Map<String, String> worst = new LinkedHashMap<>();
        for (Finding f : c.findings()) {
            if (counts.containsKey(f.code())) {
                worst.merge(f.code(), f.severity().toString(), (a, b) -> rank(a) <= rank(b) ? a : b);
            } else {
                out.add(new MeshScore.Problems(source, f.code(), f.severity().toString(), 1));
            }
        }
        worst.forEach((code, severity) -> out.add(new MeshScore.Problems(source, code, severity, counts.get(code))));
        return out;
    }

    /** When the summary's data was read from the cluster (what Age counts from), not when it was served. */
    static String readAt(ResourceCache cache) {
        return cache.readAt().map(Instant::toString).orElse(null);
    }

    private static int rank(String severity) {
        return switch (severity == null ? "" : severity) {
            case "critical" -> 0;
            case "warning" -> 1;
            default -> 2;
        };
    }

    /**
     * One issue of the summary.
     *
     * @param code     stable code
     * @param severity critical, warning or info
     * @param message  one sentence
     * @param endpoint the path with parameters that shows the details
     * @param source   the plugin that found it
     */
    public record TopIssue(String code, Severity severity, String message, String endpoint, String source) {
        static TopIssue of(Finding f, String source) {
            return new TopIssue(f.code(), f.severity(), f.message(), f.endpoint(), source);
        }
    }

    /**
     * A contributor that could not report.
     *
     * @param contributor its id
     * @param reason      why
     */
    public record Partial(String contributor, String reason) {
    }

    /**
     * The summary.
     *
     * @param clusterName         the cluster
     * @param status              healthy, warning, critical or not_installed
     * @param score               above 0 up to 100, two decimals; null when not installed
     * @param confidence          full, or partial when a contributor could not report
     * @param summary             one sentence
     * @param rules               how score and status were computed
     * @param penalty             the sum the score is computed from
     * @param dimensions          what the penalty is made of, per contributor ({@code data_plane}: the summary's own)
     * @param controlPlaneVersion istiod's version
     * @param controlPlane        the control plane, as its contributor reports it
     * @param gateways            the ingress gateways, as their contributor reports them
     * @param configuration       counts and validation results, as their contributor reports them
     * @param dataPlane           sidecar coverage and proxy versions
     * @param topIssues           most important first
     * @param contributions       every contributor's other details, by plugin id
     * @param partial             contributors that failed
     * @param readAt              when its data was read from the cluster (the oldest read, as {@code Age})
     */
    public record Summary(String clusterName, String status, Double score, String confidence, String summary,
                          List<String> rules, Integer penalty, List<MeshScore.Dimension> dimensions,
                          String controlPlaneVersion, Object controlPlane, Object gateways,
                          Object configuration, DataPlane.Report dataPlane, List<TopIssue> topIssues,
                          Map<String, Object> contributions, List<Partial> partial, String readAt) {

        static Summary notInstalled(String cluster, String namespace, String readAt) {
            return new Summary(cluster, "not_installed", null, "full", "Istio is not installed: the cluster serves no "
                    + "networking.istio.io API and runs no istiod in namespace '" + namespace + "'.", List.of(), null,
                    List.of(), null, null, null, null, null, List.of(), Map.of(), List.of(), readAt);
        }
    }
}
