package io.cloudpilot.plugin.k8sresources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.cloudpilot.testkit.ApiResponse;
import io.cloudpilot.testkit.CloudPilotTestServer;
import io.cloudpilot.testkit.Wait;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /k8s/resources/deployments/scaling} on the sandbox cluster, instant mode, with max-replicas 50.
 */
class ScalingTest {

    private static final String PATH = "/k8s/resources/deployments/scaling";
    /** Held strongly: JUL keeps loggers weakly. */
    private static final Logger AUDIT = Logger.getLogger("cloudpilot.audit");
    private static final List<String> AUDITED = new CopyOnWriteArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            AUDITED.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private static CloudPilotTestServer server;

    @BeforeAll
    static void start() {
        AUDIT.setLevel(Level.INFO);
        AUDIT.addHandler(CAPTURE);
        server = CloudPilotTestServer.builder()
                .config("plugins.k8s-resources.max-replicas", "50")
                .config("cache.stale-max-age", "PT0S")
                .config("cluster.retries", "0")
                .config("cluster.circuit.volume", "1000")
                .start();
    }

    @AfterAll
    static void stop() {
        AUDIT.removeHandler(CAPTURE);
        if (server != null) {
            server.close();
        }
    }

    private static int specReplicas(String namespace, String name) {
        return server.sandbox().client().apps().deployments().inNamespace(namespace).withName(name).get().getSpec().getReplicas();
    }

    /** @return the names of shop's cart pods as the API server lists them, sorted */
    private static List<String> cartPods() {
        return server.sandbox().client().pods().inNamespace("shop").withLabel("app", "cart").list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList();
    }

    private static String audited(String object) {
        return AUDITED.stream().filter(l -> l.contains("object=\"" + object + "\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no audit record for " + object + " in " + AUDITED));
    }

    @Test
    void scalingChangesSpecReplicasAndInvalidatesTheCachedViews() {
        JsonNode before = server.client().get("/k8s/resources/deployments/detail?namespace=shop&deployment_name=cart").data();
        assertEquals(2, before.path("replicas").path("desired").asInt());
        assertEquals("HIT", server.client().get("/k8s/resources/deployments/detail?namespace=shop&deployment_name=cart")
                .header("X-Cache").orElseThrow());
        assertEquals(2, server.client().get("/k8s/resources/pods/list?namespace=shop&label_selector=app%3Dcart").data()
                .path("total").asInt());

        ApiResponse r = server.client().post(PATH,
                "{\"namespace\":\"shop\",\"deployment_name\":\"cart\",\"replicas\":1}");
        assertEquals(200, r.status(), r.toString());
        assertEquals(2, r.data().path("previous_replicas").asInt());
        assertEquals(1, r.data().path("replicas").asInt());
        assertFalse(r.data().path("dry_run").asBoolean());
        assertEquals(0, r.data().path("warnings").size(), "no HPA targets cart");
        assertEquals(1, specReplicas("shop", "cart"));

        ApiResponse after = server.client().get("/k8s/resources/deployments/detail?namespace=shop&deployment_name=cart");
        assertEquals("MISS", after.header("X-Cache").orElseThrow(), "the scale dropped the cached deployment");
        assertEquals(1, after.data().path("replicas").path("desired").asInt());
        // Kubernetes removes the surplus pod after answering the scale (the ReplicaSet controller, then a graceful
        // deletion): wait until the API server no longer lists it, then the pod list must not be the cached one
        Wait.until("the API server lists one cart pod", Duration.ofSeconds(30), () -> cartPods().size() == 1,
                ScalingTest::cartPods);
        assertEquals(List.of("cart-5b7f9d6c8-h4j6k"), cartPods(), "the crash-looping pod was the one removed");
        JsonNode pods = server.client().get("/k8s/resources/pods/list?namespace=shop&label_selector=app%3Dcart").data();
        assertEquals(cartPods(), Items.strings(pods.path("pods"), "name").stream().sorted().toList(),
                "the pod list is the API server's, not the one cached before the scale");

        String record = audited("Deployment/cart");
        assertTrue(record.contains("action=\"deployments.scale\"") && record.contains("from=\"replicas=2\"")
                && record.contains("to=\"replicas=1\"") && record.contains("result=\"ok\"")
                && record.contains("cluster=\"sandbox\"") && record.contains("namespace=\"shop\""), record);
    }

    @Test
    void dryRunChangesNothing() {
        ApiResponse r = server.client().post(PATH,
                "{\"namespace\":\"shop\",\"deployment_name\":\"catalog\",\"replicas\":4,\"dry_run\":true}");
        assertEquals(200, r.status(), r.toString());
        assertTrue(r.data().path("dry_run").asBoolean());
        assertEquals(2, r.data().path("previous_replicas").asInt());
        assertEquals(4, r.data().path("replicas").asInt());
        assertEquals(2, specReplicas("shop", "catalog"), "a dry run changes nothing");
        assertThat(audited("Deployment/catalog")).contains("result=\"dry-run\"");
    }

    @Test
    void hpaControlledDeploymentIsWarned() {
        ApiResponse r = server.client().post(PATH,
                "{\"namespace\":\"shop\",\"deployment_name\":\"frontend\",\"replicas\":4}");
        assertEquals(200, r.status(), r.toString());
        assertEquals(3, r.data().path("previous_replicas").asInt());
        assertEquals(4, specReplicas("shop", "frontend"));
        assertEquals(List.of("frontend"), Items.texts(r.data().path("hpas")));
        String warning = r.data().path("warnings").path(0).asString();
        assertThat(warning).as(warning).contains("HorizontalPodAutoscaler frontend", "max 10");
    }

    @Test
    void replicasOutOfRangeAre400() {
        ApiResponse tooMany = server.client().post(PATH, "{\"namespace\":\"shop\",\"deployment_name\":\"cart\",\"replicas\":51}");
        assertEquals(400, tooMany.status(), tooMany.toString());
        assertThat(tooMany.message()).as(tooMany.message()).contains("replicas", "50");
        ApiResponse negative = server.client().post(PATH, "{\"namespace\":\"shop\",\"deployment_name\":\"cart\",\"replicas\":-1}");
        assertEquals(400, negative.status());
        ApiResponse missing = server.client().post(PATH, "{\"namespace\":\"shop\",\"deployment_name\":\"cart\"}");
        assertEquals(400, missing.status());
        assertThat(missing.message()).as(missing.message()).contains("replicas");
        ApiResponse badName = server.client().post(PATH, "{\"namespace\":\"shop\",\"deployment_name\":\"Cart!\",\"replicas\":1}");
        assertEquals(400, badName.status());
        assertThat(badName.message()).as(badName.message()).contains("deployment_name");
        ApiResponse noNamespace = server.client().post(PATH, "{\"deployment_name\":\"cart\",\"replicas\":1}");
        assertEquals(400, noNamespace.status());
        assertThat(noNamespace.message()).as(noNamespace.message()).contains("namespace");
        ApiResponse unknownField = server.client().post(PATH,
                "{\"namespace\":\"shop\",\"deployment_name\":\"cart\",\"replicas\":1,\"replica\":2}");
        assertEquals(400, unknownField.status(), unknownField.toString());
        ApiResponse get = server.client().get(PATH);
        assertEquals(405, get.status());
    }

    @Test
    void missingDeploymentIs404AndAudited() {
        ApiResponse r = server.client().post(PATH, "{\"namespace\":\"shop\",\"deployment_name\":\"basket\",\"replicas\":1}");
        assertEquals(404, r.status(), r.toString());
        assertThat(r.message()).as(r.message()).contains("basket");
        assertThat(audited("Deployment/basket")).contains("result=\"NotFound\"");
    }

    @Test
    void unreachableClusterIs503AndAudited() {
        server.sandbox().setFailing(true);
        try {
            ApiResponse r = server.client().post(PATH,
                    "{\"namespace\":\"payments\",\"deployment_name\":\"payments-api\",\"replicas\":3}");
            assertEquals(503, r.status(), r.toString());
            assertEquals("ClusterUnavailable", r.errorType());
        } finally {
            server.sandbox().setFailing(false);
        }
        assertThat(audited("Deployment/payments-api")).contains("result=\"ClusterUnavailable\"");
        assertEquals(2, specReplicas("payments", "payments-api"));
    }
}
