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

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two replicas sharing one registry (the same SQLite file, or the same PostgreSQL schema) and one configured key:
 * what one registers, replaces or removes, the other sees once its refresh interval has passed (and not before: it
 * reuses its client meanwhile), and it rebuilds or closes its client accordingly.
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

    /** B's refresh interval: long enough that B's own steps take less, short enough to wait out. */
    private static final Duration REFRESH = Duration.ofSeconds(4);

    private void sharedRegistry(Path dataDirA, Path dataDirB, Map<String, String> db) throws InterruptedException {
        List<String> changedOnB = new ArrayList<>();
        try (ServerClusters a = replica(dataDirA, db, Duration.ofSeconds(10));
             ServerClusters b = replica(dataDirB, db, REFRESH)) {
            b.onChange(changedOnB::add);
            a.registry().add(Registrations.validate(new AddClusterRequest("shared", one.url(), "token-one-a1b2", null,
                    null, null, true, null, null, null)), true, false);
            long beforeCheck = System.nanoTime();
            ClusterContext first = b.resolve("shared");
            long afterCheck = System.nanoTime();
            assertEquals("v1.33.0", first.client().getKubernetesVersion().getGitVersion());
            assertSame(first, b.resolve("shared"), "unchanged: the same client");

            a.registry().add(Registrations.validate(new AddClusterRequest("shared", two.url(), "token-two-c3d4", null,
                    null, null, true, null, null, true)), true, true);
            ClusterContext meanwhile = b.resolve("shared");
            long elapsed = System.nanoTime() - beforeCheck;
            assertTrue(elapsed < REFRESH.toNanos(), "the replacement took " + elapsed / 1_000_000 + " ms: this "
                    + "machine is too slow for the check below");
            assertSame(first, meanwhile, "within B's refresh interval B still uses its client");
            assertTrue(changedOnB.isEmpty(), "nothing heard yet: " + changedOnB);

            Thread.sleep(Math.max(0, (afterCheck + REFRESH.toNanos() - System.nanoTime()) / 1_000_000 + 100));
            ClusterContext second = b.resolve("shared");
            assertNotSame(first, second, "replaced elsewhere, seen once the interval passed: a new client");
            assertEquals("v1.34.1", second.client().getKubernetesVersion().getGitVersion());
            assertThat(changedOnB).as("B's listeners hear of it").contains("shared");

            a.registry().remove("shared");
            assertSame(second, b.resolve("shared"), "removed elsewhere, within the interval: still served");
            Thread.sleep(REFRESH.toMillis() + 100);
            assertThrows(ApiException.ClusterNotFound.class, () -> b.resolve("shared"));
            assertEquals(List.of(), b.registry().list());
        }
    }

    @Test
    void onOneSqliteFile() throws InterruptedException {
        Map<String, String> db = Map.of("db.url", "jdbc:sqlite:" + dir.resolve("shared.db"));
        sharedRegistry(dir.resolve("a"), dir.resolve("b"), db);
    }

    @Test
    void onOnePostgresDatabase() throws InterruptedException {
        try (PostgresTarget pg = PostgresTarget.require()) {
            sharedRegistry(dir.resolve("a"), dir.resolve("b"), pg.settings());
        }
    }
}
