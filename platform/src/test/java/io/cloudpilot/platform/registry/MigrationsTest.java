package io.cloudpilot.platform.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.cloudpilot.platform.cluster.ClientSettings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The migration runner on real databases: idempotent, refuses a newer schema, and safe when replicas start
 * together on PostgreSQL.
 */
class MigrationsTest {

    @TempDir
    Path dir;

    private static RegistryConfig config(Path dataDir, Map<String, String> db) {
        return new RegistryConfig(dataDir, Optional.ofNullable(db.get("db.url")), Optional.ofNullable(db.get("db.user")),
                Optional.ofNullable(db.get("db.password")), Optional.empty(), Optional.empty(), 2, Duration.ofSeconds(10),
                new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 1));
    }

    private static int count(Database db, String sql) throws SQLException {
        return db.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }

    @Test
    void sqliteMigratesOnceAndIsIdempotent() throws Exception {
        try (Database db = Database.of(config(dir, Map.of()))) {
            assertEquals(Database.Dialect.SQLITE, db.dialect());
            int known = Migrations.scripts(db.dialect()).size();
            assertEquals(known, Migrations.migrate(db));
            assertEquals(known, Migrations.migrate(db));
            assertEquals(known, count(db, "SELECT COUNT(*) FROM schema_version"));
            assertEquals(0, count(db, "SELECT COUNT(*) FROM clusters"));
        }
        try (Database again = Database.of(config(dir, Map.of()))) {
            assertEquals(Migrations.scripts(again.dialect()).size(), Migrations.migrate(again), "after a restart");
        }
    }

    @Test
    void aSchemaNewerThanThisBuildIsRefused() throws Exception {
        try (Database db = Database.of(config(dir, Map.of()))) {
            Migrations.migrate(db);
            db.read(c -> {
                try (Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO schema_version (version, description, checksum, applied_at) "
                            + "VALUES (99, 'future', 'x', '2100-01-01T00:00:00Z')");
                }
            });
            Migrations.SchemaTooNewException e = assertThrows(Migrations.SchemaTooNewException.class,
                    () -> Migrations.migrate(db));
            assertTrue(e.getMessage().contains("99") && e.getMessage().contains("upgrade"), e.getMessage());
        }
    }

    @Test
    void statementsAreSplitAtLineEndSemicolons() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "CREATE TABLE b (y INT)"),
                Migrations.statements("-- comment\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (\ny INT\n);\n")
                        .stream().map(s -> s.replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")")).toList());
    }

    @Test
    void postgresReplicasStartingTogetherMigrateOnce() throws Exception {
        try (PostgresTarget pg = PostgresTarget.require()) {
            int replicas = 6;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(replicas);
            List<Database> dbs = new ArrayList<>();
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < replicas; i++) {
                    Database db = Database.of(config(dir, pg.settings()));
                    dbs.add(db);
                    results.add(pool.submit(() -> {
                        go.await();
                        return Migrations.migrate(db);
                    }));
                }
                go.countDown();
                int known = Migrations.scripts(Database.Dialect.POSTGRESQL).size();
                for (Future<Integer> r : results) {
                    assertEquals(known, r.get(60, TimeUnit.SECONDS));
                }
                try (Connection c = pg.connect(); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM schema_version")) {
                    rs.next();
                    assertEquals(known, rs.getInt(1), "each script applied exactly once");
                }
                assertEquals(0, count(dbs.get(0), "SELECT COUNT(*) FROM clusters"));
            } finally {
                pool.shutdownNow();
                dbs.forEach(Database::close);
            }
        }
    }
}
