package io.cloudpilot.testkit;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Servers started one after another in one JVM (as the tests do) do not pile up: each start makes the plugins'
 * index loader the thread's context class loader, and a later start must extend what the first one extended, not
 * the earlier server's loader. Nested, every resource lookup through it doubled with each level, and a test JVM's
 * tenth server took minutes to start.
 */
class RestartInOneJvmTest {

    @Test
    void theContextClassLoaderHoldsOnePluginIndexLoaderAfterSeveralStarts() throws Exception {
        Path plugins = PluginJars.helloPluginDirectory();
        for (int start = 1; start <= 3; start++) {
            try (CloudPilotTestServer server = CloudPilotTestServer.builder().sandbox(false).pluginDirs(plugins)
                    .start()) {
                assertEquals(200, server.client().get("/hello/greeting").status());
                assertEquals(1, indexLoaders(), "after start " + start);
            }
        }
    }

    private static int indexLoaders() {
        int n = 0;
        for (ClassLoader c = Thread.currentThread().getContextClassLoader(); c != null; c = c.getParent()) {
            if (c.getClass().getSimpleName().equals("PluginIndexClassLoader")) {
                n++;
            }
        }
        return n;
    }
}
