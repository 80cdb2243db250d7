package io.cloudpilot.platform.cluster;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.cloudpilot.platform.registry.MockCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The threads of cluster clients against a Kubernetes API over HTTP: every client's tasks run on one shared executor,
 * so that reading many clusters adds about one thread per cluster (the HTTP client's selector), and closing one
 * cluster's client leaves the others' requests and informers working.
 */
class ClientTasksTest {

    private static final String TOKEN = "client-tasks-token";
    private static final int CLUSTERS = 24;
    private static MockCluster cluster;

    @BeforeAll
    static void start() {
        cluster = MockCluster.start(TOKEN, "v1.33.0");
        try (KubernetesClient first = client()) {
            first.configMaps().inNamespace("shop").resource(configMap("cart")).create();
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static KubernetesClient client() {
        return new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 0).build(new ConfigBuilder()
                .withMasterUrl(cluster.url()).withOauthToken(TOKEN).withNamespace("default").build());
    }

    private static ConfigMap configMap(String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("shop").withName(name).endMetadata()
                .addToData("owner", name).build();
    }

    /** Platform threads, as a thread dump of the server counts them (virtual threads are not among them). */
    private static int platformThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    @Test
    void readingManyClustersAddsAboutOneThreadEach() {
        List<KubernetesClient> clients = new ArrayList<>();
        int before = platformThreads();
        try {
            for (int i = 0; i < CLUSTERS; i++) {
                KubernetesClient client = client();
                clients.add(client);
                // a list and a get, so that responses are handled and callbacks run on the client's executors
                assertEquals(1, client.configMaps().inNamespace("shop").list().getItems().size());
                assertEquals("cart", client.configMaps().inNamespace("shop").withName("cart").get().getData()
                        .get("owner"));
            }
            int added = platformThreads() - before;
            // one selector per client, plus carrier threads of the virtual-thread scheduler and the server's own
            // (with a pool per client it was about three per client)
            assertTrue(added <= CLUSTERS * 3 / 2,
                    added + " platform threads for " + CLUSTERS + " clusters read: more than one per cluster");
        } finally {
            clients.forEach(KubernetesClient::close);
        }
    }

    @Test
    void closingOneClusterLeavesTheOthersWorking() throws Exception {
        KubernetesClient closed = client();
        KubernetesClient open = client();
        try {
            assertEquals(1, closed.configMaps().inNamespace("shop").list().getItems().size());
            closed.close();

            CountDownLatch added = new CountDownLatch(1);
            SharedIndexInformer<ConfigMap> informer = open.configMaps().inNamespace("shop")
                    .inform(new ResourceEventHandler<>() {
                        @Override
                        public void onAdd(ConfigMap obj) {
                            if ("checkout".equals(obj.getMetadata().getName())) {
                                added.countDown();
                            }
                        }

                        @Override
                        public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
                        }

                        @Override
                        public void onDelete(ConfigMap obj, boolean deletedFinalStateUnknown) {
                        }
                    });
            try {
                open.configMaps().inNamespace("shop").resource(configMap("checkout")).create();
                assertTrue(added.await(30, TimeUnit.SECONDS), "the open cluster's informer saw no new object");
                assertEquals(2, open.configMaps().inNamespace("shop").list().getItems().size());
            } finally {
                informer.close();
                open.configMaps().inNamespace("shop").withName("checkout").delete();
            }
            try (KubernetesClient later = client()) {
                assertEquals("cart", later.configMaps().inNamespace("shop").withName("cart").get().getMetadata()
                        .getName());
            }
        } finally {
            open.close();
        }
    }
}
