package io.cloudpilot.plugin.toolkit;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;

/**
 * The query parameters every list endpoint takes, as one {@code @BeanParam}: the cluster, the filters, paging,
 * sorting and {@code force_refresh}. The platform validates their values and describes them in OpenAPI, so a list
 * endpoint declares them with one parameter.
 */
public class ListParams {

    /** {@code cluster_name}: required in server mode. */
    @QueryParam("cluster_name")
    public String clusterName;

    /** {@code namespace}: absent = all namespaces. */
    @QueryParam("namespace")
    public String namespace;

    /** {@code label_selector}. */
    @QueryParam("label_selector")
    public String labelSelector;

    /** {@code field_selector}. */
    @QueryParam("field_selector")
    public String fieldSelector;

    /** {@code page}, from 1 (default 1). */
    @QueryParam("page")
    public Integer page;

    /** {@code page_size}, 1..1000 (default 100). */
    @QueryParam("page_size")
    public Integer pageSize;

    /** {@code sort_by}: a field of the item. */
    @QueryParam("sort_by")
    public String sortBy;

    /** {@code sort_order}: asc (default) or desc. */
    @QueryParam("sort_order")
    public String sortOrder;

    /** {@code force_refresh}. */
    @QueryParam("force_refresh")
    @DefaultValue("false")
    public boolean forceRefresh;

    /**
     * @return the filters, paging and sorting, selectors validated
     * @throws io.cloudpilot.spi.ApiException.ValidationError for a malformed selector
     */
    public ListQuery query() {
        return ListQuery.of(namespace, labelSelector, fieldSelector, page, pageSize, sortBy, sortOrder);
    }
}
