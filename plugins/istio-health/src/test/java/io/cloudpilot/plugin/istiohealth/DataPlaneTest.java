package io.cloudpilot.plugin.istiohealth;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.cloudpilot.spi.Severity;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data plane's findings stay a summary however large the mesh: unready Deployments are one finding per
 * severity, counting every one of them for the score and naming the first few, while the report lists each.
 */
class DataPlaneTest {

    private static Namespace injected(String name) {
        return new NamespaceBuilder().withNewMetadata().withName(name).addToLabels("istio-injection", "enabled")
                .endMetadata().build();
    }

    private static Deployment deployment(String namespace, String name, int desired, int ready) {
        return new DeploymentBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().withReplicas(desired).endSpec()
                .withNewStatus().withReadyReplicas(ready).endStatus().build();
    }

    private static Pod running(String namespace, String name, boolean sidecar) {
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("shop/app:1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").endStatus();
        if (sidecar) {
            b.editSpec().addNewContainer().withName("istio-proxy").withImage("docker.io/istio/proxyv2:1.22.1")
                    .endContainer().endSpec();
        }
        return b.build();
    }

    @Test
    void manyUnreadyWorkloadsAreOneFindingPerSeverityCountingEachOfThem() {
        List<Namespace> namespaces = List.of(injected("a"), injected("b"));
        List<Deployment> deployments = new ArrayList<>();
        IntStream.range(0, 30).forEach(i -> deployments.add(deployment(i % 2 == 0 ? "a" : "b", "app-" + i, 3, 2)));
        deployments.add(deployment("b", "down", 2, 0));
        deployments.add(deployment("a", "fine", 2, 2));
        List<DataPlane.Counted> findings = new ArrayList<>();

        DataPlane.Report report = DataPlane.analyse(namespaces, List.of(running("a", "p", true)), deployments, "1.22.1",
                "prod", findings);

        assertThat(report.unreadyWorkloads()).isEqualTo(31);
        assertThat(report.namespaces()).extracting(c -> c.unreadyWorkloads().size()).containsExactly(15, 16);
        assertThat(findings).hasSize(2);
        DataPlane.Counted warning = findings.stream().filter(c -> c.finding().severity() == Severity.WARNING)
                .findFirst().orElseThrow();
        assertThat(warning.problems()).isEqualTo(30);
        assertThat(warning.finding().code()).isEqualTo("WorkloadNotReady");
        assertThat(warning.finding().message())
                .startsWith("30 Deployments in the mesh have fewer replicas ready than desired: a/app-0 2/3, a/app-2 2/3")
                .endsWith(" and 20 more.");
        assertThat(warning.finding().endpoint())
                .isEqualTo("/k8s/resources/deployments/detail?cluster_name=prod&namespace=a&deployment_name=app-0");
        DataPlane.Counted critical = findings.stream().filter(c -> c.finding().severity() == Severity.CRITICAL)
                .findFirst().orElseThrow();
        assertThat(critical.problems()).isEqualTo(1);
        assertThat(critical.finding().message())
                .isEqualTo("Deployment b/down in the mesh has 0 of 2 replicas ready: it serves no traffic.");
    }

    @Test
    void podsWithoutASidecarAreNamedUpToTenPerNamespace() {
        List<Pod> pods = new ArrayList<>();
        IntStream.range(0, 12).forEach(i -> pods.add(running("a", "bare-" + i, false)));
        pods.add(running("a", "meshed", true));
        List<DataPlane.Counted> findings = new ArrayList<>();

        DataPlane.Report report = DataPlane.analyse(List.of(injected("a")), pods, List.of(), "1.22.1", "prod", findings);

        assertThat(report.podsWithoutSidecar()).isEqualTo(12);
        assertThat(report.namespaces().getFirst().podsWithoutSidecar()).hasSize(12);
        assertThat(findings).singleElement().satisfies(c -> {
            assertThat(c.problems()).isEqualTo(12);
            assertThat(c.finding().message()).contains("bare-9").contains("and 2 more").doesNotContain("bare-11");
        });
    }
}
