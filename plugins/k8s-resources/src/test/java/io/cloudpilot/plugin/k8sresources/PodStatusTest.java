package io.cloudpilot.plugin.k8sresources;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The STATUS column of {@code kubectl get pods}, for the cases the sandbox has no pod for.
 */
class PodStatusTest {

    private static ContainerStatus waiting(String name, String reason) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewWaiting().withReason(reason)
                .endWaiting().endState().build();
    }

    private static ContainerStatus terminated(String name, int exitCode, String reason) {
        return new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(exitCode)
                .withReason(reason).endTerminated().endState().build();
    }

    private static ContainerStatus running(String name, boolean ready) {
        return new ContainerStatusBuilder().withName(name).withReady(ready).withNewState().withNewRunning().endRunning()
                .endState().build();
    }

    private static PodBuilder pod(String phase) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata()
                .withNewSpec().addNewInitContainer().withName("init-a").endInitContainer()
                .addNewInitContainer().withName("init-b").endInitContainer()
                .addNewContainer().withName("app").endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus();
    }

    @Test
    void initContainers() {
        Pod second = pod("Pending").editStatus()
                .withInitContainerStatuses(terminated("init-a", 0, "Completed"), waiting("init-b", "PodInitializing"))
                .endStatus().build();
        assertEquals("Init:1/2", PodStatus.display(second));
        Pod crashing = pod("Pending").editStatus()
                .withInitContainerStatuses(waiting("init-a", "CrashLoopBackOff")).endStatus().build();
        assertEquals("Init:CrashLoopBackOff", PodStatus.display(crashing));
        Pod failed = pod("Pending").editStatus()
                .withInitContainerStatuses(terminated("init-a", 2, null)).endStatus().build();
        assertEquals("Init:ExitCode:2", PodStatus.display(failed));
    }

    @Test
    void containersAndPhases() {
        Pod ok = pod("Running").editStatus()
                .withInitContainerStatuses(terminated("init-a", 0, "Completed"), terminated("init-b", 0, "Completed"))
                .withContainerStatuses(running("app", true)).endStatus().build();
        assertEquals("Running", PodStatus.display(ok));
        Pod oom = pod("Running").editStatus()
                .withInitContainerStatuses(terminated("init-a", 0, "Completed"), terminated("init-b", 0, "Completed"))
                .withContainerStatuses(terminated("app", 137, "OOMKilled")).endStatus().build();
        assertEquals("OOMKilled", PodStatus.display(oom));
        Pod evicted = new PodBuilder().withNewMetadata().withName("e").endMetadata().withNewSpec().endSpec()
                .withNewStatus().withPhase("Failed").withReason("Evicted").endStatus().build();
        assertEquals("Evicted", PodStatus.display(evicted));
        Pod deleting = new PodBuilder(ok).editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
        assertEquals("Terminating", PodStatus.display(deleting));
    }
}
