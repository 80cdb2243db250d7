package io.cloudpilot.sandbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Adds a generated bulk of objects to the default fixtures, to measure CloudPilot against a cluster of a given size
 * (benchmarks, and the tests that check that the number of upstream calls does not grow with the cluster).
 *
 * <p>For {@code pods} pods on {@code nodes} nodes it adds: the nodes ({@code node-0001}...), one namespace per 500
 * pods ({@code bench-01}..., Istio injection on), a Deployment, a ReplicaSet and a Service per 10 pods (so 1,000
 * Deployments for 10k pods) with their Endpoints, one Event per 2 pods, and the VirtualServices and
 * DestinationRules asked for, spread over the Services (each routes to its Service's subsets v1/v2). Pods carry an app container
 * and an Istio sidecar with requests and limits, statuses and a {@code managedFields} entry the size of a real
 * one. Every 50th pod is Pending (unschedulable), every 97th crash-loops.
 *
 * <p>Objects go straight into the store, without the duplicate check of {@link ObjectStore#insert} (a linear scan:
 * quadratic for 30k objects); generated names are unique by construction.
 */
final class ScaledFixtures {

    /**
     * The size of a generated cluster (added to the default fixtures).
     *
     * @param pods             pods to add
     * @param nodes            nodes to add
     * @param virtualServices  VirtualServices to add
     * @param destinationRules DestinationRules to add
     */
    record Size(int pods, int nodes, int virtualServices, int destinationRules) {
        Size {
            if (pods < 0 || nodes < 1 || virtualServices < 0 || destinationRules < 0) {
                throw new IllegalArgumentException("invalid size: " + pods + " pods, " + nodes + " nodes");
            }
        }
    }

    private static final int PODS_PER_NAMESPACE = 500;
    private static final int PODS_PER_DEPLOYMENT = 10;

    private final ObjectStore store;
    private final Instant start;

    ScaledFixtures(ObjectStore store, Instant start) {
        this.store = store;
        this.start = start.truncatedTo(ChronoUnit.SECONDS);
    }

    /** @return the number of objects added */
    int load(Size size) {
        int count = 0;
        for (int n = 1; n <= size.nodes(); n++) {
            put("/api/v1/nodes", node(n));
            count++;
        }
        int namespaces = Math.max(1, (size.pods() + PODS_PER_NAMESPACE - 1) / PODS_PER_NAMESPACE);
        for (int ns = 1; ns <= namespaces; ns++) {
            put("/api/v1/namespaces", namespace(ns));
            count++;
        }
        int deployments = (size.pods() + PODS_PER_DEPLOYMENT - 1) / PODS_PER_DEPLOYMENT;
        int pod = 0;
        int event = 0;
        int podIndex = 0;
        for (int d = 0; d < deployments; d++) {
            String ns = namespaceName(1 + d * namespaces / deployments);
            String app = "app-" + d;
            int replicas = Math.min(PODS_PER_DEPLOYMENT, size.pods() - pod);
            String hash = hash(d);
            List<Map<String, Object>> pods = new ArrayList<>();
            int ready = 0;
            for (int r = 0; r < replicas; r++, pod++) {
                Map<String, Object> p = pod(ns, app, hash, r, podIndex++, size.nodes());
                if ("Running".equals(Json.string(p, "status", "phase")) && Controllers.isReady(p)) {
                    ready++;
                }
                pods.add(p);
            }
            put("/apis/apps/v1/namespaces/" + ns + "/deployments", deployment(ns, app, replicas, ready));
            put("/apis/apps/v1/namespaces/" + ns + "/replicasets", replicaSet(ns, app, hash, replicas, ready));
            Map<String, Object> service = service(ns, app, d);
            put("/api/v1/namespaces/" + ns + "/services", service);
            for (Map<String, Object> p : pods) {
                put("/api/v1/namespaces/" + ns + "/pods", p);
            }
            Map<String, Object> endpoints = Controllers.endpointsFor(service, Map.of("app", app), pods, start);
            Json.metadata(endpoints).put("uid", Names.uid("Endpoints/" + ns + "/" + app));
            Json.metadata(endpoints).put("creationTimestamp", start.minus(10, ChronoUnit.DAYS).toString());
            put("/api/v1/namespaces/" + ns + "/endpoints", endpoints);
            count += 4 + pods.size();
            for (int e = 0; e < replicas / 2; e++) {
                put("/api/v1/namespaces/" + ns + "/events", event(ns, Json.name(pods.get(e * 2)), event++));
                count++;
            }
        }
        // Istio objects are spread over the Services, several per Service on a small cluster
        for (int i = 0; i < size.virtualServices() && deployments > 0; i++) {
            int d = i % deployments;
            String ns = namespaceName(1 + d * namespaces / deployments);
            put("/apis/networking.istio.io/v1/namespaces/" + ns + "/virtualservices", virtualService(ns, "app-" + d, i));
            count++;
        }
        for (int i = 0; i < size.destinationRules() && deployments > 0; i++) {
            int d = i % deployments;
            String ns = namespaceName(1 + d * namespaces / deployments);
            put("/apis/networking.istio.io/v1/namespaces/" + ns + "/destinationrules", destinationRule(ns, "app-" + d, i));
            count++;
        }
        return count;
    }

    private void put(String collectionPath, Map<String, Object> object) {
        store.insertUnchecked(collectionPath, object);
    }

    private static String namespaceName(int i) {
        return String.format("bench-%02d", i);
    }

    private static String nodeName(int i) {
        return String.format("node-%04d", i);
    }

    private static String hash(int d) {
        return Names.suffix("ReplicaSet/" + d, 9);
    }

    private String ago(long minutes) {
        return start.minus(minutes, ChronoUnit.MINUTES).toString();
    }

    private Map<String, Object> node(int i) {
        String name = nodeName(i);
        return Json.parseObject("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%1$s","uid":"%2$s","creationTimestamp":"%3$s",
                 "labels":{"kubernetes.io/hostname":"%1$s","kubernetes.io/os":"linux","kubernetes.io/arch":"amd64",
                  "topology.kubernetes.io/zone":"europe-west1-%4$s","node.kubernetes.io/instance-type":"n2-standard-8"}},
                 "spec":{"podCIDR":"10.%5$d.%6$d.0/24","providerID":"gce://bench/europe-west1/%1$s"},
                 "status":{"capacity":{"cpu":"8","memory":"32876100Ki","pods":"110","ephemeral-storage":"101445540Ki"},
                  "allocatable":{"cpu":"7910m","memory":"31725124Ki","pods":"110","ephemeral-storage":"93492209510"},
                  "conditions":[
                   {"type":"MemoryPressure","status":"False","lastHeartbeatTime":"%7$s","lastTransitionTime":"%3$s","reason":"KubeletHasSufficientMemory","message":"kubelet has sufficient memory available"},
                   {"type":"DiskPressure","status":"False","lastHeartbeatTime":"%7$s","lastTransitionTime":"%3$s","reason":"KubeletHasNoDiskPressure","message":"kubelet has no disk pressure"},
                   {"type":"PIDPressure","status":"False","lastHeartbeatTime":"%7$s","lastTransitionTime":"%3$s","reason":"KubeletHasSufficientPID","message":"kubelet has sufficient PID available"},
                   {"type":"Ready","status":"True","lastHeartbeatTime":"%7$s","lastTransitionTime":"%3$s","reason":"KubeletReady","message":"kubelet is posting ready status"}],
                  "addresses":[{"type":"InternalIP","address":"10.1.%5$d.%6$d"},{"type":"Hostname","address":"%1$s"}],
                  "nodeInfo":{"kubeletVersion":"v1.30.2","kubeProxyVersion":"v1.30.2","containerRuntimeVersion":"containerd://1.7.18",
                   "osImage":"Ubuntu 22.04.4 LTS","kernelVersion":"5.15.0-113-generic","architecture":"amd64","operatingSystem":"linux",
                   "machineID":"%8$s","systemUUID":"%2$s","bootID":"%2$s"}}}
                """.formatted(name, Names.uid("Node/" + name), ago(60L * 24 * 20), "bcd".charAt(i % 3),
                i / 250, i % 250, ago(1), Names.hex(name, 32)));
    }

    private Map<String, Object> namespace(int i) {
        String name = namespaceName(i);
        return Json.parseObject("""
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%1$s","uid":"%2$s","creationTimestamp":"%3$s",
                 "labels":{"kubernetes.io/metadata.name":"%1$s","istio-injection":"enabled"}},
                 "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}
                """.formatted(name, Names.uid("Namespace/" + name), ago(60L * 24 * 30)));
    }

    private Map<String, Object> deployment(String ns, String app, int replicas, int ready) {
        String readyField = ready == 0 ? "" : "\"readyReplicas\":" + ready + ",\"availableReplicas\":" + ready + ",";
        String unavailable = replicas > ready ? "\"unavailableReplicas\":" + (replicas - ready) + "," : "";
        return Json.parseObject("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%1$s","namespace":"%2$s","uid":"%3$s",
                 "creationTimestamp":"%4$s","generation":1,"labels":{"app":"%1$s"},
                 "annotations":{"deployment.kubernetes.io/revision":"1"}},
                 "spec":{"replicas":%5$d,"selector":{"matchLabels":{"app":"%1$s"}},
                  "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%%","maxUnavailable":"25%%"}},
                  "template":{"metadata":{"labels":{"app":"%1$s","version":"v1"}},
                   "spec":{"containers":[{"name":"app","image":"registry.example.com/bench/%1$s:1.0.0",
                    "ports":[{"containerPort":8080,"name":"http","protocol":"TCP"}],
                    "resources":{"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}}}]}}},
                 "status":{"observedGeneration":1,"replicas":%5$d,"updatedReplicas":%5$d,%6$s%7$s
                  "conditions":[{"type":"Available","status":"%8$s","reason":"%9$s","lastUpdateTime":"%4$s","lastTransitionTime":"%4$s"},
                   {"type":"Progressing","status":"True","reason":"NewReplicaSetAvailable","lastUpdateTime":"%4$s","lastTransitionTime":"%4$s"}]}}
                """.formatted(app, ns, Names.uid("Deployment/" + ns + "/" + app), ago(60L * 24 * 10), replicas,
                readyField, unavailable, ready == replicas ? "True" : "False",
                ready == replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable"));
    }

    private Map<String, Object> replicaSet(String ns, String app, String hash, int replicas, int ready) {
        String rs = app + "-" + hash;
        return Json.parseObject("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"%1$s","namespace":"%2$s","uid":"%3$s",
                 "creationTimestamp":"%4$s","generation":1,"labels":{"app":"%5$s","version":"v1","pod-template-hash":"%6$s"},
                 "annotations":{"deployment.kubernetes.io/revision":"1","deployment.kubernetes.io/desired-replicas":"%7$d"},
                 "ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"%5$s","uid":"%8$s","controller":true,"blockOwnerDeletion":true}]},
                 "spec":{"replicas":%7$d,"selector":{"matchLabels":{"app":"%5$s","pod-template-hash":"%6$s"}},
                  "template":{"metadata":{"labels":{"app":"%5$s","version":"v1","pod-template-hash":"%6$s"}},
                   "spec":{"containers":[{"name":"app","image":"registry.example.com/bench/%5$s:1.0.0"}]}}},
                 "status":{"observedGeneration":1,"replicas":%7$d,"readyReplicas":%9$d,"availableReplicas":%9$d,"fullyLabeledReplicas":%7$d}}
                """.formatted(rs, ns, Names.uid("ReplicaSet/" + ns + "/" + rs), ago(60L * 24 * 10), app, hash, replicas,
                Names.uid("Deployment/" + ns + "/" + app), ready));
    }

    private Map<String, Object> pod(String ns, String app, String hash, int replica, int index, int nodes) {
        String name = app + "-" + hash + "-" + Names.suffix(app + "/" + replica, 5);
        boolean pending = index % 50 == 49;
        boolean crashing = !pending && index % 97 == 96;
        String node = nodeName(1 + index % nodes);
        String ip = "10." + (64 + index / 65_025) + "." + (index / 255 % 255) + "." + (1 + index % 255);
        String created = ago(60L * 24 * 10 - index % 1000);
        String phase = pending ? "Pending" : "Running";
        String appState = crashing
                ? "{\"waiting\":{\"reason\":\"CrashLoopBackOff\",\"message\":\"back-off 5m0s restarting failed container\"}}"
                : pending ? "{\"waiting\":{\"reason\":\"ContainerCreating\"}}"
                : "{\"running\":{\"startedAt\":\"" + created + "\"}}";
        String lastState = crashing
                ? "{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\",\"startedAt\":\"" + ago(6) + "\",\"finishedAt\":\"" + ago(5) + "\"}}"
                : "{}";
        boolean appReady = !pending && !crashing;
        String conditions = pending
                ? "[{\"type\":\"PodScheduled\",\"status\":\"False\",\"reason\":\"Unschedulable\",\"lastTransitionTime\":\""
                + created + "\",\"message\":\"0/" + nodes + " nodes are available: " + nodes + " Insufficient cpu.\"}]"
                : "[{\"type\":\"Initialized\",\"status\":\"True\",\"lastTransitionTime\":\"" + created + "\"},"
                + "{\"type\":\"Ready\",\"status\":\"" + (appReady ? "True" : "False") + "\",\"lastTransitionTime\":\"" + created + "\"},"
                + "{\"type\":\"ContainersReady\",\"status\":\"" + (appReady ? "True" : "False") + "\",\"lastTransitionTime\":\"" + created + "\"},"
                + "{\"type\":\"PodScheduled\",\"status\":\"True\",\"lastTransitionTime\":\"" + created + "\"}]";
        String statuses = pending ? "" : """
                ,"hostIP":"10.1.0.1","podIP":"%1$s","podIPs":[{"ip":"%1$s"}],"startTime":"%2$s",
                 "initContainerStatuses":[{"name":"istio-init","image":"docker.io/istio/proxyv2:1.22.1","imageID":"docker.io/istio/proxyv2@sha256:1b2c","ready":true,"restartCount":0,
                  "state":{"terminated":{"exitCode":0,"reason":"Completed","startedAt":"%2$s","finishedAt":"%2$s"}}}],
                 "containerStatuses":[
                  {"name":"app","image":"registry.example.com/bench/%3$s:1.0.0","imageID":"registry.example.com/bench/%3$s@sha256:9f8e","ready":%4$s,"started":%4$s,
                   "restartCount":%5$d,"state":%6$s,"lastState":%7$s,"containerID":"containerd://%8$s"},
                  {"name":"istio-proxy","image":"docker.io/istio/proxyv2:1.22.1","imageID":"docker.io/istio/proxyv2@sha256:1b2c","ready":true,"started":true,
                   "restartCount":0,"state":{"running":{"startedAt":"%2$s"}},"lastState":{},"containerID":"containerd://%9$s"}]
                """.formatted(ip, created, app, appReady, crashing ? 7 : 0, appState, lastState,
                Names.hex(name + "/app", 64), Names.hex(name + "/proxy", 64));
        return Json.parseObject("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%1$s","namespace":"%2$s","uid":"%3$s","creationTimestamp":"%4$s",
                 "generateName":"%5$s-%6$s-",
                 "labels":{"app":"%5$s","version":"v1","pod-template-hash":"%6$s","security.istio.io/tlsMode":"istio",
                  "service.istio.io/canonical-name":"%5$s","service.istio.io/canonical-revision":"v1"},
                 "annotations":{"sidecar.istio.io/status":"{\\"initContainers\\":[\\"istio-init\\"],\\"containers\\":[\\"istio-proxy\\"],\\"volumes\\":[\\"istio-envoy\\",\\"istio-data\\",\\"istio-podinfo\\",\\"istio-token\\",\\"istiod-ca-cert\\"],\\"imagePullSecrets\\":null,\\"revision\\":\\"default\\"}",
                  "kubectl.kubernetes.io/default-container":"app","prometheus.io/port":"15020","prometheus.io/scrape":"true"},
                 "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"%5$s-%6$s","uid":"%7$s","controller":true,"blockOwnerDeletion":true}],
                 "managedFields":[{"manager":"kube-controller-manager","operation":"Update","apiVersion":"v1","time":"%4$s","fieldsType":"FieldsV1",
                  "fieldsV1":{"f:metadata":{"f:generateName":{},"f:labels":{".":{},"f:app":{},"f:pod-template-hash":{},"f:version":{}},
                   "f:ownerReferences":{".":{},"k:{\\"uid\\":\\"%7$s\\"}":{}}},
                   "f:spec":{"f:containers":{"k:{\\"name\\":\\"app\\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},
                    "f:ports":{".":{},"k:{\\"containerPort\\":8080,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{},"f:name":{},"f:protocol":{}}},
                    "f:resources":{".":{},"f:limits":{".":{},"f:cpu":{},"f:memory":{}},"f:requests":{".":{},"f:cpu":{},"f:memory":{}}},
                    "f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},
                    "f:dnsPolicy":{},"f:enableServiceLinks":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}},
                  {"manager":"kubelet","operation":"Update","apiVersion":"v1","time":"%4$s","fieldsType":"FieldsV1","subresource":"status",
                   "fieldsV1":{"f:status":{"f:conditions":{"k:{\\"type\\":\\"ContainersReady\\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},
                    "k:{\\"type\\":\\"Initialized\\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}},
                    "k:{\\"type\\":\\"Ready\\"}":{".":{},"f:lastProbeTime":{},"f:lastTransitionTime":{},"f:status":{},"f:type":{}}},
                    "f:containerStatuses":{},"f:hostIP":{},"f:phase":{},"f:podIP":{},"f:podIPs":{".":{},"k:{\\"ip\\":\\"%10$s\\"}":{".":{},"f:ip":{}}},"f:startTime":{}}}}]},
                 "spec":{"nodeName":%8$s,"restartPolicy":"Always","schedulerName":"default-scheduler","serviceAccountName":"default",
                  "terminationGracePeriodSeconds":30,"dnsPolicy":"ClusterFirst","enableServiceLinks":true,"priority":0,
                  "initContainers":[{"name":"istio-init","image":"docker.io/istio/proxyv2:1.22.1","args":["istio-iptables","-p","15001","-z","15006","-u","1337","-m","REDIRECT","-i","*","-x","","-b","*","-d","15090,15021,15020"],
                   "resources":{"requests":{"cpu":"10m","memory":"40Mi"},"limits":{"cpu":"2","memory":"1Gi"}}}],
                  "containers":[
                   {"name":"app","image":"registry.example.com/bench/%5$s:1.0.0","imagePullPolicy":"IfNotPresent",
                    "ports":[{"containerPort":8080,"name":"http","protocol":"TCP"}],
                    "env":[{"name":"APP_NAME","value":"%5$s"},{"name":"LOG_LEVEL","value":"info"}],
                    "readinessProbe":{"httpGet":{"path":"/app-health/app/readyz","port":15020,"scheme":"HTTP"},"periodSeconds":10,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3},
                    "resources":{"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"cpu":"200m","memory":"128Mi"}},
                    "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"},
                   {"name":"istio-proxy","image":"docker.io/istio/proxyv2:1.22.1","args":["proxy","sidecar","--domain","$(POD_NAMESPACE).svc.cluster.local","--proxyLogLevel=warning","--log_output_level=default:info"],
                    "ports":[{"containerPort":15090,"name":"http-envoy-prom","protocol":"TCP"}],
                    "resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"2","memory":"1Gi"}}}]},
                 "status":{"phase":"%9$s","qosClass":"Burstable","conditions":%11$s%12$s}}
                """.formatted(name, ns, Names.uid("Pod/" + ns + "/" + name), created, app, hash,
                Names.uid("ReplicaSet/" + ns + "/" + app + "-" + hash), pending ? "null" : "\"" + node + "\"", phase,
                ip, conditions, statuses));
    }

    private Map<String, Object> service(String ns, String app, int index) {
        return Json.parseObject("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%1$s","namespace":"%2$s","uid":"%3$s",
                 "creationTimestamp":"%4$s","labels":{"app":"%1$s"}},
                 "spec":{"type":"ClusterIP","clusterIP":"10.%5$d.%6$d.%7$d","clusterIPs":["10.%5$d.%6$d.%7$d"],
                  "selector":{"app":"%1$s"},"ports":[{"name":"http","port":8080,"targetPort":8080,"protocol":"TCP"}],
                  "sessionAffinity":"None","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","internalTrafficPolicy":"Cluster"},
                 "status":{"loadBalancer":{}}}
                """.formatted(app, ns, Names.uid("Service/" + ns + "/" + app), ago(60L * 24 * 10),
                100 + index / 65_025, index / 255 % 255, 1 + index % 255));
    }

    private Map<String, Object> event(String ns, String pod, int index) {
        String name = pod + "." + Long.toHexString(0x17c0000000000000L + index);
        String[] reason = switch (index % 4) {
            case 0 -> new String[] {"Normal", "Scheduled", "Successfully assigned " + ns + "/" + pod + " to a node",
                    "default-scheduler"};
            case 1 -> new String[] {"Normal", "Pulled", "Container image already present on machine", "kubelet"};
            case 2 -> new String[] {"Normal", "Started", "Started container app", "kubelet"};
            default -> new String[] {"Warning", "Unhealthy", "Readiness probe failed: HTTP probe failed with "
                    + "statuscode: 503", "kubelet"};
        };
        return Json.parseObject("""
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"%1$s","namespace":"%2$s","uid":"%3$s","creationTimestamp":"%4$s"},
                 "involvedObject":{"kind":"Pod","namespace":"%2$s","name":"%5$s","uid":"%6$s","apiVersion":"v1","fieldPath":"spec.containers{app}"},
                 "type":"%7$s","reason":"%8$s","message":"%9$s","source":{"component":"%10$s"},
                 "count":%11$d,"firstTimestamp":"%4$s","lastTimestamp":"%12$s","reportingComponent":"%10$s","reportingInstance":""}
                """.formatted(name, ns, Names.uid("Event/" + ns + "/" + name), ago(60 + index % 600), pod,
                Names.uid("Pod/" + ns + "/" + pod), reason[0], reason[1], reason[2], reason[3], 1 + index % 5,
                ago(index % 60)));
    }

    private Map<String, Object> virtualService(String ns, String app, int index) {
        String name = "vs-" + index;
        return Json.parseObject("""
                {"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"%5$s","namespace":"%2$s",
                 "uid":"%3$s","creationTimestamp":"%4$s","generation":1,"labels":{"app":"%1$s"}},
                 "spec":{"hosts":["%1$s"],"http":[{"name":"primary","route":[
                  {"destination":{"host":"%1$s","subset":"v1","port":{"number":8080}},"weight":90},
                  {"destination":{"host":"%1$s","subset":"v2","port":{"number":8080}},"weight":10}],
                  "timeout":"10s","retries":{"attempts":3,"perTryTimeout":"2s"}}]}}
                """.formatted(app, ns, Names.uid("VirtualService/" + ns + "/" + name), ago(60L * 24 * 5), name));
    }

    private Map<String, Object> destinationRule(String ns, String app, int index) {
        String name = "dr-" + index;
        return Json.parseObject("""
                {"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"%5$s","namespace":"%2$s",
                 "uid":"%3$s","creationTimestamp":"%4$s","generation":1,"labels":{"app":"%1$s"}},
                 "spec":{"host":"%1$s","trafficPolicy":{"tls":{"mode":"ISTIO_MUTUAL"}},
                  "subsets":[{"name":"v1","labels":{"version":"v1"}},{"name":"v2","labels":{"version":"v2"}}]}}
                """.formatted(app, ns, Names.uid("DestinationRule/" + ns + "/" + name), ago(60L * 24 * 5), name));
    }
}
