package io.cloudpilot.plugin.istioworkloads;

import java.util.List;
import java.util.Map;

import io.cloudpilot.plugin.istioworkloads.WorkloadReader.Workload;
import io.cloudpilot.plugin.toolkit.Health;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The health rules on states the sandbox does not have: a control plane that is down, crash loops, image pulls,
 * partial availability, a stuck rollout.
 */
class WorkloadHealthTest {

    private static Deployment deployment(int desired, Integer ready, boolean limits, String progressing) {
        var resources = new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("2Gi")));
        if (limits) {
            resources.withLimits(Map.of("cpu", new Quantity("1"), "memory", new Quantity("4Gi")));
        }
        return new DeploymentBuilder()
                .withNewMetadata().withName("istiod").withUid("d1").withLabels(Map.of("app", "istiod")).endMetadata()
                .withNewSpec().withReplicas(desired)
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "istiod")).endMetadata()
                .withNewSpec().addNewContainer().withName("discovery").withImage("docker.io/istio/pilot:1.22.1")
                .withResources(resources.build()).endContainer().endSpec().endTemplate().endSpec()
                .withNewStatus().withReplicas(desired).withReadyReplicas(ready)
                .addNewCondition().withType("Progressing").withStatus(progressing).withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"istiod-1\" has timed out progressing.").endCondition()
                .endStatus().build();
    }

    private static Pod pod(String name, String waitingReason) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().addNewContainer().withName("discovery").withImage("docker.io/istio/pilot:1.22.1").endContainer().endSpec()
                .withNewStatus().withPhase("Running").addNewContainerStatus().withName("discovery")
                .withImage("docker.io/istio/pilot:1.22.1").withRestartCount(7).withReady(false)
                .withNewState().withNewWaiting().withReason(waitingReason).endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1).endTerminated().endLastState()
                .endContainerStatus().endStatus().build();
    }

    private static List<String> codes(Health h) {
        return h.findings().stream().map(Health.Finding::code).toList();
    }

    @Test
    void noReadyIstiodIsControlPlaneDown() {
        // Kubernetes omits readyReplicas when it is 0: that is 0 ready, not an analysis failure
        Health h = WorkloadHealth.evaluate(IstioComponent.ISTIOD,
                new Workload(deployment(1, null, true, "True"), List.of(), List.of(pod("istiod-1-a", "CrashLoopBackOff"))),
                List.of(), List.of());
        assertEquals("ControlPlaneDown", h.findings().getFirst().code());
        assertEquals("critical", h.status());
        assertTrue(codes(h).containsAll(List.of("CrashLoopBackOff", "RestartingContainers")), codes(h).toString());
        assertEquals(100 - WorkloadHealth.DOWN - WorkloadHealth.CRASH_LOOP - WorkloadHealth.RESTARTS, h.score());
    }

    @Test
    void partialAvailabilityAndAStuckRollout() {
        Health h = WorkloadHealth.evaluate(IstioComponent.ISTIOD,
                new Workload(deployment(3, 2, true, "False"), List.of(), List.of(pod("istiod-1-b", "ImagePullBackOff"))),
                List.of(), List.of());
        assertTrue(codes(h).containsAll(List.of("ReplicasUnavailable", "DeploymentNotProgressing", "ImagePullFailure")),
                codes(h).toString());
        assertTrue(h.findings().stream().anyMatch(f -> f.message().contains("2 of 3")), h.toString());
        assertEquals("critical", h.status(), "an image that cannot be pulled is critical");
    }

    @Test
    void aHealthyGatewayWithAnAddressHasNoFindings() {
        Deployment d = new DeploymentBuilder(deployment(2, 2, true, "True"))
                .editMetadata().withName("istio-ingressgateway").endMetadata().build();
        var svc = new ServiceBuilder().withNewMetadata().withName("istio-ingressgateway").endMetadata()
                .withNewSpec().withType("LoadBalancer").withSelector(Map.of("app", "istiod")).endSpec()
                .withNewStatus().withNewLoadBalancer().addNewIngress().withHostname("gw.elb.example.com").endIngress()
                .endLoadBalancer().endStatus().build();
        Health h = WorkloadHealth.evaluate(IstioComponent.GATEWAY, new Workload(d, List.of(), List.of()), List.of(svc), List.of());
        assertEquals(List.of(), h.findings());
        assertEquals(100, h.score());
        assertEquals("healthy", h.status());
        assertEquals(List.of("gw.elb.example.com"), ServiceViews.externalAddresses(svc));
    }
}
