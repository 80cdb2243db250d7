package io.cloudpilot.platform.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.CloudPilotServer;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings of the clusters' clients and fault-tolerance policy, as Trino's {@code TestXxxConfig} classes test
 * theirs: with nothing configured each is the default {@code docs/configuration.md} names, and every key maps to its
 * own field (all keys set to values other than the defaults change every field).
 */
class ClusterSettingsTest {

    private static Config config(Map<String, String> values) {
        return CloudPilotServer.config(Optional.empty(), values);
    }

    @Test
    void guardDefaultsAreTheDocumentedOnes() {
        assertThat(ClusterGuards.Settings.from(config(Map.of()))).isEqualTo(new ClusterGuards.Settings(
                Duration.ofSeconds(20), 16, 32, 6, 50, Duration.ofSeconds(10), 1));
    }

    @Test
    void everyGuardKeyMapsToItsField() {
        Map<String, String> keys = Map.of(
                "cluster.call-timeout", "PT7S",
                "cluster.bulkhead.limit", "3",
                "cluster.bulkhead.queue", "4",
                "cluster.circuit.volume", "9",
                "cluster.circuit.error-ratio", "75",
                "cluster.circuit.delay", "PT42S",
                "cluster.circuit.success-threshold", "2");
        ClusterGuards.Settings expected = new ClusterGuards.Settings(Duration.ofSeconds(7), 3, 4, 9, 75,
                Duration.ofSeconds(42), 2);
        assertThat(ClusterGuards.Settings.from(config(keys))).isEqualTo(expected);
        // a full mapping: no field keeps its default
        assertThat(expected).hasNoNullFieldsOrProperties();
        ClusterGuards.Settings defaults = ClusterGuards.Settings.from(config(Map.of()));
        assertThat(expected.callTimeout()).isNotEqualTo(defaults.callTimeout());
        assertThat(expected.concurrentCalls()).isNotEqualTo(defaults.concurrentCalls());
        assertThat(expected.queuedCalls()).isNotEqualTo(defaults.queuedCalls());
        assertThat(expected.circuitVolume()).isNotEqualTo(defaults.circuitVolume());
        assertThat(expected.circuitErrorRatio()).isNotEqualTo(defaults.circuitErrorRatio());
        assertThat(expected.circuitDelay()).isNotEqualTo(defaults.circuitDelay());
        assertThat(expected.successThreshold()).isNotEqualTo(defaults.successThreshold());
    }

    @Test
    void clientDefaultsAreTheDocumentedOnes() {
        assertThat(ClientSettings.from(config(Map.of())))
                .isEqualTo(new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 1));
    }

    @Test
    void everyClientKeyMapsToItsField() {
        assertThat(ClientSettings.from(config(Map.of(
                "cluster.connect-timeout", "PT2S",
                "cluster.request-timeout", "PT3S",
                "cluster.retries", "0"))))
                .isEqualTo(new ClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(3), 0));
    }
}
