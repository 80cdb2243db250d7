package io.cloudpilot.platform.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import io.cloudpilot.platform.registry.Database;
import io.cloudpilot.platform.registry.FirstUse;
import io.cloudpilot.platform.registry.Migrations;

/**
 * The audit log's table ({@code audit_log}, migration V2) in CloudPilot's database: plain JDBC, the same SQL on
 * SQLite and PostgreSQL.
 */
final class AuditStore {

    private static final String COLUMNS = "at, principal, role, action, method, path, cluster, namespace, object, "
            + "from_state, to_state, result, status";

    private final Database db;
    private final FirstUse migration = new FirstUse();

    AuditStore(Database db) {
        this.db = db;
    }

    String description() {
        return db.description();
    }

    void insert(List<AuditRecord> records) throws SQLException {
        ensureMigrated();
        db.transaction(c -> {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO audit_log (" + COLUMNS + ") VALUES "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (AuditRecord r : records) {
                    int i = 1;
                    p.setString(i++, r.timeText());
                    p.setString(i++, r.principal());
                    p.setString(i++, r.role());
                    p.setString(i++, r.action());
                    p.setString(i++, r.method());
                    p.setString(i++, r.path());
                    p.setString(i++, r.cluster());
                    p.setString(i++, r.namespace());
                    p.setString(i++, r.object());
                    p.setString(i++, r.from());
                    p.setString(i++, r.to());
                    p.setString(i++, r.result());
                    p.setInt(i, r.status());
                    p.addBatch();
                }
                p.executeBatch();
            }
            return null;
        });
    }

    AuditPage query(AuditQuery q) throws SQLException {
        ensureMigrated();
        StringBuilder where = new StringBuilder(" WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (q.since() != null) {
            where.append(" AND at >= ?");
            args.add(AuditRecord.TIME.format(q.since()));
        }
        if (q.until() != null) {
            where.append(" AND at < ?");
            args.add(AuditRecord.TIME.format(q.until()));
        }
        if (q.principal() != null) {
            where.append(" AND principal = ?");
            args.add(q.principal());
        }
        if (q.cluster() != null) {
            where.append(" AND cluster = ?");
            args.add(q.cluster());
        }
        if (q.result() != null) {
            where.append(" AND result = ?");
            args.add(q.result());
        }
        // the column comes from a fixed map, never from the caller's text
        String column = AuditQuery.SORTABLE.getOrDefault(q.sortBy(), "at");
        String direction = q.ascending() ? "ASC" : "DESC";
        String order = " ORDER BY " + column + " " + direction + (column.equals("at") ? "" : ", at " + direction)
                + ", id " + direction;
        return db.read(c -> {
            long total;
            try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM audit_log" + where)) {
                bind(p, args);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<AuditEntryView> entries = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, " + COLUMNS + " FROM audit_log" + where + order
                    + " LIMIT ? OFFSET ?")) {
                int i = bind(p, args);
                p.setInt(i++, q.pageSize());
                p.setLong(i, (long) (q.page() - 1) * q.pageSize());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        entries.add(new AuditEntryView(rs.getLong("id"), rs.getString("at"), rs.getString("principal"),
                                rs.getString("role"), rs.getString("action"), rs.getString("method"),
                                rs.getString("path"), rs.getString("cluster"), rs.getString("namespace"),
                                rs.getString("object"), rs.getString("from_state"), rs.getString("to_state"),
                                rs.getString("result"), rs.getInt("status")));
                    }
                }
            }
            return new AuditPage(entries, entries.size(), total, q.page(), q.pageSize());
        });
    }

    private static int bind(PreparedStatement p, List<String> args) throws SQLException {
        int i = 1;
        for (String a : args) {
            if (a == null) {
                p.setNull(i++, Types.VARCHAR);
            } else {
                p.setString(i++, a);
            }
        }
        return i;
    }

    private void ensureMigrated() throws SQLException {
        migration.ensure(() -> Migrations.migrate(db));
    }

    void close() {
        db.close();
    }
}
