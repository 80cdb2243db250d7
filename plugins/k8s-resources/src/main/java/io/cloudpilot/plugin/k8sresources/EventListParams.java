package io.cloudpilot.plugin.k8sresources;

import io.cloudpilot.plugin.toolkit.ListQuery;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The selectors, paging and sorting of the namespace and cluster event lists, as one {@code @BeanParam}. */
public class EventListParams {

    static final String SORT = "Sort field: last_seen (default), first_seen, type, reason, count, namespace.";
    static final String ORDER = "desc (default: newest first) or asc.";

    /** {@code label_selector} on the events. */
    @Parameter(description = Params.LABEL_SELECTOR)
    @QueryParam("label_selector")
    public String labelSelector;

    /** {@code field_selector} on the events, passed to the cluster. */
    @Parameter(description = "Kubernetes field selector for events, passed to the cluster, e.g. type=Warning, "
            + "reason=BackOff, involvedObject.kind=Pod.")
    @QueryParam("field_selector")
    public String fieldSelector;

    /** {@code page}. */
    @Parameter(description = Params.PAGE)
    @QueryParam("page")
    public Integer page;

    /** {@code page_size}. */
    @Parameter(description = Params.PAGE_SIZE)
    @QueryParam("page_size")
    public Integer pageSize;

    /** {@code sort_by}. */
    @Parameter(description = SORT)
    @QueryParam("sort_by")
    public String sortBy;

    /** {@code sort_order}: newest first unless asked otherwise. */
    @Parameter(description = ORDER)
    @QueryParam("sort_order")
    public String sortOrder;

    /** @return the list query of these parameters in a namespace, or in every namespace when null */
    ListQuery query(String namespace) {
        return EventsResource.query(namespace, labelSelector, fieldSelector, page, pageSize, sortBy, sortOrder);
    }
}
