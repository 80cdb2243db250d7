package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small schema migration runner. The scripts are listed in {@code db/migration/index}; each is applied once,
 * in order, and recorded in {@code schema_version} (version, description, SHA-256, time). The whole run is one
 * transaction: on PostgreSQL it first takes a transaction-scoped advisory lock, so replicas starting together
 * apply each script exactly once (the others wait, then find nothing to do); SQLite's immediate transaction does
 * the same for processes sharing a file. Running it again is a no-op.
 */
public final class Migrations {

    private static final String BASE = "db/migration/";
    private static final Pattern NAME = Pattern.compile("V(\\d+)__([A-Za-z0-9_]+)\\.sql");
    /** "CloudPlt" as a number: the advisory lock's key, the same for every replica. */
    private static final long LOCK_KEY = 0x436c6f7564506c74L;
    private static final System.Logger LOG = System.getLogger(Migrations.class.getName());

    private Migrations() {
    }

    /**
     * One script.
     *
     * @param version     its number
     * @param description what it does (from its file name)
     * @param sql         its text
     * @param checksum    SHA-256 of the text, hex
     */
    public record Script(int version, String description, String sql, String checksum) {
    }

    /** The database holds a schema newer than this build knows. */
    public static final class SchemaTooNewException extends SQLException {
        SchemaTooNewException(String message) {
            super(message);
        }
    }

    /**
     * @param dialect the database
     * @return the scripts for it, in order
     */
    public static List<Script> scripts(Database.Dialect dialect) {
        String index = resource(BASE + "index");
        if (index == null) {
            throw new IllegalStateException(BASE + "index is missing from the class path");
        }
        List<Script> scripts = new ArrayList<>();
        for (String line : index.split("\n")) {
            String file = line.trim();
            if (file.isEmpty() || file.startsWith("#")) {
                continue;
            }
            Matcher m = NAME.matcher(file);
            if (!m.matches()) {
                throw new IllegalStateException("migration " + file + " is not named V<n>__<description>.sql");
            }
            String sql = resource(BASE + dialect.name().toLowerCase(Locale.ROOT) + "/" + file);
            if (sql == null) {
                sql = resource(BASE + file);
            }
            if (sql == null) {
                throw new IllegalStateException("migration " + file + " is listed in the index but missing");
            }
            int version = Integer.parseInt(m.group(1));
            if (version != scripts.size() + 1) {
                throw new IllegalStateException("migration " + file + " breaks the sequence V1, V2, ...");
            }
            scripts.add(new Script(version, m.group(2).replace('_', ' '), sql, sha256(sql)));
        }
        return List.copyOf(scripts);
    }

    /**
     * Brings the schema up to date; one transaction.
     *
     * @param db the database
     * @return the schema version afterwards
     * @throws SQLException when a script fails (nothing of the run is kept), or the schema is newer than this build
     */
    public static int migrate(Database db) throws SQLException {
        List<Script> scripts = scripts(db.dialect());
        return db.transaction(c -> migrate(c, db.dialect(), scripts));
    }

    static int migrate(Connection c, Database.Dialect dialect, List<Script> scripts) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (dialect == Database.Dialect.POSTGRESQL) {
                s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            s.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                    + " version INTEGER NOT NULL PRIMARY KEY,"
                    + " description VARCHAR(200) NOT NULL,"
                    + " checksum VARCHAR(64) NOT NULL,"
                    + " applied_at VARCHAR(32) NOT NULL)");
        }
        Map<Integer, String> applied = new TreeMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_version")) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2));
            }
        }
        int known = scripts.size();
        int newest = applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        if (newest > known) {
            throw new SchemaTooNewException("the registry database has schema version " + newest + " but this CloudPilot "
                    + "knows versions up to " + known + ": it was written by a newer CloudPilot; upgrade this one");
        }
        int current = newest;
        for (Script script : scripts) {
            String checksum = applied.get(script.version());
            if (checksum != null) {
                if (!checksum.equals(script.checksum())) {
                    LOG.log(Level.WARNING, "Registry migration V{0} ({1}) differs from the one applied to the database; "
                            + "released migrations must not change.", script.version(), script.description());
                }
                continue;
            }
            try (Statement s = c.createStatement()) {
                for (String statement : statements(script.sql())) {
                    s.execute(statement);
                }
            } catch (SQLException e) {
                throw new SQLException("migration V" + script.version() + " (" + script.description() + ") failed: "
                        + e.getMessage(), e.getSQLState(), e);
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, checksum, applied_at) VALUES (?, ?, ?, ?)")) {
                p.setInt(1, script.version());
                p.setString(2, script.description());
                p.setString(3, script.checksum());
                p.setString(4, Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
                p.executeUpdate();
            }
            LOG.log(Level.INFO, "Registry schema: applied V{0} ({1})", script.version(), script.description());
            current = script.version();
        }
        return current;
    }

    /**
     * @param sql a script
     * @return its statements: split at ';' that ends a line, comment lines dropped
     */
    static List<String> statements(String sql) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("--") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith(";")) {
                current.append(trimmed, 0, trimmed.length() - 1);
                out.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString().strip());
        }
        return out;
    }

    private static String resource(String name) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
