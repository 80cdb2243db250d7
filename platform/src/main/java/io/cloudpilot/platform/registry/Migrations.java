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
import java.util.Map;
import java.util.Set;
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

    /** What a script's {@code ${name}} stands for in each dialect: the few phrases SQLite and PostgreSQL write differently. */
    private static final Map<String, Map<Database.Dialect, String>> PHRASES = Map.of(
            "generated_id", Map.of(
                    Database.Dialect.SQLITE, "INTEGER PRIMARY KEY AUTOINCREMENT",
                    Database.Dialect.POSTGRESQL, "BIGSERIAL PRIMARY KEY"));
    private static final Pattern PHRASE = Pattern.compile("\\$\\{([a-z_]+)}");
    /**
     * Checksums a database may hold for a script that was since rewritten without changing what it does: V2 was
     * once a file per dialect (sqlite/ and postgresql/V2__audit_log.sql, issue 21 made it one).
     */
    private static final Map<Integer, Set<String>> EARLIER_CHECKSUMS = Map.of(2, Set.of(
            "598b0045ea8ddb43a884a1fec125d2a48e8ef3a4d96b30a36eba911a3746ecf5",
            "3762bea7c99c4378c37c741a49874fa55a01bad63a5d649ff722ab5531007aa8"));

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
            String text = resource(BASE + file);
            if (text == null) {
                throw new IllegalStateException("migration " + file + " is listed in the index but missing");
            }
            int version = Integer.parseInt(m.group(1));
            if (version != scripts.size() + 1) {
                throw new IllegalStateException("migration " + file + " breaks the sequence V1, V2, ...");
            }
            // the checksum is the script's, the same for every dialect
            scripts.add(new Script(version, m.group(2).replace('_', ' '), inDialect(text, dialect, file), sha256(text)));
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
                if (!checksum.equals(script.checksum())
                        && !EARLIER_CHECKSUMS.getOrDefault(script.version(), Set.of()).contains(checksum)) {
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

    /** The script with each {@code ${name}} replaced by the dialect's phrase. */
    static String inDialect(String text, Database.Dialect dialect, String file) {
        Matcher m = PHRASE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Map<Database.Dialect, String> phrase = PHRASES.get(m.group(1));
            if (phrase == null) {
                throw new IllegalStateException("migration " + file + " names an unknown phrase " + m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(phrase.get(dialect)));
        }
        m.appendTail(out);
        return out.toString();
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
