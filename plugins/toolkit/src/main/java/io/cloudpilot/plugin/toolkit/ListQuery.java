package io.cloudpilot.plugin.toolkit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import io.cloudpilot.spi.ApiException;

/**
 * The contract's list parameters and what they do to a list: filter (done upstream through the selectors), sort
 * and page. Paging and sorting work on the cached full list and never change what is cached.
 *
 * @param namespace     the namespace, or null for all
 * @param labelSelector a label selector, or null
 * @param fieldSelector a field selector, or null
 * @param page          the page, from 1
 * @param pageSize      items per page, 1..1000
 * @param sortBy        the field to sort by, or null for the list's default
 * @param descending    whether to sort in descending order
 */
public record ListQuery(String namespace, String labelSelector, String fieldSelector, int page, int pageSize,
                        String sortBy, boolean descending) {

    /** The default page size of the contract. */
    public static final int DEFAULT_PAGE_SIZE = 100;

    /**
     * Reads the query parameters (already range-checked by the platform) and validates the selectors.
     *
     * @param namespace     {@code namespace}
     * @param labelSelector {@code label_selector}
     * @param fieldSelector {@code field_selector}
     * @param page          {@code page}, null for 1
     * @param pageSize      {@code page_size}, null for 100
     * @param sortBy        {@code sort_by}
     * @param sortOrder     {@code sort_order}: asc (default) or desc
     * @return the query
     * @throws ApiException.ValidationError for a malformed selector
     */
    public static ListQuery of(String namespace, String labelSelector, String fieldSelector, Integer page,
                               Integer pageSize, String sortBy, String sortOrder) {
        Selectors.validateLabelSelector(labelSelector);
        Selectors.validateFieldSelector(fieldSelector);
        return new ListQuery(blankToNull(namespace), blankToNull(labelSelector), blankToNull(fieldSelector),
                page == null ? 1 : page, pageSize == null ? DEFAULT_PAGE_SIZE : pageSize, blankToNull(sortBy),
                "desc".equalsIgnoreCase(sortOrder));
    }

    /**
     * Sorts and pages a list.
     *
     * @param items       the full list (not changed)
     * @param sortKeys    the fields callers may sort by, and how to read each
     * @param defaultSort the field used when {@code sort_by} is absent
     * @param <T>         the item type
     * @return the page
     * @throws ApiException.ValidationError when {@code sort_by} names no sortable field
     */
    public <T> Page<T> apply(List<T> items, Map<String, Function<T, ? extends Comparable<?>>> sortKeys,
                             String defaultSort) {
        return page(sort(items, sortKeys, defaultSort));
    }

    /**
     * Sorts a list by {@code sort_by} and {@code sort_order}: the part of {@link #apply} worth memoising (see
     * {@link Derived}) with {@link #sortVariant()}, since it does not depend on the page.
     *
     * @param items       the full list (not changed)
     * @param sortKeys    the fields callers may sort by, and how to read each
     * @param defaultSort the field used when {@code sort_by} is absent
     * @param <T>         the item type
     * @return a new sorted list
     * @throws ApiException.ValidationError when {@code sort_by} names no sortable field
     */
    public <T> List<T> sort(List<T> items, Map<String, Function<T, ? extends Comparable<?>>> sortKeys,
                            String defaultSort) {
        String field = sortBy == null ? defaultSort : sortBy.toLowerCase(Locale.ROOT);
        Function<T, ? extends Comparable<?>> key = sortKeys.get(field);
        if (key == null) {
            throw new ApiException.ValidationError("Query parameter 'sort_by' cannot be " + ApiException.quote(sortBy)
                    + ": sort by one of "
                    + sortKeys.keySet().stream().sorted().toList() + ".");
        }
        // items without the field (no timestamp, no node) come last in either order
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<Comparable> values = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Comparator<T> order = Comparator.comparing((Function) key, Comparator.nullsLast(values));
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(order);
        return sorted;
    }

    /**
     * The one meaning of {@code sort_by=age} on every list: by how old the object is, so ascending lists the youngest
     * first and {@code sort_order=desc} the oldest first, as {@code kubectl get --sort-by} lists by age read downwards.
     *
     * @param creationTimestamp reads the item's creation time (RFC 3339), null when unknown
     * @param <T>               the item type
     * @return the sort key: minus the creation time in milliseconds, null when unknown
     */
    public static <T> Function<T, Long> byAge(Function<T, String> creationTimestamp) {
        return t -> {
            Instant created = Ages.parse(creationTimestamp.apply(t));
            return created == null ? null : -created.toEpochMilli();
        };
    }

    /**
     * Sorting by the creation time itself ({@code created_at}, {@code creation_timestamp}): ascending lists the oldest
     * first, the reverse of {@link #byAge}.
     *
     * @param creationTimestamp reads the item's creation time (RFC 3339), null when unknown
     * @param <T>               the item type
     * @return the sort key, null when unknown
     */
    public static <T> Function<T, Instant> byCreation(Function<T, String> creationTimestamp) {
        return t -> Ages.parse(creationTimestamp.apply(t));
    }

    /** @return what the order of {@link #sort} depends on: the sort field and the order */
    public String sortVariant() {
        return (sortBy == null ? "" : sortBy.toLowerCase(Locale.ROOT)) + (descending ? " desc" : " asc");
    }

    /**
     * @param sorted the sorted full list
     * @param <T>    the item type
     * @return this query's page of it
     */
    public <T> Page<T> page(List<T> sorted) {
        int from = (int) Math.min((long) (page - 1) * pageSize, sorted.size());
        int to = Math.min(from + pageSize, sorted.size());
        return new Page<>(List.copyOf(sorted.subList(from, to)), sorted.size(), page, pageSize);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * One page of a list.
     *
     * @param items    the items of the page
     * @param total    items in the whole list
     * @param page     the page number
     * @param pageSize the page size
     * @param <T>      the item type
     */
    public record Page<T>(List<T> items, int total, int page, int pageSize) {
        /** @return items on this page */
        public int count() {
            return items.size();
        }
    }
}
