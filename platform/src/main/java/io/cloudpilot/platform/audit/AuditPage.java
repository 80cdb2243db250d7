package io.cloudpilot.platform.audit;

import java.util.List;

/**
 * A page of the audit log, in the shape of every list of the API.
 *
 * @param entries  the entries of the page
 * @param count    entries in the page
 * @param total    entries matching the filters
 * @param page     the page
 * @param pageSize the page size
 */
public record AuditPage(List<AuditEntryView> entries, int count, long total, int page, int pageSize) {
}
