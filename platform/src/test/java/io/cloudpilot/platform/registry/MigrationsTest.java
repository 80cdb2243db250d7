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

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
            assertThat(e.getMessage()).as(e.getMessage()).contains("99", "upgrade");
        }
    }

    @Test
    void oneScriptServesBothDialectsWithItsPhrasesReplaced() {
        Migrations.Script sqlite = Migrations.scripts(Database.Dialect.SQLITE).get(1);
        Migrations.Script postgres = Migrations.scripts(Database.Dialect.POSTGRESQL).get(1);
        assertThat(sqlite.description()).isEqualTo("audit log");
        assertThat(sqlite.sql()).contains("id         INTEGER PRIMARY KEY AUTOINCREMENT,").doesNotContain("${");
        assertThat(postgres.sql()).contains("id         BIGSERIAL PRIMARY KEY,").doesNotContain("${");
        // the same script, so the same checksum in every database
        assertThat(sqlite.checksum()).isEqualTo(postgres.checksum());
        assertThatThrownBy(() -> Migrations.inDialect("CREATE TABLE t (id ${serial});", Database.Dialect.SQLITE, "V9"))
                .hasMessageContaining("${serial}");
    }

    @Test
    void aDatabaseMigratedWithV2AsItWasOncePerDialectIsNotWarnedAbout() throws Exception {
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(Migrations.class.getName());
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(String.valueOf(r.getMessage()));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(handler);
        try (Database db = Database.of(config(dir, Map.of()))) {
            Migrations.migrate(db);
            // the checksum the SQLite file of V2 had before the dialects shared one script
            setChecksum(db, 2, "598b0045ea8ddb43a884a1fec125d2a48e8ef3a4d96b30a36eba911a3746ecf5");
            Migrations.migrate(db);
            assertThat(warnings).isEmpty();
            // control: a checksum of a script that really changed is warned about
            setChecksum(db, 2, "0".repeat(64));
            Migrations.migrate(db);
            assertThat(warnings).hasSize(1).first().asString().contains("differs");
        } finally {
            log.removeHandler(handler);
        }
    }

    private static void setChecksum(Database db, int version, String checksum) throws SQLException {
        db.read(c -> {
            try (Statement s = c.createStatement()) {
                return s.executeUpdate("UPDATE schema_version SET checksum = '" + checksum + "' WHERE version = " + version);
            }
        });
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
