package io.cloudpilot.platform.cache;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.cloudpilot.platform.cluster.ClientSettings;
import io.cloudpilot.platform.registry.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An informer's materialised lists live no longer than the data they were made of: a list kept past a change would
 * keep every object replaced since beside its replacement (in the bench, a second copy of every pod of a busy
 * cluster between two reads).
 */
class KindWatchTest {

    private static final String TOKEN = "kind-watch-token";
    private static MockCluster cluster;
    private static KubernetesClient client;

    @BeforeAll
    static void start() {
        cluster = MockCluster.start(TOKEN, "v1.33.0");
        client = new ClientSettings(Duration.ofSeconds(5), Duration.ofSeconds(15), 0).build(new ConfigBuilder()
                .withMasterUrl(cluster.url()).withOauthToken(TOKEN).withNamespace("default").build());
        for (String name : List.of("cart-1", "cart-2")) {
            client.pods().inNamespace("shop").resource(new PodBuilder().withNewMetadata().withNamespace("shop")
                    .withName(name).addToLabels("app", "cart").endMetadata().withNewSpec().addNewContainer()
                    .withName("cart").withImage("shop/cart:1").endContainer().endSpec().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 20 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aChangeDropsTheListsMaterialisedBeforeIt() throws InterruptedException {
        KindWatch watch = KindWatch.create("test", "pods", client).orElseThrow();
        try {
            watch.informer().start();
            await(watch::serving, "the informer lists the pods");
            List<HasMetadata> before = watch.list("", "", "").orElseThrow();
            assertThat(before).extracting(o -> o.getMetadata().getName()).containsExactly("cart-1", "cart-2");
            assertThat(watch.list("", "", "").orElseThrow()).as("the same list while nothing changed").isSameAs(before);
            assertThat(watch.materialisedLists()).isEqualTo(1);

            client.pods().inNamespace("shop").withName("cart-2")
                    .edit(p -> new PodBuilder(p).editMetadata().addToLabels("version", "2").endMetadata().build());

            await(() -> watch.materialisedLists() == 0, "the change drops the materialised list");
            List<HasMetadata> after = watch.list("", "", "").orElseThrow();
            assertThat(after).isNotSameAs(before);
            assertThat(after.get(1).getMetadata().getLabels()).containsEntry("version", "2");
        } finally {
            watch.stop();
        }
    }
}
