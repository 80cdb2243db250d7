package io.cloudpilot.spi;

import java.util.List;
import java.util.Map;

/**
 * Adds a section to the mesh health summary without the health plugin importing the contributor's plugin.
 * A contributor that throws lowers the summary's confidence and is named in its {@code partial} list; it
 * never fails the whole summary.
 */
@Experimental
public interface HealthContributor {

    /**
     * @return the section's name in the summary, usually the contributing plugin's id
     */
    String id();

    /**
     * Reads what this contributor knows about one cluster, through the shared cache.
     *
     * @param cluster      the cluster
     * @param forceRefresh the request's {@code force_refresh}
     * @return the contribution
     */
    Contribution contribute(ClusterContext cluster, boolean forceRefresh);

    /**
     * One contributor's part of the summary.
     *
     * @param findings what is wrong or worth knowing, most severe first
     * @param details  data shown under the contributor's id (plain maps, lists, strings, numbers, records)
     */
    record Contribution(List<Finding> findings, Map<String, Object> details) {
        /** Copies the lists so a contribution cannot change after it is made. */
        public Contribution {
            findings = List.copyOf(findings);
            details = Map.copyOf(details);
        }
    }

    /**
     * One finding.
     *
     * @param code     stable code, e.g. {@code ControlPlaneDown}
     * @param severity how much it matters: critical and warning findings lower the summary's score
     * @param message  one sentence for an operator
     * @param endpoint the path with parameters that shows the details
     */
    record Finding(String code, Severity severity, String message, String endpoint) {
    }
}
