package io.cloudpilot.conformance;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.cloudpilot.testkit.Wait;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * What the suite seeds into the control plane, with deliberate problems. Tests assert on these names and facts, so
 * a change here is a change to {@code docs/testing.md}.
 *
 * <ul>
 * <li>Nodes (objects with status written through {@code nodes/status}; InternalIP 127.0.0.1, the fake kubelet's
 *     port): {@code node-a} Ready (4 CPU, 8 GiB), {@code node-b} Ready (2 CPU, 4 GiB, label
 *     {@code topology.kubernetes.io/zone=zone-b}), {@code node-c} NotReady (keeps the {@code not-ready} taint, so
 *     nothing is scheduled on it).</li>
 * <li>Namespace {@code shop} (label {@code istio-injection=enabled}): Deployment {@code frontend} (2 replicas,
 *     containers {@code frontend} + {@code istio-proxy} 1.20.2, labels {@code app=frontend, version=v1}, all
 *     Running and Ready), Deployment {@code cart} (1 replica, container {@code cart} in CrashLoopBackOff with 5
 *     restarts and a previous log, plus {@code istio-proxy}), Services {@code frontend} (80→8080) and {@code cart}
 *     (8080), a Warning event {@code BackOff} on the cart pod.</li>
 * <li>Namespace {@code payments} (label {@code istio-injection=enabled}): Deployment {@code ledger} (1 replica,
 *     Running, <b>no sidecar</b>), Service {@code ledger}, Secret {@code ledger-db}.</li>
 * <li>Namespace {@code istio-system}: Deployment {@code istiod} (labels {@code app=istiod, istio=pilot}, container
 *     {@code discovery} image {@code docker.io/istio/pilot:1.20.2}), Deployment {@code istio-ingressgateway}
 *     ({@code istio=ingressgateway}, container {@code istio-proxy}), their Services, ConfigMap {@code istio}.</li>
 * <li>Namespace {@code scaling}: Deployment {@code scalable} (1 replica) that the scaling tests change.</li>
 * <li>Istio CRDs for Gateway, VirtualService, DestinationRule, ServiceEntry in {@code networking.istio.io}, served at
 *     {@code v1beta1} and {@code v1alpha3} (storage). Gateway {@code istio-system/shop-gateway} (HTTPS with
 *     credential {@code shop-tls}, which does not exist: {@code GatewaySecretNotFound}); Gateway
 *     {@code shop/orphan-gateway} (selector {@code app=nothing}: {@code GatewaySelectorNoWorkload});
 *     VirtualService {@code shop/frontend} (clean: host shop.example.com through shop-gateway to subset v1);
 *     VirtualService {@code shop/cart} (gateway {@code missing-gateway}: {@code VirtualServiceGatewayNotFound};
 *     subset {@code v9}: {@code VirtualServiceSubsetNotFound}); DestinationRules {@code shop/frontend} (subsets v1
 *     and v2, no pod has version=v2), {@code shop/cart} (subset v1) and {@code payments/ghost} (host
 *     {@code ghost.payments.svc.cluster.local}: {@code DestinationRuleHostNotFound}); ServiceEntry
 *     {@code payments/external-payments} (host payments.example.com) and the DestinationRule
 *     {@code payments/external-payments} for it (no host problem).</li>
 * </ul>
 */
final class Topology {

    static final String ISTIO_VERSION = "1.20.2";
    static final String PROXY_IMAGE = "docker.io/istio/proxyv2:" + ISTIO_VERSION;
    static final List<String> ISTIO_KINDS = List.of("gateways", "virtualservices", "destinationrules",
            "serviceentries");

    private final ControlPlane plane;
    private final KubernetesClient admin;
    private final AtomicInteger podIps = new AtomicInteger(10);

    private Topology(ControlPlane plane) {
        this.plane = plane;
        this.admin = plane.admin();
    }

    static Topology seed(ControlPlane plane) {
        Topology topology = new Topology(plane);
        topology.seedAll();
        return topology;
    }

    private void seedAll() {
        node("node-a", "4", "8Gi", true, Map.of());
        node("node-b", "2", "4Gi", true, Map.of("topology.kubernetes.io/zone", "zone-b"));
        node("node-c", "2", "4Gi", false, Map.of());

        namespace("shop", Map.of("istio-injection", "enabled"));
        namespace("payments", Map.of("istio-injection", "enabled"));
        namespace("istio-system", Map.of());
        namespace("scaling", Map.of());
        waitForServiceAccounts(plane, "shop", "payments", "istio-system", "scaling");

        deployment("shop", "frontend", 2, Map.of("app", "frontend", "version", "v1"), true, "frontend",
                "nginx:1.25.3", 8080);
        deployment("shop", "cart", 1, Map.of("app", "cart", "version", "v1"), true, "cart",
                "registry.example.com/shop/cart:2.4.0", 8080);
        deployment("payments", "ledger", 1, Map.of("app", "ledger"), false, "ledger",
                "registry.example.com/payments/ledger:1.0.0", 9000);
        deployment("istio-system", "istiod", 1, Map.of("app", "istiod", "istio", "pilot", "istio.io/rev", "default"),
                false, "discovery", "docker.io/istio/pilot:" + ISTIO_VERSION, 15010);
        deployment("istio-system", "istio-ingressgateway", 1,
                Map.of("app", "istio-ingressgateway", "istio", "ingressgateway"), false, "istio-proxy",
                PROXY_IMAGE, 8080);
        deployment("scaling", "scalable", 1, Map.of("app", "scalable"), false, "app", "nginx:1.25.3", 8080);

        service("shop", "frontend", Map.of("app", "frontend"), "ClusterIP", port("http", 80, 8080));
        service("shop", "cart", Map.of("app", "cart"), "ClusterIP", port("http", 8080, 8080));
        service("payments", "ledger", Map.of("app", "ledger"), "ClusterIP", port("grpc", 9000, 9000));
        service("istio-system", "istiod", Map.of("app", "istiod", "istio", "pilot"), "ClusterIP",
                port("grpc-xds", 15010, 15010), port("https-dns", 15012, 15012), port("https-webhook", 443, 15017));
        service("istio-system", "istio-ingressgateway", Map.of("istio", "ingressgateway"), "ClusterIP",
                port("http2", 80, 8080), port("https", 443, 8443));
        admin.secrets().inNamespace("payments").resource(new SecretBuilder().withNewMetadata().withName("ledger-db")
                .endMetadata().addToStringData("password", "not-a-real-password").build()).create();
        admin.configMaps().inNamespace("istio-system").resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata().withName("istio").endMetadata()
                .addToData("mesh", "outboundTrafficPolicy:\n  mode: REGISTRY_ONLY\nrootNamespace: istio-system\n")
                .build()).create();

        // the real controllers create the pods and the real scheduler binds them; we play the kubelet's status
        Map<String, Integer> expected = Map.of("shop/frontend", 2, "shop/cart", 1, "payments/ledger", 1,
                "istio-system/istiod", 1, "istio-system/istio-ingressgateway", 1);
        expected.forEach((key, replicas) -> {
            String[] parts = key.split("/");
            for (Pod pod : awaitBoundPods(parts[0], parts[1], replicas)) {
                if (key.equals("shop/cart")) {
                    crashLooping(pod);
                } else {
                    running(pod);
                }
            }
        });
        awaitDeploymentStatus("shop", "frontend", 2, 2);
        awaitDeploymentStatus("shop", "cart", 1, 0);
        awaitDeploymentStatus("payments", "ledger", 1, 1);
        awaitDeploymentStatus("istio-system", "istiod", 1, 1);
        awaitDeploymentStatus("istio-system", "istio-ingressgateway", 1, 1);
        Wait.until("the endpoints controller lists both frontend pods as ready", Duration.ofSeconds(60),
                () -> admin.endpoints().inNamespace("shop").withName("frontend").get().getSubsets().stream()
                        .mapToInt(s -> s.getAddresses() == null ? 0 : s.getAddresses().size()).sum() == 2,
                () -> admin.endpoints().inNamespace("shop").withName("frontend").get());

        warningEventOnCart();
        logs();
        istio();
    }

    // ---------------------------------------------------------------- nodes

    private void node(String name, String cpu, String memory, boolean ready, Map<String, String> labels) {
        Map<String, String> allLabels = new java.util.HashMap<>(labels);
        allLabels.put("kubernetes.io/hostname", name);
        allLabels.put("kubernetes.io/os", "linux");
        allLabels.put("kubernetes.io/arch", "amd64");
        admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).withLabels(allLabels).endMetadata()
                .build()).create();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String hour = now.minus(Duration.ofHours(1)).toString();
        List<NodeCondition> conditions = new ArrayList<>();
        for (String pressure : List.of("MemoryPressure", "DiskPressure", "PIDPressure")) {
            conditions.add(new NodeConditionBuilder().withType(pressure).withStatus("False")
                    .withReason("KubeletHasSufficient" + pressure.replace("Pressure", ""))
                    .withMessage("kubelet has no " + pressure).withLastHeartbeatTime(now.toString())
                    .withLastTransitionTime(hour).build());
        }
        conditions.add(new NodeConditionBuilder().withType("Ready").withStatus(ready ? "True" : "False")
                .withReason(ready ? "KubeletReady" : "KubeletNotReady")
                .withMessage(ready ? "kubelet is posting ready status"
                        : "container runtime network not ready: NetworkReady=false")
                .withLastHeartbeatTime(now.toString()).withLastTransitionTime(hour).build());
        Map<String, Quantity> capacity = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("50Gi"));
        Map<String, Quantity> allocatable = Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
                "pods", new Quantity("110"), "ephemeral-storage", new Quantity("45Gi"));
        int kubeletPort = plane.kubelet().port();
        Wait.retryingConflicts("status of node " + name, () -> admin.nodes().withName(name).editStatus(n -> new NodeBuilder(n).withNewStatus()
                .withCapacity(capacity).withAllocatable(allocatable).withConditions(conditions)
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubeletPort).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withNewNodeInfo().withKubeletVersion("v1.20.2").withKubeProxyVersion("v1.20.2")
                .withOsImage("Debian GNU/Linux 12 (bookworm)").withKernelVersion("6.1.0-conformance")
                .withContainerRuntimeVersion("containerd://1.6.20").withArchitecture("amd64")
                .withOperatingSystem("linux").withMachineID(name + "-machine").withSystemUUID(name + "-uuid")
                .withBootID(name + "-boot").endNodeInfo()
                .endStatus().build()));
        if (ready) {
            // the TaintNodesByCondition admission plugin added node.kubernetes.io/not-ready; the node lifecycle
            // controller that would lift it is off, so we lift it as it would for a Ready node
            Wait.until("node " + name + " has its admission taints", Duration.ofSeconds(10),
                    () -> admin.nodes().withName(name).get() != null, () -> name);
            Wait.retryingConflicts("taints of node " + name, () -> admin.nodes().withName(name).edit(n -> new NodeBuilder(n).editSpec()
                    .withTaints(n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints().stream()
                            .filter(t -> !t.getKey().equals("node.kubernetes.io/not-ready")).toList())
                    .endSpec().build()));
        }
    }

    // ---------------------------------------------------------------- workloads

    private void namespace(String name, Map<String, String> labels) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
                .endMetadata().build()).create();
    }

    /** Waits until pods may be created in the namespaces. */
    static void waitForServiceAccounts(ControlPlane plane, String... namespaces) {
        KubernetesClient admin = plane.admin();
        for (String ns : namespaces) {
            // pods are admitted only once the namespace's default service account exists (and, before 1.24, has
            // its token secret, which the admission plugin mounts)
            boolean needsSecret = plane.minorVersion() < 24;
            Wait.until("namespace " + ns + " has a default service account", Duration.ofSeconds(60),
                    () -> {
                        var sa = admin.serviceAccounts().inNamespace(ns).withName("default").get();
                        return sa != null && (!needsSecret || (sa.getSecrets() != null && !sa.getSecrets().isEmpty()));
                    }, () -> admin.serviceAccounts().inNamespace(ns).list().getItems());
        }
    }

    private void deployment(String namespace, String name, int replicas, Map<String, String> labels,
                            boolean sidecar, String container, String image, int port) {
        List<io.fabric8.kubernetes.api.model.Container> containers = new ArrayList<>();
        containers.add(new ContainerBuilder().withName(container).withImage(image)
                .addNewPort().withContainerPort(port).withName("main").endPort()
                .withNewResources()
                .addToRequests("cpu", new Quantity("100m")).addToRequests("memory", new Quantity("128Mi"))
                .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("256Mi"))
                .endResources().build());
        if (sidecar) {
            containers.add(new ContainerBuilder().withName("istio-proxy").withImage(PROXY_IMAGE)
                    .withNewResources()
                    .addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("40Mi"))
                    .endResources().build());
        }
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", labels.get("app")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withContainers(containers).withTerminationGracePeriodSeconds(0L).endSpec()
                .endTemplate().endSpec().build();
        admin.apps().deployments().inNamespace(namespace).resource(deployment).create();
    }

    List<Pod> awaitBoundPods(String namespace, String app, int count) {
        Wait.until(count + " pod(s) of " + namespace + "/" + app + " created and scheduled", Duration.ofSeconds(90),
                () -> pods(namespace, app).stream().filter(p -> p.getSpec().getNodeName() != null
                        && p.getMetadata().getDeletionTimestamp() == null).count() == count,
                () -> pods(namespace, app).stream().map(p -> p.getMetadata().getName() + "@"
                        + p.getSpec().getNodeName()).toList());
        return pods(namespace, app).stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    List<Pod> pods(String namespace, String app) {
        return admin.pods().inNamespace(namespace).withLabel("app", app).list().getItems();
    }

    /** Writes the status a kubelet would write for a pod whose containers all run and are ready. */
    void running(Pod pod) {
        Instant started = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
        List<ContainerStatus> statuses = pod.getSpec().getContainers().stream().map(c -> new ContainerStatusBuilder()
                .withName(c.getName()).withImage(c.getImage()).withImageID(c.getImage() + "@sha256:" + "0".repeat(64))
                .withContainerID("containerd://" + Integer.toHexString(c.getName().hashCode()) + "0".repeat(56))
                .withReady(true).withStarted(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt(started.toString()).endRunning().endState()
                .build()).toList();
        writeStatus(pod, "True", statuses, started);
    }

    /** A pod whose first container keeps crashing: CrashLoopBackOff, 5 restarts, last exit code 1. */
    void crashLooping(Pod pod) {
        Instant started = Instant.now().minus(Duration.ofMinutes(15)).truncatedTo(ChronoUnit.SECONDS);
        List<ContainerStatus> statuses = new ArrayList<>();
        for (var c : pod.getSpec().getContainers()) {
            ContainerStatusBuilder status = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                    .withImageID(c.getImage() + "@sha256:" + "1".repeat(64))
                    .withContainerID("containerd://" + Integer.toHexString(c.getName().hashCode()) + "1".repeat(56));
            if (c.getName().equals("istio-proxy")) {
                status.withReady(true).withStarted(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(started.toString()).endRunning().endState();
            } else {
                status.withReady(false).withStarted(false).withRestartCount(5)
                        .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 2m40s restarting failed container=" + c.getName() + " pod="
                                + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace())
                        .endWaiting().endState()
                        .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error")
                        .withStartedAt(Instant.now().minusSeconds(90).truncatedTo(ChronoUnit.SECONDS).toString())
                        .withFinishedAt(Instant.now().minusSeconds(80).truncatedTo(ChronoUnit.SECONDS).toString())
                        .endTerminated().endLastState();
            }
            statuses.add(status.build());
        }
        writeStatus(pod, "False", statuses, started);
    }

    private void writeStatus(Pod pod, String ready, List<ContainerStatus> statuses, Instant started) {
        String ip = "10.244." + (podIps.get() / 250) + "." + (podIps.getAndIncrement() % 250 + 1);
        String t = started.toString();
        List<PodCondition> conditions = new ArrayList<>();
        conditions.add(condition("Initialized", "True", null, t));
        conditions.add(condition("Ready", ready, "True".equals(ready) ? null : "ContainersNotReady", t));
        conditions.add(condition("ContainersReady", ready, "True".equals(ready) ? null : "ContainersNotReady", t));
        conditions.add(condition("PodScheduled", "True", null, t));
        Wait.retryingConflicts("status of pod " + pod.getMetadata().getName(), () -> admin.pods()
                .inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                .editStatus(p -> new io.fabric8.kubernetes.api.model.PodBuilder(p).withStatus(new PodStatusBuilder()
                        .withPhase("Running").withHostIP("127.0.0.1").withPodIP(ip).addNewPodIP().withIp(ip)
                        .endPodIP().withStartTime(t).withQosClass("Burstable").withConditions(conditions)
                        .withContainerStatuses(statuses).build()).build()));
    }

    private static PodCondition condition(String type, String status, String reason, String time) {
        return new PodConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withLastTransitionTime(time).build();
    }

    private void awaitDeploymentStatus(String namespace, String name, int replicas, int ready) {
        Wait.until("deployment " + namespace + "/" + name + " reports " + ready + "/" + replicas + " ready",
                Duration.ofSeconds(60), () -> {
                    var status = admin.apps().deployments().inNamespace(namespace).withName(name).get().getStatus();
                    return status != null && status.getReplicas() != null && status.getReplicas() == replicas
                            && (status.getReadyReplicas() == null ? 0 : status.getReadyReplicas()) == ready;
                }, () -> admin.apps().deployments().inNamespace(namespace).withName(name).get().getStatus());
    }

    private static ServicePort port(String name, int port, int target) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(target))
                .withProtocol("TCP").build();
    }

    private void service(String namespace, String name, Map<String, String> selector, String type,
                         ServicePort... ports) {
        admin.services().inNamespace(namespace).resource(new ServiceBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("app", name)).endMetadata().withNewSpec().withType(type).withSelector(selector)
                .withPorts(ports).endSpec().build()).create();
    }

    private void warningEventOnCart() {
        Pod cart = pods("shop", "cart").getFirst();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        admin.v1().events().inNamespace("shop").resource(new EventBuilder().withNewMetadata()
                .withName(cart.getMetadata().getName() + ".backoff").endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder().withKind("Pod").withApiVersion("v1")
                        .withNamespace("shop").withName(cart.getMetadata().getName())
                        .withUid(cart.getMetadata().getUid()).withFieldPath("spec.containers{cart}").build())
                .withType("Warning").withReason("BackOff")
                .withMessage("Back-off restarting failed container cart in pod " + cart.getMetadata().getName())
                .withCount(12).withFirstTimestamp(now.minus(Duration.ofMinutes(14)).toString())
                .withLastTimestamp(now.minusSeconds(30).toString())
                .withNewSource().withComponent("kubelet").withHost(cart.getSpec().getNodeName()).endSource()
                .build()).create();
    }

    // ---------------------------------------------------------------- logs (served by the fake kubelet)

    private void logs() {
        FakeKubelet kubelet = plane.kubelet();
        Duration step = Duration.ofSeconds(20);
        kubelet.setLog("shop", "frontend", false, FakeKubelet.lines(step,
                "GET / 200 12ms",
                "GET /api/items 200 31ms",
                "WARN upstream cart answered slowly (2100 ms)",
                "ERROR upstream cart refused the connection",
                "GET /healthz 200 1ms",
                "GET /api/items 200 28ms"));
        kubelet.setLog("shop", "istio-proxy", false, FakeKubelet.lines(step,
                "[2026-01-01T00:00:00.000Z] \"GET / HTTP/1.1\" 200 - via_upstream",
                "2026-01-01T00:00:01.000000Z\twarn\tenvoy config\tgRPC config stream closed"));
        kubelet.setLog("shop", "cart", false, FakeKubelet.lines(step, "starting cart 2.4.0"));
        kubelet.setLog("shop", "cart", true, FakeKubelet.lines(Duration.ofSeconds(1),
                "starting cart 2.4.0",
                "connecting to redis at cart-redis:6379",
                "Exception in thread \"main\" java.net.ConnectException: Connection refused",
                "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
                "FATAL cart cannot start without its database"));
        kubelet.setLog("istio-system", "discovery", false, FakeKubelet.lines(step,
                "2026-01-01T00:00:00.000000Z\tinfo\tads\tADS: new connection for node:frontend.shop",
                "2026-01-01T00:00:01.000000Z\twarn\tvalidation\tgateway shop-gateway: credential shop-tls not found",
                "2026-01-01T00:00:02.000000Z\terror\tads\tADS:LDS: ACK ERROR cart.shop",
                "2026-01-01T00:00:03.000000Z\tinfo\tads\tPush debounce stable"));
        kubelet.setLog("istio-system", "istio-proxy", false, FakeKubelet.lines(step,
                "2026-01-01T00:00:00.000000Z\tinfo\tEnvoy proxy is ready",
                "[2026-01-01T00:00:01.000Z] \"GET / HTTP/1.1\" 404 NR route_not_found"));
    }

    // ---------------------------------------------------------------- Istio

    static ResourceDefinitionContext istioContext(String plural, String version) {
        String kind = switch (plural) {
            case "gateways" -> "Gateway";
            case "virtualservices" -> "VirtualService";
            case "serviceentries" -> "ServiceEntry";
            default -> "DestinationRule";
        };
        return new ResourceDefinitionContext.Builder().withGroup("networking.istio.io").withVersion(version)
                .withPlural(plural).withKind(kind).withNamespaced(true).build();
    }

    private void istio() {
        installIstioCrds(admin, ISTIO_KINDS, List.of("v1alpha3", "v1beta1"), "v1alpha3");
        istioObjects();
    }

    /**
     * Installs the CRDs of Istio kinds (schema-less, as a permissive stand-in for Istio's) and waits until they are
     * established.
     *
     * @param plurals  e.g. gateways
     * @param served   the versions served
     * @param storage  the one stored
     */
    static void installIstioCrds(KubernetesClient admin, List<String> plurals, List<String> served, String storage) {
        for (String plural : plurals) {
            String kind = istioContext(plural, "v1beta1").getKind();
            List<CustomResourceDefinitionVersion> versions = new ArrayList<>();
            for (String version : served) {
                versions.add(new CustomResourceDefinitionVersionBuilder().withName(version).withServed(true)
                        .withStorage(version.equals(storage))
                        .withNewSchema().withNewOpenAPIV3Schema().withType("object")
                        .withXKubernetesPreserveUnknownFields(true).endOpenAPIV3Schema().endSchema()
                        .withNewSubresources().withNewStatus().endStatus().endSubresources().build());
            }
            CustomResourceDefinition crd = new CustomResourceDefinitionBuilder().withNewMetadata()
                    .withName(plural + ".networking.istio.io").endMetadata()
                    .withNewSpec().withGroup("networking.istio.io").withScope("Namespaced")
                    .withNewNames().withPlural(plural).withSingular(kind.toLowerCase(Locale.ROOT)).withKind(kind)
                    .withListKind(kind + "List").endNames().withVersions(versions).endSpec().build();
            admin.apiextensions().v1().customResourceDefinitions().resource(crd).create();
            Wait.until("CRD " + plural + " is established", Duration.ofSeconds(30), () -> {
                var c = admin.apiextensions().v1().customResourceDefinitions()
                        .withName(plural + ".networking.istio.io").get();
                return c.getStatus() != null && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                        .anyMatch(x -> x.getType().equals("Established") && x.getStatus().equals("True"));
            }, () -> plural);
        }
    }

    private void istioObjects() {
        istioObject("gateways", "v1beta1", "istio-system", "shop-gateway", """
                selector: {istio: ingressgateway}
                servers:
                - port: {number: 443, name: https, protocol: HTTPS}
                  hosts: [shop.example.com]
                  tls: {mode: SIMPLE, credentialName: shop-tls}
                - port: {number: 80, name: http, protocol: HTTP}
                  hosts: [shop.example.com]
                """);
        istioObject("gateways", "v1alpha3", "shop", "orphan-gateway", """
                selector: {app: nothing}
                servers:
                - port: {number: 80, name: http, protocol: HTTP}
                  hosts: [orphan.example.com]
                """);
        istioObject("virtualservices", "v1beta1", "shop", "frontend", """
                hosts: [shop.example.com]
                gateways: [istio-system/shop-gateway]
                http:
                - name: primary
                  route:
                  - destination: {host: frontend, subset: v1, port: {number: 80}}
                """);
        istioObject("virtualservices", "v1beta1", "shop", "cart", """
                hosts: [cart]
                gateways: [missing-gateway]
                http:
                - route:
                  - destination: {host: cart, subset: v9}
                """);
        istioObject("destinationrules", "v1beta1", "shop", "frontend", """
                host: frontend
                subsets:
                - name: v1
                  labels: {version: v1}
                - name: v2
                  labels: {version: v2}
                """);
        istioObject("destinationrules", "v1beta1", "shop", "cart", """
                host: cart
                subsets:
                - name: v1
                  labels: {version: v1}
                """);
        istioObject("serviceentries", "v1beta1", "payments", "external-payments", """
                hosts: [payments.example.com]
                location: MESH_EXTERNAL
                ports:
                - {number: 443, name: https, protocol: TLS}
                resolution: DNS
                """);
        istioObject("destinationrules", "v1beta1", "payments", "external-payments", """
                host: payments.example.com
                trafficPolicy: {tls: {mode: SIMPLE}}
                """);
        istioObject("destinationrules", "v1alpha3", "payments", "ghost", """
                host: ghost.payments.svc.cluster.local
                trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
                """);
    }

    @SuppressWarnings("unchecked")
    private void istioObject(String plural, String version, String namespace, String name, String specYaml) {
        ResourceDefinitionContext context = istioContext(plural, version);
        KubernetesSerialization serialization = admin.getKubernetesSerialization();
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion("networking.istio.io/" + version);
        resource.setKind(context.getKind());
        resource.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name)
                .withNamespace(namespace).build());
        resource.setAdditionalProperty("spec", serialization.unmarshal(specYaml, Map.class));
        admin.genericKubernetesResources(context).inNamespace(namespace).resource(resource).create();
    }
}
