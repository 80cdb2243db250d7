package io.cloudpilot.platform.registry;

import java.util.List;

/**
 * The registered clusters.
 *
 * @param clusters every registration, sorted by name
 * @param count    how many
 */
public record ClusterList(List<ClusterView> clusters, int count) {
}
