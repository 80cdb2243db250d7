package io.cloudpilot.plugin.demo;

import io.cloudpilot.sandbox.SandboxCluster;
import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The demo's cluster: starts a {@link SandboxCluster} when the plugin starts and writes its kubeconfig, which
 * {@code cloudpilot demo} then registers as the cluster {@code sandbox}. It is shipped in {@code demo/plugins/demo/},
 * outside the production {@code plugins/}, and only {@code cloudpilot demo} adds that directory to the plugin
 * directories, so a plugin that is loaded always serves (decision 0050).
 *
 * <p>Configuration: {@code plugins.demo.kubeconfig} (where to write the kubeconfig; {@code cloudpilot demo} sets it;
 * default {@code <data directory>/kubeconfig.yaml}), {@code plugins.demo.port} (default 0, an ephemeral port).
 */
public final class DemoPlugin implements Plugin {

    private static final System.Logger LOG = System.getLogger(DemoPlugin.class.getName());

    private volatile SandboxCluster cluster;
    private volatile Path kubeconfig;

    @Override
    public String id() {
        return "demo";
    }

    /**
     * @return the jar manifest's {@code Plugin-Version}, or {@code unknown} when not run from the plugin jar
     */
    @Override
    public String version() {
        try {
            java.net.URL self = DemoPlugin.class.getResource("DemoPlugin.class");
            if (self != null && self.openConnection() instanceof java.net.JarURLConnection jar
                    && jar.getManifest() != null) {
                String v = jar.getManifest().getMainAttributes().getValue("Plugin-Version");
                if (v != null && !v.isBlank()) {
                    return v;
                }
            }
        } catch (java.io.IOException e) {
            // fall back to the SPI's default
        }
        return Plugin.super.version();
    }

    @Override
    public void start(PluginContext context) {
        int port;
        String configuredPort = context.config("port").map(String::trim).orElse("0");
        try {
            port = configuredPort.isEmpty() ? 0 : Integer.parseInt(configuredPort);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("plugins.demo.port is not a port number: " + configuredPort, e);
        }
        Path file = context.config("kubeconfig").map(String::trim).filter(s -> !s.isEmpty()).map(Path::of)
                .orElseGet(() -> context.dataDirectory().resolve("kubeconfig.yaml"));
        close();
        SandboxCluster started = SandboxCluster.start(port);
        try {
            started.writeKubeconfig(file);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        cluster = started;
        kubeconfig = file;
        LOG.log(System.Logger.Level.INFO, "Sandbox cluster serving at {0}, kubeconfig {1}", started.url(),
                file.toAbsolutePath());
    }

    /**
     * @return the running sandbox, empty before start and after close
     */
    public Optional<SandboxCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    /**
     * @return the kubeconfig written for the running sandbox
     */
    public Optional<Path> kubeconfig() {
        return Optional.ofNullable(kubeconfig);
    }

    @Override
    public void close() {
        SandboxCluster c = cluster;
        cluster = null;
        if (c != null) {
            c.close();
        }
    }
}
