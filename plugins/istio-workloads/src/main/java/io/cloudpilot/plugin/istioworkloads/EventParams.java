package io.cloudpilot.plugin.istioworkloads;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters of the workload events endpoints, as one {@code @BeanParam}.
 */
public class EventParams {

    /** {@code since_seconds}: only events last seen in the last N seconds; null for all. */
    @Parameter(description = "Only events last seen in the last N seconds (at least 1).")
    @QueryParam("since_seconds")
    public Long sinceSeconds;

    /** {@code limit}: events returned at most, checked by {@link WorkloadQueries#limit(String)}. */
    @Parameter(description = "Events returned at most: 1 to 1000, default 100. The summary counts all.")
    @QueryParam("limit")
    public String limit;
}
