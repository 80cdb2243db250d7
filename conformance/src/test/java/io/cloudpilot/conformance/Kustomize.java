package io.cloudpilot.conformance;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * {@code deploy/kubernetes/} as a team uses it: rendered by {@code kubectl kustomize} (kustomize is built into
 * kubectl) and given to the API server by {@code kubectl apply}.
 */
final class Kustomize {

    static final String KUBECTL_PROPERTY = "cloudpilot.test.kubectl";
    static final String HOW_TO = "the deployment tests need kubectl 1.21+ (it renders deploy/kubernetes/ with its "
            + "built-in kustomize) on PATH or at -D" + KUBECTL_PROPERTY + "=FILE";

    private Kustomize() {
    }

    /** Skips (or under CI=true fails) the calling class without kubectl. */
    static void requireKubectl() {
        Prerequisite.require(kubectl() != null, HOW_TO);
    }

    static Path kubectl() {
        String configured = System.getProperty(KUBECTL_PROPERTY, "");
        if (!configured.isBlank()) {
            return Files.isExecutable(Path.of(configured)) ? Path.of(configured) : null;
        }
        return Prerequisite.onPath("kubectl");
    }

    /** @return {@code deploy/kubernetes} */
    static Path deployDir() {
        return Path.of(System.getProperty("cloudpilot.deploy.dir")).toAbsolutePath().normalize();
    }

    /**
     * @param dir a kustomization under {@code deploy/kubernetes}, e.g. {@code base} or {@code overlays/server}
     * @return what {@code kubectl kustomize} renders from it
     */
    static String render(String dir) {
        return kubectl("kustomize", deployDir().resolve(dir).toString()).ok().stdout();
    }

    /** @return the objects of rendered YAML, as fabric8 reads them */
    static List<HasMetadata> items(KubernetesClient client, String yaml) {
        return client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items();
    }

    /**
     * {@code kubectl apply --dry-run=server}: the API server validates, defaults and admits every object, stores none.
     *
     * @param kubeconfig whose current context is used
     * @param yaml       the objects
     * @return the command's result
     */
    static Command dryRunApply(Path kubeconfig, String yaml) {
        return Command.run(List.of(kubectl().toString(), "--kubeconfig", kubeconfig.toString(), "apply",
                "--dry-run=server", "-f", "-"), Map.of(), yaml, Duration.ofMinutes(2));
    }

    /**
     * Creates the object, or updates it when it exists already: the same ClusterRole is also what
     * {@code bin/cloudpilot-remote-token} applies (ClusterSourcesConformanceTest), and it stays.
     *
     * @param dryRun only a server-side dry run: validation and admission, nothing stored
     * @return the object as the API server has it (or would)
     */
    static HasMetadata apply(KubernetesClient client, HasMetadata item, boolean dryRun) {
        var resource = client.resource(item);
        return (dryRun ? resource.dryRun() : resource)
                .createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
    }

    /**
     * Deletes the namespace's pods at once: without a kubelet nothing confirms a graceful deletion, so they (and a
     * namespace being deleted) would stay forever.
     */
    static void forceDeletePods(KubernetesClient client, String namespace) {
        client.pods().inNamespace(namespace).withGracePeriod(0).delete();
    }

    private static Command kubectl(String... args) {
        List<String> argv = new java.util.ArrayList<>(List.of(kubectl().toString()));
        argv.addAll(List.of(args));
        return Command.run(argv, Map.of(), null, Duration.ofSeconds(60));
    }
}
