package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.cloudpilot.k8s.syntax.Untyped;

/**
 * The readable summaries of the detail endpoints: what a Gateway serves, where a VirtualService sends traffic, what a
 * DestinationRule changes. They are read from the spec as stored and never replace it.
 */
final class Summaries {

    private Summaries() {
    }

    /**
     * @param selector the workload labels the Gateway applies to
     * @param servers  its servers
     */
    public record GatewaySummary(Map<String, String> selector, List<Server> servers) {
    }

    /**
     * @param port           port number
     * @param portName       port name
     * @param protocol       HTTP, HTTPS, GRPC, HTTP2, MONGO, TCP or TLS
     * @param hosts          hosts served
     * @param tlsMode        SIMPLE, MUTUAL, PASSTHROUGH, AUTO_PASSTHROUGH, ISTIO_MUTUAL, or null
     * @param credentialName the Secret with the certificate, or null
     * @param httpsRedirect  whether plain HTTP is redirected to HTTPS
     */
    public record Server(Integer port, String portName, String protocol, List<String> hosts, String tlsMode,
                         String credentialName, boolean httpsRedirect) {
    }

    /**
     * @param hosts    hosts the routes apply to
     * @param gateways gateways the routes are bound to; {@code mesh} means the sidecars
     * @param exportTo namespaces the VirtualService is visible to (empty: all)
     * @param http     HTTP routes in order
     * @param tcp      TCP routes
     * @param tls      TLS routes
     */
    public record VirtualServiceSummary(List<String> hosts, List<String> gateways, List<String> exportTo,
                                        List<HttpRoute> http, List<L4Route> tcp, List<L4Route> tls) {
    }

    /**
     * @param name         the rule's name, or null
     * @param match        match conditions, one string per alternative (any matches)
     * @param destinations where traffic goes
     * @param timeout      request timeout, or null
     * @param retries      e.g. {@code 3 attempts, 2s per try, on 5xx}, or null
     * @param fault        e.g. {@code delay 5s for 10%; abort 503 for 1%}, or null
     * @param mirror       e.g. {@code ledger (5%)}, or null
     * @param redirect     e.g. {@code uri /new}, or null
     * @param rewrite      e.g. {@code uri /v2}, or null
     * @param directResponse e.g. {@code status 503}, or null
     */
    public record HttpRoute(String name, List<String> match, List<Destination> destinations, String timeout,
                            String retries, String fault, String mirror, String redirect, String rewrite,
                            String directResponse) {
    }

    /**
     * @param match        match conditions
     * @param destinations where traffic goes
     */
    public record L4Route(List<String> match, List<Destination> destinations) {
    }

    /**
     * @param host   destination host as written
     * @param subset subset, or null
     * @param port   port number, or null
     * @param weight weight, or null when absent
     */
    public record Destination(String host, String subset, Integer port, Integer weight) {
    }

    /**
     * @param host          the host the rule applies to
     * @param exportTo      namespaces it is visible to (empty: all)
     * @param trafficPolicy the policy for all subsets, or null
     * @param subsets       the subsets
     */
    public record DestinationRuleSummary(String host, List<String> exportTo, Policy trafficPolicy,
                                         List<Subset> subsets) {
    }

    /**
     * @param name          subset name
     * @param labels        pod labels it selects
     * @param trafficPolicy its own policy, or null
     */
    public record Subset(String name, Map<String, String> labels, Policy trafficPolicy) {
    }

    /**
     * @param loadBalancer     e.g. {@code LEAST_REQUEST}, or null
     * @param connectionPool   e.g. {@code tcp maxConnections=100; http http1MaxPendingRequests=10}, or null
     * @param outlierDetection e.g. {@code consecutive5xxErrors=5, interval=30s}, or null
     * @param tls              e.g. {@code ISTIO_MUTUAL}, or null
     * @param portLevelSettings number of per-port overrides
     */
    public record Policy(String loadBalancer, String connectionPool, String outlierDetection, String tls,
                         int portLevelSettings) {
    }

    static GatewaySummary gateway(Map<String, Object> spec) {
        List<Server> servers = new ArrayList<>();
        for (Object s : Untyped.list(spec, "servers")) {
            Map<String, Object> port = Untyped.map(s, "port");
            Map<String, Object> tls = Untyped.map(s, "tls");
            servers.add(new Server(Untyped.integer(port, "number"), Untyped.string(port, "name"), Untyped.upperCase(port, "protocol"),
                    Untyped.strings(s, "hosts"), Untyped.upperCase(tls, "mode"), Untyped.string(tls, "credentialName"),
                    "true".equalsIgnoreCase(Untyped.string(tls, "httpsRedirect"))));
        }
        return new GatewaySummary(Untyped.labels(spec, "selector"), servers);
    }

    static VirtualServiceSummary virtualService(Map<String, Object> spec) {
        List<HttpRoute> http = new ArrayList<>();
        for (Object r : Untyped.list(spec, "http")) {
            http.add(new HttpRoute(Untyped.string(r, "name"), matches(r), destinations(r), Untyped.string(r, "timeout"),
                    retries(Untyped.map(r, "retries")), fault(Untyped.map(r, "fault")), mirror(r),
                    flat(Untyped.map(r, "redirect")), flat(Untyped.map(r, "rewrite")),
                    flat(Untyped.map(r, "directResponse"))));
        }
        List<L4Route> tcp = Untyped.list(spec, "tcp").stream().map(r -> new L4Route(matches(r), destinations(r))).toList();
        List<L4Route> tls = Untyped.list(spec, "tls").stream().map(r -> new L4Route(matches(r), destinations(r))).toList();
        List<String> gateways = Untyped.strings(spec, "gateways");
        return new VirtualServiceSummary(Untyped.strings(spec, "hosts"), gateways.isEmpty() ? List.of("mesh") : gateways,
                Untyped.strings(spec, "exportTo"), http, tcp, tls);
    }

    static DestinationRuleSummary destinationRule(Map<String, Object> spec) {
        List<Subset> subsets = Untyped.list(spec, "subsets").stream()
                .map(s -> new Subset(Untyped.string(s, "name"), Untyped.labels(s, "labels"), policy(Untyped.map(s, "trafficPolicy"))))
                .toList();
        return new DestinationRuleSummary(Untyped.string(spec, "host"), Untyped.strings(spec, "exportTo"),
                policy(Untyped.map(spec, "trafficPolicy")), subsets);
    }

    private static List<String> matches(Object rule) {
        List<String> out = new ArrayList<>();
        for (Object m : Untyped.list(rule, "match")) {
            List<String> parts = new ArrayList<>();
            if (m instanceof Map<?, ?> map) {
                map.forEach((k, v) -> {
                    String key = String.valueOf(k);
                    if (key.equals("name")) {
                        return;
                    }
                    if (v instanceof Map<?, ?> inner && (key.equals("headers") || key.equals("queryParams")
                            || key.equals("withoutHeaders"))) {
                        inner.forEach((hk, hv) -> parts.add(key + " " + hk + " " + flat(hv)));
                    } else {
                        parts.add(key + " " + flat(v));
                    }
                });
            }
            out.add(String.join(" and ", parts));
        }
        return out;
    }

    private static List<Destination> destinations(Object rule) {
        return Untyped.list(rule, "route").stream().map(d -> {
            Map<String, Object> dest = Untyped.map(d, "destination");
            return new Destination(Untyped.string(dest, "host"), Untyped.string(dest, "subset"),
                    Untyped.integer(Untyped.map(dest, "port"), "number"), Untyped.integer(d, "weight"));
        }).toList();
    }

    private static String retries(Map<String, Object> r) {
        if (r.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (Untyped.has(r, "attempts")) {
            parts.add(Untyped.string(r, "attempts") + " attempts");
        }
        if (Untyped.has(r, "perTryTimeout")) {
            parts.add(Untyped.string(r, "perTryTimeout") + " per try");
        }
        if (Untyped.has(r, "retryOn")) {
            parts.add("on " + Untyped.string(r, "retryOn"));
        }
        return String.join(", ", parts);
    }

    private static String fault(Map<String, Object> f) {
        if (f.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        Map<String, Object> delay = Untyped.map(f, "delay");
        if (!delay.isEmpty()) {
            parts.add("delay " + Untyped.string(delay, "fixedDelay") + percent(delay));
        }
        Map<String, Object> abort = Untyped.map(f, "abort");
        if (!abort.isEmpty()) {
            String status = Untyped.has(abort, "httpStatus") ? Untyped.string(abort, "httpStatus")
                    : "grpc " + Untyped.string(abort, "grpcStatus");
            parts.add("abort " + status + percent(abort));
        }
        return String.join("; ", parts);
    }

    private static String percent(Map<String, Object> m) {
        String v = Untyped.string(Untyped.map(m, "percentage"), "value");
        if (v == null) {
            v = Untyped.string(m, "percent");
        }
        return v == null ? " for all requests" : " for " + v.replaceAll("\\.0$", "") + "%";
    }

    private static String mirror(Object rule) {
        List<String> out = new ArrayList<>();
        Map<String, Object> mirror = Untyped.map(rule, "mirror");
        if (!mirror.isEmpty()) {
            String pct = Untyped.string(Untyped.map(rule, "mirrorPercentage"), "value");
            out.add(Untyped.string(mirror, "host") + (Untyped.string(mirror, "subset") == null ? "" : " subset " + Untyped.string(mirror, "subset"))
                    + (pct == null ? "" : " (" + pct.replaceAll("\\.0$", "") + "%)"));
        }
        for (Object m : Untyped.list(rule, "mirrors")) {
            Map<String, Object> d = Untyped.map(m, "destination");
            String pct = Untyped.string(Untyped.map(m, "percentage"), "value");
            out.add(Untyped.string(d, "host") + (pct == null ? "" : " (" + pct.replaceAll("\\.0$", "") + "%)"));
        }
        return out.isEmpty() ? null : String.join(", ", out);
    }

    private static Policy policy(Map<String, Object> p) {
        if (p.isEmpty()) {
            return null;
        }
        Map<String, Object> lb = Untyped.map(p, "loadBalancer");
        String loadBalancer = lb.isEmpty() ? null : Untyped.has(lb, "simple") ? Untyped.string(lb, "simple") : flat(lb);
        Map<String, Object> tls = Untyped.map(p, "tls");
        return new Policy(loadBalancer, flatOrNull(Untyped.map(p, "connectionPool")),
                flatOrNull(Untyped.map(p, "outlierDetection")), tls.isEmpty() ? null : Untyped.string(tls, "mode"),
                Untyped.list(p, "portLevelSettings").size());
    }

    private static String flatOrNull(Map<String, Object> m) {
        return m.isEmpty() ? null : flat(m);
    }

    /** {@code {tcp: {maxConnections: 100}}} → {@code tcp maxConnections=100}. */
    static String flat(Object v) {
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) {
                return null;
            }
            return m.entrySet().stream().map(e -> e.getValue() instanceof Map<?, ?>
                            ? e.getKey() + " " + flat(e.getValue())
                            : e.getKey() + "=" + flat(e.getValue()))
                    .collect(Collectors.joining(m.values().stream().anyMatch(x -> x instanceof Map) ? "; " : ", "));
        }
        if (v instanceof List<?> l) {
            return l.stream().map(Summaries::flat).collect(Collectors.joining(",", "[", "]"));
        }
        return String.valueOf(v);
    }
}
