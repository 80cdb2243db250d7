package io.cloudpilot.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Optional;

import io.cloudpilot.sandbox.SandboxCluster;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Starts the {@link CloudPilotTestServer} a {@link CloudPilotTest} class describes, once per class, and closes it
 * when the class is done: it is kept in the class's JUnit store, which closes it after the {@code @AfterAll} methods
 * (also when a test or {@code @BeforeAll} failed). Nested test classes use their enclosing class's server.
 */
public final class CloudPilotExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CloudPilotExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Class<?> testClass = context.getRequiredTestClass();
        CloudPilotTestServer server = find(context).orElse(null);
        if (server == null) {
            server = context.getStore(NAMESPACE).getOrComputeIfAbsent(testClass, c -> new Running(start(testClass)),
                    Running.class).server();
        }
        for (Field field : ReflectionSupport.findFields(testClass, f -> Modifier.isStatic(f.getModifiers())
                && !Modifier.isFinal(f.getModifiers()) && f.getType() == CloudPilotTestServer.class,
                HierarchyTraversalMode.TOP_DOWN)) {
            field.setAccessible(true);
            field.set(null, server);
        }
    }

    private static CloudPilotTestServer start(Class<?> testClass) {
        CloudPilotTest test = AnnotationSupport.findAnnotation(testClass, CloudPilotTest.class).orElseThrow(
                () -> new ExtensionConfigurationException(testClass.getName() + " has no @CloudPilotTest"));
        CloudPilotTestServer.Builder builder = CloudPilotTestServer.builder().sandbox(test.sandbox()).mode(test.mode());
        for (String setting : test.config()) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new ExtensionConfigurationException("@CloudPilotTest config of " + testClass.getName()
                        + " must be key=value: " + setting);
            }
            builder.config(setting.substring(0, eq), setting.substring(eq + 1));
        }
        for (Method setup : AnnotationSupport.findAnnotatedMethods(testClass, CloudPilotTest.Setup.class,
                HierarchyTraversalMode.TOP_DOWN)) {
            if (!Modifier.isStatic(setup.getModifiers()) || setup.getParameterCount() != 1
                    || setup.getParameterTypes()[0] != CloudPilotTestServer.Builder.class) {
                throw new ExtensionConfigurationException("@CloudPilotTest.Setup method " + setup
                        + " must be static and take a CloudPilotTestServer.Builder");
            }
            ReflectionSupport.invokeMethod(setup, null, builder);
        }
        return builder.start();
    }

    /** The server of this class or of an enclosing one, if started. */
    private static Optional<CloudPilotTestServer> find(ExtensionContext context) {
        for (Optional<ExtensionContext> c = Optional.of(context); c.isPresent(); c = c.get().getParent()) {
            Optional<Class<?>> testClass = c.get().getTestClass();
            if (testClass.isPresent()) {
                Running running = c.get().getStore(NAMESPACE).get(testClass.get(), Running.class);
                if (running != null) {
                    return Optional.of(running.server());
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == CloudPilotTestServer.class || type == ApiClient.class || type == SandboxCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        CloudPilotTestServer server = find(context).orElseThrow(() -> new ParameterResolutionException(
                "no CloudPilot test server has been started for " + context.getDisplayName()));
        Class<?> type = parameter.getParameter().getType();
        return type == ApiClient.class ? server.client() : type == SandboxCluster.class ? server.sandbox() : server;
    }

    /** Closed by JUnit with the class's store. */
    private record Running(CloudPilotTestServer server) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            server.close();
        }
    }
}
