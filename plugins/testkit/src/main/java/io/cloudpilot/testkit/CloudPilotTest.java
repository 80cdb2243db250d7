package io.cloudpilot.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against one {@link CloudPilotTestServer} (and its sandbox cluster), started before the class's
 * first test and {@code @BeforeAll} method and closed after its last test and {@code @AfterAll} method, by
 * {@link CloudPilotExtension}. The test reaches it through a static field of type {@link CloudPilotTestServer}
 * (filled in before {@code @BeforeAll} runs) or a parameter of type {@link CloudPilotTestServer}, {@link ApiClient}
 * or {@code SandboxCluster} of a test, lifecycle method or constructor.
 *
 * <pre>{@code
 * @CloudPilotTest(config = "cluster.retries=0")
 * class NodesTest {
 *     static CloudPilotTestServer server;
 *
 *     @Test
 *     void listsNodes() {
 *         assertThat(server.client().get("/k8s/resources/nodes/list").status()).isEqualTo(200);
 *     }
 * }
 * }</pre>
 *
 * What the annotation cannot say (plugin directories made at test time, API tokens) a static method annotated
 * {@link Setup} adds to the builder.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(CloudPilotExtension.class)
public @interface CloudPilotTest {

    /** @return whether the server runs on a fresh sandbox cluster (default true) */
    boolean sandbox() default true;

    /** @return {@code instant} (default) or {@code server}; in server mode the sandbox is registered as a cluster */
    String mode() default "instant";

    /** @return configuration, each {@code key=value} (the value may contain {@code =}) */
    String[] config() default {};

    /**
     * Marks a static method of the test class that takes a {@link CloudPilotTestServer.Builder} and adds to it before
     * the server starts (after the annotation's settings are applied).
     */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface Setup {
    }
}
