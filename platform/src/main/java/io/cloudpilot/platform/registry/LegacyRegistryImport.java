package io.cloudpilot.platform.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.cloudpilot.spi.ApiException;

import org.sqlite.SQLiteConfig;

/**
 * Imports the registrations of the earlier Python tool: its SQLite file's table {@code clusters} ({@code name},
 * {@code api_server}, {@code token}, {@code kubeconfig}, {@code description}), each row validated as
 * {@code POST /k8s/cluster/add} validates a body and stored through {@link ClusterRegistry} (so the credentials
 * are encrypted on the way in). A row that cannot be imported is skipped with the reason; the reasons name
 * columns, never their values.
 *
 * <p>A row with a token is imported as {@code api_server} + {@code token} (what the Python tool connected with; it
 * never used its {@code kubeconfig} column); a row with only a kubeconfig is imported as a kubeconfig
 * registration; a row with neither is skipped.
 */
public final class LegacyRegistryImport {

    /** The columns the Python tool's {@code clusters} table has (its {@code id} and timestamps are not kept). */
    static final List<String> COLUMNS = List.of("name", "api_server", "token", "kubeconfig", "description");

    private final ClusterRegistry registry;
    private final Options options;

    /**
     * How rows become registrations.
     *
     * @param replace               replace a cluster already registered under the same name (default: skip it)
     * @param verify                check each cluster's {@code GET /version} before storing it (default: store
     *                              unchecked, reachability {@code unknown})
     * @param insecureSkipTlsVerify register token rows with {@code insecure_skip_tls_verify} (what the Python tool
     *                              did for every cluster); default: TLS verified against the JVM's trusted CAs
     * @param insecure              accept {@code http://} API servers
     */
    public record Options(boolean replace, boolean verify, boolean insecureSkipTlsVerify, boolean insecure) {
    }

    /**
     * @param registry where the clusters go
     * @param options  how rows become registrations
     */
    public LegacyRegistryImport(ClusterRegistry registry, Options options) {
        this.registry = registry;
        this.options = options;
    }

    /**
     * Reads every row of the file's {@code clusters} table (read-only) and imports it.
     *
     * @param file the Python tool's SQLite database ({@code cloudpilot.db})
     * @return one outcome per row, in the file's order
     * @throws IllegalArgumentException when the file is not such a database (missing, not SQLite, no table
     *                                  {@code clusters} with the expected columns)
     */
    public List<ImportOutcome> run(Path file) {
        List<LegacyRow> rows = read(file);
        List<ImportOutcome> outcomes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LegacyRow row : rows) {
            outcomes.add(importRow(row, seen));
        }
        return outcomes;
    }

    private ImportOutcome importRow(LegacyRow row, Set<String> seen) {
        String name = row.name() == null ? "" : row.name();
        if (!seen.add(name)) {
            return new ImportOutcome(name, false, "the file holds this name more than once; the first row was used");
        }
        boolean hasToken = row.token() != null;
        boolean hasKubeconfig = row.kubeconfig() != null;
        if (!hasToken && !hasKubeconfig) {
            return new ImportOutcome(name, false, "no token and no kubeconfig: register it with its credentials through "
                    + "POST /k8s/cluster/add");
        }
        try {
            ClusterRegistration registration;
            if (hasToken) {
                // --insecure admits http:// rows and --insecure-skip-tls-verify concerns https:// rows: each applies
                // only to the rows it is about, never turning a good row into an error about the other
                boolean http = row.apiServer() != null && row.apiServer().regionMatches(true, 0, "http://", 0, 7);
                registration = Registrations.validate(new AddClusterRequest(name, row.apiServer(), row.token(),
                        row.description(), null, (options.insecureSkipTlsVerify() && !http) ? Boolean.TRUE : null,
                        (options.insecure() && http) ? Boolean.TRUE : null, null, options.verify(), options.replace()));
            } else {
                registration = Registrations.fromKubeconfig(Registrations.validName(name), row.kubeconfig(),
                        Registrations.validDescription(row.description()), options.insecure(), false, "kubeconfig");
            }
            boolean existed = registry.revision(registration.name()).isPresent();
            ClusterView stored = registry.add(registration, options.verify(), options.replace());
            String how = stored.authKind() + ", TLS " + stored.tlsMode() + (options.verify()
                    ? ", reachable (" + stored.serverVersion() + ")" : ", not checked")
                    + (existed ? ", replaced the existing registration" : "")
                    + (hasToken && hasKubeconfig ? "; its kubeconfig column was not used (the token was)" : "");
            return new ImportOutcome(name, true, how);
        } catch (ApiException.Conflict e) {
            return new ImportOutcome(name, false, "already registered (--replace replaces it)");
        } catch (ApiException e) {
            // the validation speaks of the API's fields; here they are the file's columns
            return new ImportOutcome(name, false, e.getMessage().replace("Field '", "Column '"));
        }
    }

    private record LegacyRow(String name, String apiServer, String token, String kubeconfig, String description) {
        @Override
        public String toString() {
            return "LegacyRow[name=" + name + ", apiServer=" + apiServer + "]";
        }
    }

    private static List<LegacyRow> read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(file + " does not exist or is not a readable file");
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
             Statement s = c.createStatement()) {
            Set<String> columns = new HashSet<>();
            try (ResultSet rs = s.executeQuery("PRAGMA table_info(clusters)")) {
                while (rs.next()) {
                    columns.add(rs.getString("name").toLowerCase(Locale.ROOT));
                }
            }
            if (columns.isEmpty()) {
                throw new IllegalArgumentException(file + " has no table 'clusters': is it the earlier tool's "
                        + "cloudpilot.db?");
            }
            List<String> missing = COLUMNS.stream().filter(col -> !columns.contains(col)).toList();
            if (missing.contains("name") || missing.contains("api_server")) {
                throw new IllegalArgumentException("table 'clusters' of " + file + " lacks column(s) " + missing
                        + ": is it the earlier tool's cloudpilot.db?");
            }
            String select = COLUMNS.stream().map(col -> columns.contains(col) ? col : "NULL AS " + col)
                    .reduce((a, b) -> a + ", " + b).orElseThrow();
            List<LegacyRow> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT " + select + " FROM clusters ORDER BY rowid")) {
                while (rs.next()) {
                    rows.add(new LegacyRow(rs.getString(1), blankToNull(rs.getString(2)), blankToNull(rs.getString(3)),
                            blankToNull(rs.getString(4)), blankToNull(rs.getString(5))));
                }
            }
            return rows;
        } catch (SQLException e) {
            // SQLite's messages name the file and the statement, never row values
            throw new IllegalArgumentException("cannot read " + file + " as an SQLite database: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
