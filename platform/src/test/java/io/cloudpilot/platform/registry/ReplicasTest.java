package io.cloudpilot.platform.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.platform.cluster.ClientSettings;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas sharing one registry (the same SQLite file, or the same PostgreSQL schema) and one configured key:
 * what one registers, replaces or removes, the other sees within its refresh interval, and it rebuilds or closes
 * its client accordingly.
 */
class ReplicasTest {

    private static MockCluster one;
    private static MockCluster two;
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
        31, 32});

    @TempDir
    Path dir;

    @BeforeAll
    static void clusters() {
        one = MockCluster.start("token-one-a1b2", "v1.33.0");
        two = MockCluster.start("token-two-c3d4", "v1.34.1");
    }

    @AfterAll
    static void stop() {
        one.close();
        two.close();
    }

    private ServerClusters replica(Path dataDir, Map<String, String> db, Duration refresh) {
        return new ServerClusters(new RegistryConfig(dataDir, Optional.ofNullable(db.get("db.url")),
                Optional.ofNullable(db.get("db.user")), Optional.ofNullable(db.get("db.password")), Optional.of(KEY), Optional.empty(), 2,
                refresh, new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 1)));
    }

    private void sharedRegistry(Path dataDirA, Path dataDirB, Map<String, String> db) {
        List<String> changedOnB = new ArrayList<>();
        try (ServerClusters a = replica(dataDirA, db, Duration.ofSeconds(10));
             ServerClusters b = replica(dataDirB, db, Duration.ZERO)) {
            b.onChange(changedOnB::add);
            a.registry().add(Registrations.validate(new AddClusterRequest("shared", one.url(), "token-one-a1b2", null,
                    null, null, true, null, null, null)), true, false);
            ClusterContext first = b.resolve("shared");
            assertEquals("v1.33.0", first.client().getKubernetesVersion().getGitVersion());
            assertSame(first, b.resolve("shared"), "unchanged: the same client");

            a.registry().add(Registrations.validate(new AddClusterRequest("shared", two.url(), "token-two-c3d4", null,
                    null, null, true, null, null, true)), true, true);
            ClusterContext second = b.resolve("shared");
            assertNotSame(first, second, "replaced elsewhere: a new client");
            assertEquals("v1.34.1", second.client().getKubernetesVersion().getGitVersion());
            assertTrue(changedOnB.contains("shared"), "B's listeners hear of it");

            a.registry().remove("shared");
            assertThrows(ApiException.ClusterNotFound.class, () -> b.resolve("shared"));
            assertEquals(List.of(), b.registry().list());
        }
    }

    @Test
    void onOneSqliteFile() {
        Map<String, String> db = Map.of("db.url", "jdbc:sqlite:" + dir.resolve("shared.db"));
        sharedRegistry(dir.resolve("a"), dir.resolve("b"), db);
    }

    @Test
    void onOnePostgresDatabase() {
        try (PostgresTarget pg = PostgresTarget.require()) {
            sharedRegistry(dir.resolve("a"), dir.resolve("b"), pg.settings());
        }
    }
}
