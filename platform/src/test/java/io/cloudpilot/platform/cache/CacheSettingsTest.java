package io.cloudpilot.platform.cache;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.CloudPilotServer;
import io.cloudpilot.platform.cache.WatchCache.Mode;

import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cache and watch settings, as Trino's {@code TestXxxConfig} classes test theirs: with nothing configured each is
 * the default {@code docs/configuration.md} names, and every key maps to its own field.
 */
class CacheSettingsTest {

    private static Config config(Map<String, String> values) {
        return CloudPilotServer.config(Optional.empty(), values);
    }

    @Test
    void cacheDefaultsAreTheDocumentedOnes() {
        // cache.ttl.log=PT1S ships in the platform's microprofile-config.properties: logs are never older than 1 s
        assertThat(CaffeineResourceCache.Settings.from(config(Map.of()))).isEqualTo(new CaffeineResourceCache.Settings(
                Duration.ofSeconds(30), Map.of("log", Duration.ofSeconds(1)), Duration.ofMinutes(5), 10_000,
                Duration.ofSeconds(5), true));
    }

    @Test
    void everyCacheKeyMapsToItsField() {
        CaffeineResourceCache.Settings s = CaffeineResourceCache.Settings.from(config(Map.of(
                "cache.ttl", "PT11S",
                "cache.ttl.pods", "PT3S",
                "cache.ttl.log", "PT0S",
                "cache.stale-max-age", "PT0S",
                "cache.max-entries", "50",
                "cache.detail-ttl", "PT2S",
                "cache.refresh-ahead", "false")));
        assertThat(s).isEqualTo(new CaffeineResourceCache.Settings(Duration.ofSeconds(11),
                Map.of("pods", Duration.ofSeconds(3), "log", Duration.ZERO), Duration.ZERO, 50, Duration.ofSeconds(2),
                false));
        // a kind's TTL: its own, by full kind or by its last segment, else cache.ttl
        assertThat(s.ttl("pods")).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.ttl("apps/v1/pods")).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.ttl("nodes")).isEqualTo(Duration.ofSeconds(11));
    }

    @Test
    void watchDefaultsAreTheDocumentedOnes() {
        WatchCache.Settings s = WatchCache.Settings.from(config(Map.of()));
        assertThat(s).isEqualTo(new WatchCache.Settings(Mode.TTL, Map.of(), Duration.ofMinutes(10),
                Duration.ofSeconds(20), Duration.ofSeconds(60)));
        assertThat(s.anyWatch()).isFalse();
    }

    @Test
    void everyWatchKeyMapsToItsField() {
        WatchCache.Settings s = WatchCache.Settings.from(config(Map.of(
                "cache.mode", "watch",
                "cache.clusters.prod.mode", "ttl",
                "cache.watch.idle", "PT1M",
                "cache.watch.sync-timeout", "PT2S",
                "cache.watch.retry-after", "PT3S")));
        assertThat(s).isEqualTo(new WatchCache.Settings(Mode.WATCH, Map.of("prod", Mode.TTL), Duration.ofMinutes(1),
                Duration.ofSeconds(2), Duration.ofSeconds(3)));
        assertThat(s.modeOf("prod")).isEqualTo(Mode.TTL);
        assertThat(s.modeOf("staging")).isEqualTo(Mode.WATCH);
    }

    @Test
    void theCloudpilotPrefixedWatchKeysMapToo() {
        WatchCache.Settings s = WatchCache.Settings.from(config(Map.of(
                "cloudpilot.cache.mode", "ttl",
                "cloudpilot.cache.clusters.prod.mode", "WATCH",
                "cloudpilot.cache.watch.idle", "PT5M")));
        assertThat(s.mode()).isEqualTo(Mode.TTL);
        assertThat(s.byCluster()).isEqualTo(Map.of("prod", Mode.WATCH));
        assertThat(s.idle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(s.anyWatch()).isTrue();
    }

    @Test
    void anUnknownModeNamesItsKey() {
        assertThatThrownBy(() -> WatchCache.Settings.from(config(Map.of("cache.clusters.prod.mode", "informer"))))
                .hasMessageContaining("cache.clusters.prod.mode");
    }
}
