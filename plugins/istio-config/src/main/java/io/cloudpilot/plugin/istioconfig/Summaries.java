package io.cloudpilot.plugin.istioconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
        for (Object s : Fields.list(spec, "servers")) {
            Map<String, Object> port = Fields.map(s, "port");
            Map<String, Object> tls = Fields.map(s, "tls");
            servers.add(new Server(Fields.integer(port, "number"), Fields.str(port, "name"), Fields.upper(port, "protocol"),
                    Fields.strings(s, "hosts"), Fields.upper(tls, "mode"), Fields.str(tls, "credentialName"),
                    "true".equalsIgnoreCase(Fields.str(tls, "httpsRedirect"))));
        }
        return new GatewaySummary(Fields.labels(spec, "selector"), servers);
    }

    static VirtualServiceSummary virtualService(Map<String, Object> spec) {
        List<HttpRoute> http = new ArrayList<>();
        for (Object r : Fields.list(spec, "http")) {
            http.add(new HttpRoute(Fields.str(r, "name"), matches(r), destinations(r), Fields.str(r, "timeout"),
                    retries(Fields.map(r, "retries")), fault(Fields.map(r, "fault")), mirror(r),
                    flat(Fields.map(r, "redirect")), flat(Fields.map(r, "rewrite")),
                    flat(Fields.map(r, "directResponse"))));
        }
        List<L4Route> tcp = Fields.list(spec, "tcp").stream().map(r -> new L4Route(matches(r), destinations(r))).toList();
        List<L4Route> tls = Fields.list(spec, "tls").stream().map(r -> new L4Route(matches(r), destinations(r))).toList();
        List<String> gateways = Fields.strings(spec, "gateways");
        return new VirtualServiceSummary(Fields.strings(spec, "hosts"), gateways.isEmpty() ? List.of("mesh") : gateways,
                Fields.strings(spec, "exportTo"), http, tcp, tls);
    }

    static DestinationRuleSummary destinationRule(Map<String, Object> spec) {
        List<Subset> subsets = Fields.list(spec, "subsets").stream()
                .map(s -> new Subset(Fields.str(s, "name"), Fields.labels(s, "labels"), policy(Fields.map(s, "trafficPolicy"))))
                .toList();
        return new DestinationRuleSummary(Fields.str(spec, "host"), Fields.strings(spec, "exportTo"),
                policy(Fields.map(spec, "trafficPolicy")), subsets);
    }

    private static List<String> matches(Object rule) {
        List<String> out = new ArrayList<>();
        for (Object m : Fields.list(rule, "match")) {
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
        return Fields.list(rule, "route").stream().map(d -> {
            Map<String, Object> dest = Fields.map(d, "destination");
            return new Destination(Fields.str(dest, "host"), Fields.str(dest, "subset"),
                    Fields.integer(Fields.map(dest, "port"), "number"), Fields.integer(d, "weight"));
        }).toList();
    }

    private static String retries(Map<String, Object> r) {
        if (r.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (Fields.has(r, "attempts")) {
            parts.add(Fields.str(r, "attempts") + " attempts");
        }
        if (Fields.has(r, "perTryTimeout")) {
            parts.add(Fields.str(r, "perTryTimeout") + " per try");
        }
        if (Fields.has(r, "retryOn")) {
            parts.add("on " + Fields.str(r, "retryOn"));
        }
        return String.join(", ", parts);
    }

    private static String fault(Map<String, Object> f) {
        if (f.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        Map<String, Object> delay = Fields.map(f, "delay");
        if (!delay.isEmpty()) {
            parts.add("delay " + Fields.str(delay, "fixedDelay") + percent(delay));
        }
        Map<String, Object> abort = Fields.map(f, "abort");
        if (!abort.isEmpty()) {
            String status = Fields.has(abort, "httpStatus") ? Fields.str(abort, "httpStatus")
                    : "grpc " + Fields.str(abort, "grpcStatus");
            parts.add("abort " + status + percent(abort));
        }
        return String.join("; ", parts);
    }

    private static String percent(Map<String, Object> m) {
        String v = Fields.str(Fields.map(m, "percentage"), "value");
        if (v == null) {
            v = Fields.str(m, "percent");
        }
        return v == null ? " for all requests" : " for " + v.replaceAll("\\.0$", "") + "%";
    }

    private static String mirror(Object rule) {
        List<String> out = new ArrayList<>();
        Map<String, Object> mirror = Fields.map(rule, "mirror");
        if (!mirror.isEmpty()) {
            String pct = Fields.str(Fields.map(rule, "mirrorPercentage"), "value");
            out.add(Fields.str(mirror, "host") + (Fields.str(mirror, "subset") == null ? "" : " subset " + Fields.str(mirror, "subset"))
                    + (pct == null ? "" : " (" + pct.replaceAll("\\.0$", "") + "%)"));
        }
        for (Object m : Fields.list(rule, "mirrors")) {
            Map<String, Object> d = Fields.map(m, "destination");
            String pct = Fields.str(Fields.map(m, "percentage"), "value");
            out.add(Fields.str(d, "host") + (pct == null ? "" : " (" + pct.replaceAll("\\.0$", "") + "%)"));
        }
        return out.isEmpty() ? null : String.join(", ", out);
    }

    private static Policy policy(Map<String, Object> p) {
        if (p.isEmpty()) {
            return null;
        }
        Map<String, Object> lb = Fields.map(p, "loadBalancer");
        String loadBalancer = lb.isEmpty() ? null : Fields.has(lb, "simple") ? Fields.str(lb, "simple") : flat(lb);
        Map<String, Object> tls = Fields.map(p, "tls");
        return new Policy(loadBalancer, flatOrNull(Fields.map(p, "connectionPool")),
                flatOrNull(Fields.map(p, "outlierDetection")), tls.isEmpty() ? null : Fields.str(tls, "mode"),
                Fields.list(p, "portLevelSettings").size());
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
