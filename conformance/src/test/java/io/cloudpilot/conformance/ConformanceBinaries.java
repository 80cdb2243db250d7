package io.cloudpilot.conformance;

import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit condition of every conformance class: without the control-plane binaries the class is skipped with a message
 * saying how to get them, except under {@code CI=true}, where that is a failure ({@link #required()}).
 */
public final class ConformanceBinaries implements ExecutionCondition {

    private static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (K8sAssets.find().isPresent() || ci()) {
            return ConditionEvaluationResult.enabled("control-plane binaries found (or CI=true)");
        }
        return ConditionEvaluationResult.disabled("SKIPPED: " + K8sAssets.HOW_TO);
    }

    /** @return the binaries' directory; fails the test when there is none (only reached under CI=true) */
    static Path required() {
        return K8sAssets.find().orElseGet(() -> Assertions.fail("CI=true but " + K8sAssets.HOW_TO));
    }
}
