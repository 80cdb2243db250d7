package io.cloudpilot.platform.logging;

import java.util.logging.LogManager;

/**
 * java.util.logging's manager, except that the JVM's shutdown does not take the handlers away. The JDK resets every
 * logger in a shutdown hook of its own, which runs at the same time as CloudPilot's drain on SIGTERM
 * ({@code shutdown.grace-period}): what the server logged while it drained (the requests it still answered, the 503s
 * it gave new ones, its shutdown lines) could be lost, and an operator would find no access record of a request that
 * was answered. {@code bin/cloudpilot} installs it ({@code -Djava.util.logging.manager}). The JDK's console and file
 * handlers flush every record, so nothing is left unwritten when the JVM ends.
 */
public final class CloudPilotLogManager extends LogManager {

    @Override
    public void reset() {
        if (!jvmShuttingDown()) {
            super.reset(); // readConfiguration() resets too: that one is kept
        }
    }

    /** A shutdown hook can no longer be added once the JVM has begun to shut down. */
    private static boolean jvmShuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
