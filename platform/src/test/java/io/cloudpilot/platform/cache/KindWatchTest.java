package io.cloudpilot.platform.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import io.cloudpilot.platform.registry.MockCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
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
        client = cluster.client(TOKEN);
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
    @SuppressWarnings("ReferenceEquality") // the very same list object is what a watch promises while nothing changes
    void aChangeDropsTheListsMaterialisedBeforeIt() throws InterruptedException {
        KindWatch watch = KindWatch.create("test", "pods", client).orElseThrow();
        try {
            watch.informer().start();
            await(() -> watch.serving() && watch.watching(), "the informer lists and watches the pods");
            // the mock API server answers a new watch with every object again (ADDED): a change each, until it is
            // done the list is rebuilt; then it is the same list while nothing changes
            List<List<HasMetadata>> last = new ArrayList<>(List.of(watch.list("", "", "").orElseThrow()));
            await(() -> {
                List<HasMetadata> now = watch.list("", "", "").orElseThrow();
                boolean same = now == last.getFirst();
                last.set(0, now);
                return same;
            }, "two reads give the same list");
            List<HasMetadata> before = last.getFirst();
            assertThat(before).extracting(o -> o.getMetadata().getName()).containsExactly("cart-1", "cart-2");
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
