package io.cloudpilot.platform.audit;

import java.time.Instant;
import java.util.Map;

/**
 * What {@code GET /audit} asks for: filters, one page, an order.
 *
 * @param since     entries at or after this time, or null
 * @param until     entries before this time, or null
 * @param principal only this caller, or null
 * @param cluster   only this cluster, or null
 * @param result    only this result (e.g. {@code denied}), or null
 * @param page      1-based page
 * @param pageSize  entries per page
 * @param sortBy    a field of the entry (a key of {@link #SORTABLE})
 * @param ascending oldest first when true
 */
public record AuditQuery(Instant since, Instant until, String principal, String cluster, String result, int page,
                         int pageSize, String sortBy, boolean ascending) {

    /** The fields an entry can be sorted by, and their columns. */
    public static final Map<String, String> SORTABLE = Map.of(
            "time", "at",
            "principal", "principal",
            "action", "action",
            "cluster", "cluster",
            "result", "result",
            "status", "status");
}
