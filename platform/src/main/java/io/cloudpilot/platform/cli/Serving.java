package io.cloudpilot.platform.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.cloudpilot.platform.CloudPilotServer;
import io.cloudpilot.platform.registry.ServerClusters;

/** {@code serve} and {@code demo}: start the server, print where it listens, wait for SIGTERM, drain, stop. */
final class Serving {

    private static final System.Logger LOG = System.getLogger(Serving.class.getName());

    private Serving() {
    }

    /**
     * @param selected the configuration inputs
     * @param err      where a start failure is printed
     * @param demo     whether to start the sandbox cluster and serve it
     * @return 0 after a shutdown, 1 when the server cannot start
     */
    static int serve(CommonOptions.Selected selected, PrintWriter err, boolean demo) {
        Map<String, String> flags = new LinkedHashMap<>(selected.flags());
        DemoSandbox sandbox = null;
        CloudPilotServer server;
        try {
            if (demo) {
                sandbox = DemoSandbox.configure(selected.config(), flags);
            }
            CommonOptions.Selected inputs = new CommonOptions.Selected(selected.file(), flags);
            inputs.config();
            server = CloudPilotServer.start(inputs.file(), flags);
        } catch (RuntimeException e) {
            err.println("cloudpilot: cannot start: " + e.getMessage());
            err.flush();
            return 1;
        }
        if (sandbox != null && !sandbox.missing().isEmpty()) {
            // the server serves without it (not registered, or read on first use in instant mode): stop, say why
            server.close();
            err.println("cloudpilot: cannot start: " + sandbox.missing());
            err.flush();
            return 1;
        }
        String mode = server.config().getOptionalValue("cloudpilot.mode", String.class).orElse("server");
        // log records like every other line, so --log-format json makes them JSON too
        LOG.log(System.Logger.Level.INFO, "CloudPilot " + VersionProvider.version() + " listening on " + server.url()
                + " (mode " + mode + ")");
        if (demo) {
            String query = server.clusters() instanceof ServerClusters ? "?cluster_name=" + DemoSandbox.CLUSTER : "";
            LOG.log(System.Logger.Level.INFO, "Demo cluster: the built-in sandbox. Try " + server.url()
                    + "/k8s/overview/cluster" + query);
        }
        LOG.log(System.Logger.Level.INFO, "Swagger UI: " + server.url() + "/openapi/ui");
        CountDownLatch stopped = new CountDownLatch(1);
        // Helidon runs its shutdown handlers one after another on SIGTERM, heaviest first: this one finishes the
        // requests in flight (bounded by shutdown.grace-period) before Helidon's own stops the server
        io.helidon.Main.addShutdownHandler(new GracefulShutdown(server, stopped));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Drains the server, then stops it; runs in Helidon's shutdown thread before Helidon's own handlers. */
    private record GracefulShutdown(CloudPilotServer server, CountDownLatch stopped)
            implements io.helidon.spi.HelidonShutdownHandler, io.helidon.common.Weighted {
        @Override
        public void shutdown() {
            try {
                server.drain();
                server.close();
            } finally {
                stopped.countDown();
            }
        }

        @Override
        public double weight() {
            return 1000;
        }
    }
}
