package io.cloudpilot.platform.audit;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.TreeSet;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.KubernetesPermission;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The audit log: every write and every denied request. Needs the {@code admin} role.
 */
@Path("/audit")
@ApplicationScoped
@Tag(name = "Platform", description = "The server itself: plugins and clusters")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditTrail trail;

    /**
     * @param trail the audit log
     */
    @Inject
    public AuditResource(AuditTrail trail) {
        this.trail = trail;
    }

    /** Required by CDI for the client proxy. */
    protected AuditResource() {
        this.trail = null;
    }

    /**
     * Reads the audit log, newest first by default.
     *
     * @param since     entries at or after this time
     * @param until     entries before this time
     * @param principal only this caller
     * @param cluster   only this cluster
     * @param result    only this result
     * @param page      the page
     * @param pageSize  entries per page
     * @param sortBy    the field to sort by
     * @param sortOrder asc or desc
     * @return one page of entries
     */
    @GET
    @KubernetesPermission(verb = "list", group = "cloudpilot.io", resource = "auditentries", namespaceParameter = "")
    @Operation(summary = "Read the audit log (admin)",
            description = "Every write (scaling, cluster registration and removal, any non-GET request) and every "
                    + "request CloudPilot refused (401, 403): time, principal (the API token's name, never the token), "
                    + "role, action, HTTP method and path, cluster, namespace, object, from, to, result (ok, dry-run, "
                    + "denied or the error type) and the HTTP status. Filter with since/until (ISO-8601, e.g. "
                    + "2024-01-15T10:30:00Z, colons sent as %3A, or a UTC date such as 2024-01-15), principal, cluster_name and result; page with page and page_size; sort "
                    + "with sort_by (time, principal, action, cluster, result, status) and sort_order (default: newest "
                    + "first). Needs the admin role.")
    public AuditPage list(
            @Parameter(description = "Entries at or after this time (ISO-8601)") @QueryParam("since") String since,
            @Parameter(description = "Entries before this time (ISO-8601)") @QueryParam("until") String until,
            @Parameter(description = "Only this caller (a token's name, or anonymous)") @QueryParam("principal")
            String principal,
            @Parameter(description = "Only this cluster") @QueryParam("cluster_name") String cluster,
            @Parameter(description = "Only this result: ok, dry-run, denied or an error type") @QueryParam("result")
            String result,
            @Parameter(description = "Page, from 1 (default 1)") @QueryParam("page") Integer page,
            @Parameter(description = "Entries per page, 1 to 1000 (default 100)") @QueryParam("page_size")
            Integer pageSize,
            @Parameter(description = "time (default), principal, action, cluster, result or status")
            @QueryParam("sort_by") String sortBy,
            @Parameter(description = "asc or desc (default desc)") @QueryParam("sort_order") String sortOrder) {
        String by = sortBy == null || sortBy.isBlank() ? "time" : sortBy.trim();
        if (!AuditQuery.SORTABLE.containsKey(by)) {
            throw new ApiException.ValidationError("Query parameter 'sort_by' must be one of "
                    + String.join(", ", new TreeSet<>(AuditQuery.SORTABLE.keySet())) + ".", "parameter: sort_by");
        }
        boolean ascending = sortOrder != null && sortOrder.trim().toLowerCase(Locale.ROOT).equals("asc");
        AuditQuery query = new AuditQuery(instant("since", since), instant("until", until), blankToNull(principal),
                blankToNull(cluster), blankToNull(result), page == null ? 1 : page, pageSize == null ? 100 : pageSize,
                by, ascending);
        return trail.query(query);
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            return v.length() == 10 ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new ApiException.ValidationError("Query parameter '" + name + "' must be an ISO-8601 time such as "
                    + "2024-01-15T10:30:00Z (colons encoded as %3A) or a date such as 2024-01-15 (UTC).",
                    "parameter: " + name);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
