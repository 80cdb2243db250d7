package io.cloudpilot.plugin.istioworkloads;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

/**
 * The Service in front of a workload, as an operator reads it.
 */
final class ServiceViews {

    private ServiceViews() {
    }

    /**
     * A Service.
     *
     * @param name                 its name
     * @param namespace            its namespace
     * @param type                 ClusterIP, NodePort, LoadBalancer or ExternalName
     * @param clusterIp            the cluster IP, or null (headless)
     * @param externalIps          {@code spec.externalIPs}
     * @param loadBalancerIp       the first load balancer ingress IP, or null
     * @param loadBalancerHostname the first load balancer ingress hostname (AWS ELB), or null
     * @param externalAddresses    every address clients outside the cluster can use: ingress IPs and hostnames,
     *                             then external IPs
     * @param ports                its ports
     */
    public record ServiceView(String name, String namespace, String type, String clusterIp, List<String> externalIps,
                              String loadBalancerIp, String loadBalancerHostname, List<String> externalAddresses,
                              List<PortView> ports) {
    }

    /**
     * One port of a Service.
     *
     * @param name       its name
     * @param port       the Service port
     * @param targetPort the pod port, a number or a named port
     * @param protocol   TCP, UDP or SCTP
     * @param nodePort   the node port, or null
     */
    public record PortView(String name, int port, String targetPort, String protocol, Integer nodePort) {
    }

    static ServiceView of(Service s) {
        var spec = s.getSpec();
        List<LoadBalancerIngress> ingress = s.getStatus() == null || s.getStatus().getLoadBalancer() == null
                || s.getStatus().getLoadBalancer().getIngress() == null ? List.of() : s.getStatus().getLoadBalancer().getIngress();
        List<PortView> ports = new ArrayList<>();
        if (spec.getPorts() != null) {
            for (ServicePort p : spec.getPorts()) {
                String target = p.getTargetPort() == null ? null
                        : p.getTargetPort().getStrVal() != null ? p.getTargetPort().getStrVal()
                        : String.valueOf(p.getTargetPort().getIntVal());
                ports.add(new PortView(p.getName(), p.getPort() == null ? 0 : p.getPort(), target,
                        p.getProtocol() == null ? "TCP" : p.getProtocol(), p.getNodePort()));
            }
        }
        String lbIp = ingress.stream().map(LoadBalancerIngress::getIp).filter(x -> x != null && !x.isBlank()).findFirst().orElse(null);
        String lbHost = ingress.stream().map(LoadBalancerIngress::getHostname).filter(x -> x != null && !x.isBlank()).findFirst().orElse(null);
        return new ServiceView(s.getMetadata().getName(), s.getMetadata().getNamespace(), spec.getType(),
                "None".equals(spec.getClusterIP()) ? null : spec.getClusterIP(),
                spec.getExternalIPs() == null ? List.of() : List.copyOf(spec.getExternalIPs()),
                lbIp, lbHost, externalAddresses(s), List.copyOf(ports));
    }

    /** @return load balancer IPs and hostnames, then external IPs, without duplicates */
    static List<String> externalAddresses(Service s) {
        Set<String> out = new LinkedHashSet<>();
        if (s.getStatus() != null && s.getStatus().getLoadBalancer() != null && s.getStatus().getLoadBalancer().getIngress() != null) {
            for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) {
                if (i.getIp() != null && !i.getIp().isBlank()) {
                    out.add(i.getIp());
                }
                if (i.getHostname() != null && !i.getHostname().isBlank()) {
                    out.add(i.getHostname());
                }
            }
        }
        if (s.getSpec() != null && s.getSpec().getExternalIPs() != null) {
            out.addAll(s.getSpec().getExternalIPs());
        }
        return List.copyOf(out);
    }
}
