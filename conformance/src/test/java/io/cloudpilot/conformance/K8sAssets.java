package io.cloudpilot.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the control-plane binaries are: {@code -Dcloudpilot.test.k8s.assets=DIR}, else the environment's
 * {@code CLOUDPILOT_K8S_ASSETS}, else {@code KUBEBUILDER_ASSETS} (the envtest convention), else the cache that
 * {@code conformance/bin/k8s-binaries.sh} fills ({@code ~/.cache/cloudpilot/k8s-1.20.2/bin}).
 */
final class K8sAssets {

    static final String PROPERTY = "cloudpilot.test.k8s.assets";
    static final List<String> BINARIES = List.of("etcd", "kube-apiserver", "kube-controller-manager",
            "kube-scheduler");
    static final String HOW_TO = "the conformance suite needs " + String.join(", ", BINARIES)
            + ": run conformance/bin/k8s-binaries.sh once (builds and caches them), or point -D" + PROPERTY
            + ", CLOUDPILOT_K8S_ASSETS or KUBEBUILDER_ASSETS at a directory holding them (docs/testing.md)";

    private K8sAssets() {
    }

    /** @return the directory, or empty when no candidate holds all four executables */
    static Optional<Path> find() {
        String cacheRoot = Optional.ofNullable(System.getenv("CLOUDPILOT_CACHE")).filter(s -> !s.isBlank())
                .orElse(Path.of(System.getProperty("user.home"), ".cache", "cloudpilot").toString());
        List<String> candidates = java.util.stream.Stream.of(System.getProperty(PROPERTY),
                        System.getenv("CLOUDPILOT_K8S_ASSETS"), System.getenv("KUBEBUILDER_ASSETS"),
                        Path.of(cacheRoot, "k8s-1.20.2", "bin").toString())
                .filter(s -> s != null && !s.isBlank()).toList();
        for (String candidate : candidates) {
            Path dir = Path.of(candidate);
            if (BINARIES.stream().allMatch(b -> Files.isExecutable(dir.resolve(b)))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }
}
