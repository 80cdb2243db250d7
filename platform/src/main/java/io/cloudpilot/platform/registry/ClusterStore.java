package io.cloudpilot.platform.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The SQL of the registry; plain JDBC, the same statements on SQLite and PostgreSQL (both accept
 * {@code INSERT ... ON CONFLICT}).
 */
final class ClusterStore {

    private static final String COLUMNS = "name, api_server, description, auth_kind, tls_mode, ca_data, token_sealed, "
            + "kubeconfig_sealed, revision, created_at, updated_at, reachability, checked_at, last_error, server_version";
    private static final String INSERT = "INSERT INTO clusters (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            + "?, ?, ?, ?) ON CONFLICT (name) ";
    /** created_at is kept on replace. */
    private static final String UPDATE_ON_CONFLICT = "DO UPDATE SET api_server = excluded.api_server, "
            + "description = excluded.description, auth_kind = excluded.auth_kind, tls_mode = excluded.tls_mode, "
            + "ca_data = excluded.ca_data, token_sealed = excluded.token_sealed, "
            + "kubeconfig_sealed = excluded.kubeconfig_sealed, revision = excluded.revision, "
            + "updated_at = excluded.updated_at, reachability = excluded.reachability, checked_at = excluded.checked_at, "
            + "last_error = excluded.last_error, server_version = excluded.server_version";

    private final Database db;

    ClusterStore(Database db) {
        this.db = db;
    }

    Optional<StoredCluster> find(String name) throws SQLException {
        return db.read(c -> find(c, name));
    }

    private static Optional<StoredCluster> find(Connection c, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM clusters WHERE name = ?")) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    Optional<String> revision(String name) throws SQLException {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT revision FROM clusters WHERE name = ?")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    List<StoredCluster> list() throws SQLException {
        return db.read(c -> {
            List<StoredCluster> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM clusters ORDER BY name");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(row(rs));
                }
            }
            return out;
        });
    }

    /**
     * Inserts, or replaces when asked (keeping {@code created_at}).
     *
     * @param cluster the row; its created_at is used only when it is new
     * @param replace whether an existing row of that name is replaced
     * @return the stored row, or empty when the name exists and {@code replace} is false
     */
    Optional<StoredCluster> save(StoredCluster cluster, boolean replace) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement(INSERT + (replace ? UPDATE_ON_CONFLICT : "DO NOTHING"))) {
                int i = 0;
                p.setString(++i, cluster.name());
                p.setString(++i, cluster.apiServer());
                p.setString(++i, cluster.description());
                p.setString(++i, cluster.authKind().wire());
                p.setString(++i, cluster.tlsMode().wire());
                p.setString(++i, cluster.caData());
                p.setString(++i, cluster.tokenSealed());
                p.setString(++i, cluster.kubeconfigSealed());
                p.setString(++i, cluster.revision());
                p.setString(++i, cluster.createdAt());
                p.setString(++i, cluster.updatedAt());
                p.setString(++i, cluster.reachability().wire());
                p.setString(++i, cluster.checkedAt());
                p.setString(++i, truncate(cluster.lastError(), 1000));
                p.setString(++i, truncate(cluster.serverVersion(), 128));
                if (p.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            return find(c, cluster.name());
        });
    }

    boolean delete(String name) throws SQLException {
        return db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("DELETE FROM clusters WHERE name = ?")) {
                p.setString(1, name);
                return p.executeUpdate() > 0;
            }
        });
    }

    /**
     * Records a check of a registration, unless it was replaced meanwhile.
     */
    void recordCheck(String name, String revision, Reachability reachability, String checkedAt, String lastError,
                     String serverVersion) throws SQLException {
        db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE clusters SET reachability = ?, checked_at = ?, "
                    + "last_error = ?, server_version = COALESCE(?, server_version) WHERE name = ? AND revision = ?")) {
                p.setString(1, reachability.wire());
                p.setString(2, checkedAt);
                p.setString(3, truncate(lastError, 1000));
                p.setString(4, truncate(serverVersion, 128));
                p.setString(5, name);
                p.setString(6, revision);
                return p.executeUpdate();
            }
        });
    }

    /** Maps a stored sealed value (or null) to the value to store instead; the same value to keep it. */
    interface Resealer {
        String reseal(String clusterName, String sealed);
    }

    /**
     * Re-seals every stored credential in one transaction (a key rotation). A row another replica changed meanwhile
     * keeps what that replica stored: each update applies only while the row still holds the values read.
     *
     * @param resealer the new value of each sealed value
     * @return how many rows were changed
     */
    int reseal(Resealer resealer) throws SQLException {
        return db.transaction(c -> {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT name, token_sealed, kubeconfig_sealed FROM clusters "
                    + "ORDER BY name"); ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            int changed = 0;
            try (PreparedStatement p = c.prepareStatement("UPDATE clusters SET token_sealed = ?, kubeconfig_sealed = ? "
                    + "WHERE name = ? AND token_sealed IS NOT DISTINCT FROM ? "
                    + "AND kubeconfig_sealed IS NOT DISTINCT FROM ?")) {
                for (String[] row : rows) {
                    String token = resealer.reseal(row[0], row[1]);
                    String kubeconfig = resealer.reseal(row[0], row[2]);
                    if (java.util.Objects.equals(token, row[1]) && java.util.Objects.equals(kubeconfig, row[2])) {
                        continue;
                    }
                    p.setString(1, token);
                    p.setString(2, kubeconfig);
                    p.setString(3, row[0]);
                    p.setString(4, row[1]);
                    p.setString(5, row[2]);
                    changed += p.executeUpdate();
                }
            }
            return changed;
        });
    }

    /** A cheap round trip, for readiness. */
    void ping() throws SQLException {
        db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM clusters");
                 ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        });
    }

    private static StoredCluster row(ResultSet rs) throws SQLException {
        return new StoredCluster(rs.getString("name"), rs.getString("api_server"), rs.getString("description"),
                AuthKind.of(rs.getString("auth_kind")), TlsMode.of(rs.getString("tls_mode")), rs.getString("ca_data"),
                rs.getString("token_sealed"), rs.getString("kubeconfig_sealed"), rs.getString("revision"),
                rs.getString("created_at"), rs.getString("updated_at"), Reachability.of(rs.getString("reachability")),
                rs.getString("checked_at"), rs.getString("last_error"), rs.getString("server_version"));
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
