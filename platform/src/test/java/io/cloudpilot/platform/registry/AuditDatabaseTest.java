package io.cloudpilot.platform.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.cloudpilot.platform.audit.AuditEntryView;
import io.cloudpilot.platform.audit.AuditPage;
import io.cloudpilot.platform.audit.AuditQuery;
import io.cloudpilot.platform.audit.AuditTrail;
import io.cloudpilot.platform.audit.RequestAudit;
import io.cloudpilot.platform.cluster.ClientSettings;
import io.cloudpilot.spi.AuditLog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit log's table (migration V2) on both databases the registry supports: rows written by the audit trail's
 * background writer are read back with filters, paging and order, values intact.
 */
class AuditDatabaseTest {

    @TempDir
    Path dataDir;

    private RegistryConfig config(Optional<String> url, Optional<String> user, Optional<String> password) {
        return new RegistryConfig(dataDir, url, user, password, Optional.empty(), Optional.empty(), 2, Duration.ofSeconds(10),
                new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 0));
    }

    @Test
    void sqlite() throws Exception {
        exercise(Database.of(config(Optional.empty(), Optional.empty(), Optional.empty())));
    }

    @Test
    void postgresql() throws Exception {
        try (PostgresTarget pg = PostgresTarget.require()) {
            var s = pg.settings();
            exercise(Database.of(config(Optional.of(s.get("db.url")), Optional.ofNullable(s.get("db.user")),
                    Optional.ofNullable(s.get("db.password")))));
        }
    }

    private static void exercise(Database db) throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        try (AuditTrail trail = new AuditTrail(Optional.empty(), () -> db, true)) {
            for (int i = 0; i < 5; i++) {
                RequestAudit r = RequestAudit.begin("POST", "/k8s/resources/deployments/scaling", null);
                r.caller(i % 2 == 0 ? "release-bot" : "o'brien \"quoted\" ünïcode", "operator");
                trail.record(new AuditLog.Entry("deployments.scale", "prod", "shop", "Deployment/cart", "replicas=" + i,
                        "replicas=" + (i + 1), "ok"));
                RequestAudit.end();
                trail.finish(r, 200, null);
            }
            RequestAudit denied = RequestAudit.begin("DELETE", "/k8s/cluster/remove", "prod");
            denied.denied();
            RequestAudit.end();
            trail.finish(denied, 401, "Unauthenticated");
            RequestAudit read = RequestAudit.begin("GET", "/k8s/cluster/list", null);
            RequestAudit.end();
            trail.finish(read, 200, null);

            AuditPage all = trail.query(new AuditQuery(null, null, null, null, null, 1, 100, "time", false));
            assertEquals(6, all.total(), "5 writes and 1 denial; the read is not audited: " + all);
            AuditEntryView newest = all.entries().getFirst();
            assertEquals("denied", newest.result());
            assertEquals(401, newest.status());
            assertEquals("prod", newest.cluster());
            assertEquals("anonymous", newest.principal());

            AuditPage quoted = trail.query(new AuditQuery(start, null, "o'brien \"quoted\" ünïcode", "prod", "ok", 1, 100,
                    "time", true));
            assertEquals(2, quoted.total(), quoted.toString());
            assertEquals("replicas=1", quoted.entries().get(0).from());
            assertEquals("replicas=4", quoted.entries().get(1).to());

            AuditPage page2 = trail.query(new AuditQuery(null, null, null, null, null, 2, 2, "time", true));
            assertEquals(2, page2.count());
            assertEquals(6, page2.total());
            assertEquals("replicas=2", page2.entries().get(0).from(), "ascending: the third entry opens page 2");
            assertTrue(page2.entries().get(0).id() < page2.entries().get(1).id());

            AuditPage byStatus = trail.query(new AuditQuery(null, null, null, null, null, 1, 1, "status", false));
            assertEquals(401, byStatus.entries().getFirst().status());
            assertEquals(0, trail.query(new AuditQuery(Instant.now().plusSeconds(3600), null, null, null, null, 1, 10,
                    "time", false)).total());
        }
    }
}
