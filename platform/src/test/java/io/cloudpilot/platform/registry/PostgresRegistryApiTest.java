package io.cloudpilot.platform.registry;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The same registry API tests on PostgreSQL ({@code db.url}), in a schema of their own. Needs
 * {@code -Dcloudpilot.test.postgres.url}; fails without it when {@code CI=true}, is skipped (visibly) otherwise.
 */
class PostgresRegistryApiTest extends AbstractRegistryApiTest {

    private PostgresTarget postgres;

    @BeforeAll
    @Override
    void startAll() throws java.io.IOException {
        postgres = PostgresTarget.orNull();
        if (postgres != null) {
            super.startAll();
        }
    }

    /** Without a PostgreSQL (outside CI) every test is reported as skipped, with the reason. */
    @BeforeEach
    void needsPostgres() {
        Assumptions.assumeTrue(postgres != null, PostgresTarget.SKIP_MESSAGE);
    }

    @AfterAll
    @Override
    void stopAll() {
        try {
            super.stopAll();
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Override
    Map<String, String> databaseSettings() {
        return postgres.settings();
    }

    /** Every column of every row, as the database returns them. */
    @Override
    String storedContent() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM clusters")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    all.append(rs.getString(i)).append('\n');
                }
            }
        }
        return all.toString();
    }
}
