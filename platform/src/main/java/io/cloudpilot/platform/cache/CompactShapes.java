package io.cloudpilot.platform.cache;

import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventSeries;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PortStatus;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.RollingUpdateDeployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;

/**
 * What a compact object keeps: per fabric8 model class, the JSON properties read while a list of one of the
 * {@link CompactLists.Kind}s (pods, events, ReplicaSets, Endpoints, Deployments, Services, nodes) is parsed; every
 * other property is skipped by the parser (never built). The union of what the views of every plugin read from those
 * lists (list pages, overview, node capacity, Deployment detail, Service endpoints, event pages, the Istio validations
 * and health); detail endpoints read the full object with one GET.
 * A class listed with an empty set keeps all its properties (small leaves); an unlisted class is parsed as fabric8
 * parses it. {@code docs/performance.md} lists the shapes for plugin authors.
 */
final class CompactShapes {

    /** Every property of the class is kept, but nothing unknown (no {@code additionalProperties}). */
    static final Set<String> ALL = Set.of();

    /** Dropped from every annotation map: a copy of the whole object as last applied. */
    static final String LAST_APPLIED = LeanObjects.LAST_APPLIED;

    static final Map<Class<?>, Set<String>> KEPT = Map.ofEntries(
            Map.entry(ObjectMeta.class, Set.of("name", "namespace", "uid", "resourceVersion", "generation",
                    "creationTimestamp", "deletionTimestamp", "labels", "annotations", "ownerReferences")),
            Map.entry(OwnerReference.class, Set.of("apiVersion", "kind", "name", "uid", "controller")),
            // pods
            Map.entry(Pod.class, Set.of("apiVersion", "kind", "metadata", "spec", "status")),
            Map.entry(PodSpec.class, Set.of("nodeName", "containers", "initContainers", "overhead", "restartPolicy",
                    "serviceAccountName", "priority", "priorityClassName")),
            Map.entry(Container.class, Set.of("name", "image", "imagePullPolicy", "ports", "resources",
                    "restartPolicy")),
            Map.entry(ResourceRequirements.class, Set.of("requests", "limits")),
            Map.entry(ContainerPort.class, ALL),
            Map.entry(PodStatus.class, Set.of("phase", "reason", "message", "conditions", "containerStatuses",
                    "initContainerStatuses", "podIP", "podIPs", "hostIP", "startTime", "qosClass")),
            Map.entry(PodIP.class, ALL),
            Map.entry(PodCondition.class, Set.of("type", "status", "reason", "message", "lastTransitionTime")),
            Map.entry(ContainerStatus.class, Set.of("name", "image", "ready", "started", "restartCount", "state",
                    "lastState")),
            Map.entry(ContainerState.class, ALL),
            Map.entry(ContainerStateRunning.class, ALL),
            Map.entry(ContainerStateWaiting.class, ALL),
            Map.entry(ContainerStateTerminated.class, Set.of("exitCode", "signal", "reason", "message", "startedAt",
                    "finishedAt")),
            // events (core v1)
            Map.entry(Event.class, Set.of("apiVersion", "kind", "metadata", "involvedObject", "type", "reason",
                    "message", "count", "firstTimestamp", "lastTimestamp", "eventTime", "series", "source",
                    "reportingComponent", "action")),
            Map.entry(ObjectReference.class, Set.of("kind", "namespace", "name", "uid", "fieldPath")),
            Map.entry(EventSource.class, ALL),
            Map.entry(EventSeries.class, Set.of("count", "lastObservedTime")),
            Map.entry(MicroTime.class, ALL),
            // ReplicaSets
            Map.entry(ReplicaSet.class, Set.of("apiVersion", "kind", "metadata", "spec", "status")),
            Map.entry(ReplicaSetSpec.class, Set.of("replicas", "selector")),
            Map.entry(ReplicaSetStatus.class, Set.of("replicas", "readyReplicas", "availableReplicas",
                    "fullyLabeledReplicas", "observedGeneration")),
            Map.entry(LabelSelector.class, ALL),
            Map.entry(LabelSelectorRequirement.class, ALL),
            // Endpoints
            Map.entry(Endpoints.class, Set.of("apiVersion", "kind", "metadata", "subsets")),
            Map.entry(EndpointSubset.class, Set.of("addresses", "notReadyAddresses", "ports")),
            Map.entry(EndpointAddress.class, Set.of("ip", "hostname", "nodeName", "targetRef")),
            Map.entry(EndpointPort.class, ALL),
            // Deployments: their pod template has the pod's shape
            Map.entry(Deployment.class, Set.of("apiVersion", "kind", "metadata", "spec", "status")),
            Map.entry(DeploymentSpec.class, ALL),
            Map.entry(DeploymentStrategy.class, ALL),
            Map.entry(RollingUpdateDeployment.class, ALL),
            Map.entry(DeploymentStatus.class, ALL),
            Map.entry(DeploymentCondition.class, ALL),
            Map.entry(PodTemplateSpec.class, Set.of("metadata", "spec")),
            // Services
            Map.entry(Service.class, Set.of("apiVersion", "kind", "metadata", "spec", "status")),
            Map.entry(ServiceSpec.class, ALL),
            Map.entry(ServicePort.class, ALL),
            Map.entry(ServiceStatus.class, Set.of("loadBalancer")),
            Map.entry(LoadBalancerStatus.class, ALL),
            Map.entry(LoadBalancerIngress.class, ALL),
            Map.entry(PortStatus.class, ALL),
            // nodes: not the images they hold nor the volumes attached, which no view shows
            Map.entry(Node.class, Set.of("apiVersion", "kind", "metadata", "spec", "status")),
            Map.entry(NodeSpec.class, ALL),
            Map.entry(Taint.class, ALL),
            Map.entry(NodeStatus.class, Set.of("addresses", "allocatable", "capacity", "conditions", "nodeInfo",
                    "phase")),
            Map.entry(NodeAddress.class, ALL),
            Map.entry(NodeCondition.class, ALL),
            Map.entry(NodeSystemInfo.class, ALL));

    private CompactShapes() {
    }

    /** @return whether objects of the class are parsed compactly */
    static boolean shaped(Class<?> type) {
        return KEPT.containsKey(type);
    }

    /**
     * @param type     a shaped class
     * @param property a JSON property name
     * @return whether the property is kept
     */
    static boolean keeps(Class<?> type, String property) {
        Set<String> kept = KEPT.get(type);
        return kept != null && (kept.isEmpty() || kept.contains(property));
    }
}
