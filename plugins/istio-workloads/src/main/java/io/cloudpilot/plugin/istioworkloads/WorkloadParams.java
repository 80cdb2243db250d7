package io.cloudpilot.plugin.istioworkloads;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The query parameters every workload endpoint takes, as one {@code @BeanParam}.
 */
public class WorkloadParams {

    /** {@code cluster_name}: required in server mode. */
    @QueryParam("cluster_name")
    public String clusterName;

    /** {@code namespace}: where Istio is installed; absent = istio-system. */
    @Parameter(description = "The namespace Istio is installed in (default istio-system).")
    @QueryParam("namespace")
    public String namespace;

    /** {@code force_refresh}. */
    @QueryParam("force_refresh")
    @DefaultValue("false")
    public boolean forceRefresh;
}
