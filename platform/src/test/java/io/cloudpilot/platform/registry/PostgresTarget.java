package io.cloudpilot.platform.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the registry tests run against: {@code -Dcloudpilot.test.postgres.url=jdbc:postgresql://...}
 * (with {@code .user} and {@code .password}). Each test class gets a schema of its own, dropped afterwards.
 * Without the property the PostgreSQL tests fail when {@code CI=true} (CI must run them: {@code .ci/run} starts a
 * PostgreSQL) and are skipped, visibly, elsewhere.
 */
final class PostgresTarget implements AutoCloseable {

    static final String URL = "cloudpilot.test.postgres.url";
    static final String USER = "cloudpilot.test.postgres.user";
    static final String PASSWORD = "cloudpilot.test.postgres.password";

    static final String SKIP_MESSAGE = "the PostgreSQL registry tests need -D" + URL
            + "=jdbc:postgresql://host:port/db (and -D" + USER + ", -D" + PASSWORD + "); .ci/run starts a PostgreSQL "
            + "and passes them";

    private final String url;
    private final String user;
    private final String password;
    private final String schema;

    private PostgresTarget(String url, String user, String password, String schema) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /**
     * @return a fresh schema in the configured PostgreSQL, or null when none is configured outside CI (the caller
     *         then skips its tests with {@link #SKIP_MESSAGE})
     * @throws org.opentest4j.AssertionFailedError when none is configured and {@code CI=true}
     */
    static PostgresTarget orNull() {
        String url = System.getProperty(URL, "").trim();
        if (url.isEmpty()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true but " + SKIP_MESSAGE);
            }
            System.err.println("*** SKIPPED: " + SKIP_MESSAGE + " ***");
            return null;
        }
        PostgresTarget target = new PostgresTarget(url, System.getProperty(USER), System.getProperty(PASSWORD),
                "cp_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        target.execute("CREATE SCHEMA " + target.schema);
        return target;
    }

    /**
     * @return a fresh schema in the configured PostgreSQL; fails when none is configured and {@code CI=true}, aborts
     *         (skips) the calling test otherwise
     */
    static PostgresTarget require() {
        PostgresTarget target = orNull();
        Assumptions.assumeTrue(target != null, SKIP_MESSAGE);
        return target;
    }

    /** @return a JDBC URL whose tables live in this target's schema */
    String schemaUrl() {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /** @return the server settings that put the registry in this schema */
    Map<String, String> settings() {
        Map<String, String> s = new HashMap<>();
        s.put("db.url", schemaUrl());
        if (user != null) {
            s.put("db.user", user);
        }
        if (password != null) {
            s.put("db.password", password);
        }
        return s;
    }

    Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        return new org.postgresql.Driver().connect(schemaUrl(), p);
    }

    private void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
}
