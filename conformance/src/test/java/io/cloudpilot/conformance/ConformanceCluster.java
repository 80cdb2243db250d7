package io.cloudpilot.conformance;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit extension: one {@link ControlPlane} with the {@link Topology} for the whole suite, started by the first
 * test class that needs it and torn down when the suite ends. Without the binaries the classes are skipped
 * ({@link ConformanceBinaries}).
 */
public final class ConformanceCluster implements ExecutionCondition, BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(
            ConformanceCluster.class);

    private static volatile Started started;

    /** The running control plane and what was seeded into it. */
    record Started(ControlPlane plane, Topology topology) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            started = null;
            plane.close();
        }
    }

    /** Without binaries, outside CI: every test is reported as skipped, with the way to get them as the reason. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return new ConformanceBinaries().evaluateExecutionCondition(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<Path> assets = Optional.of(ConformanceBinaries.required());
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("control-plane", key -> {
            try {
                long begin = System.nanoTime();
                ControlPlane plane = ControlPlane.start(assets.get());
                long ready = System.nanoTime();
                try {
                    Started s = new Started(plane, Topology.seed(plane));
                    System.err.printf("conformance: control plane (%s) ready in %d ms, topology seeded in %d ms%n",
                            assets.get(), (ready - begin) / 1_000_000, (System.nanoTime() - ready) / 1_000_000);
                    started = s;
                    return s;
                } catch (Exception | Error e) {
                    plane.close();
                    throw e;
                }
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the control plane did not start", e);
            }
        }, Started.class);
    }

    static ControlPlane plane() {
        return current().plane();
    }

    static Topology topology() {
        return current().topology();
    }

    private static Started current() {
        Started s = started;
        if (s == null) {
            throw new IllegalStateException("no control plane: annotate the class with @ExtendWith(ConformanceCluster.class)");
        }
        return s;
    }
}
