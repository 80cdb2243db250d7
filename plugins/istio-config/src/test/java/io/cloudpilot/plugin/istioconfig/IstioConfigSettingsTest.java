package io.cloudpilot.plugin.istioconfig;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.cloudpilot.plugin.istioconfig.ValidationOptions.OutboundTrafficPolicy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The plugin's settings per cluster, and a wrong value refused with its key named. */
class IstioConfigSettingsTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void defaultsAreIstios() {
        ValidationOptions o = IstioConfigSettings.from(Map.of()).forCluster("any", NOW);
        assertEquals("cluster.local", o.dnsDomain());
        assertEquals(OutboundTrafficPolicy.ALLOW_ANY, o.outboundTrafficPolicy());
        assertEquals(Set.of(), o.ignored());
    }

    @Test
    void aClusterSettingBeatsTheGlobalOne() {
        IstioConfigSettings s = IstioConfigSettings.from(Map.of("dns-domain", "corp.internal",
                "clusters.edge.dns-domain", "Edge.Example", "clusters.edge.outbound-traffic-policy", "registry_only",
                "validations.ignore", "VirtualServiceWeightSum, GatewayPortNotOnService"));
        assertEquals("corp.internal", s.forCluster("prod", NOW).dnsDomain());
        assertEquals(OutboundTrafficPolicy.ALLOW_ANY, s.forCluster("prod", NOW).outboundTrafficPolicy());
        assertEquals("edge.example", s.forCluster("edge", NOW).dnsDomain());
        assertEquals(OutboundTrafficPolicy.REGISTRY_ONLY, s.forCluster("edge", NOW).outboundTrafficPolicy());
        assertEquals(Set.of(Code.VIRTUAL_SERVICE_WEIGHT_SUM, Code.GATEWAY_PORT_NOT_ON_SERVICE),
                s.forCluster("edge", NOW).ignored());
    }

    @Test
    void wrongValuesNameTheirKey() {
        for (Map<String, String> bad : java.util.List.of(Map.of("dns-domain", "not a domain"),
                Map.of("clusters.a.outbound-traffic-policy", "DENY"), Map.of("validations.ignore", "NoSuchCode"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IstioConfigSettings.from(bad));
            String key = bad.keySet().iterator().next();
            assertThat(e.getMessage()).as(e.getMessage()).contains("plugins.istio-config." + key);
        }
    }

    @Test
    void theMeshConfigWinsOverTheSetting() {
        ValidationOptions o = IstioConfigSettings.from(Map.of("outbound-traffic-policy", "ALLOW_ANY"))
                .forCluster("any", NOW);
        MeshSettings m = MeshSettings.of("""
                outboundTrafficPolicy:
                  mode: REGISTRY_ONLY
                rootNamespace: mesh-root
                defaultVirtualServiceExportTo: ["."]
                """, o);
        assertEquals(OutboundTrafficPolicy.REGISTRY_ONLY, m.outboundTrafficPolicy());
        assertEquals("mesh-config", m.policySource());
        assertEquals("mesh-root", m.rootNamespace());
        assertEquals(java.util.List.of("."), m.defaultExportTo().get("VirtualService"));
        assertEquals(java.util.List.of("*"), m.defaultExportTo().get("Service"));
        assertEquals("setting", MeshSettings.of(null, o).policySource());
        assertEquals(OutboundTrafficPolicy.ALLOW_ANY, MeshSettings.of("not: [yaml", o).outboundTrafficPolicy());
    }
}
