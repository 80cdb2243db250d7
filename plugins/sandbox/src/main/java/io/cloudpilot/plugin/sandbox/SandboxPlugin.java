package io.cloudpilot.plugin.sandbox;

import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs a {@link SandboxCluster} inside the server when {@code plugins.sandbox.enabled=true} (the demo), and writes
 * its kubeconfig so the platform can register it as a cluster.
 *
 * <p>Configuration: {@code plugins.sandbox.enabled} (default false), {@code plugins.sandbox.port} (default 0, an
 * ephemeral port), {@code plugins.sandbox.kubeconfig} (default {@code <data directory>/kubeconfig.yaml}).
 */
public final class SandboxPlugin implements Plugin {

    private static final System.Logger LOG = System.getLogger(SandboxPlugin.class.getName());

    private volatile SandboxCluster cluster;
    private volatile Path kubeconfig;

    @Override
    public String id() {
        return "sandbox";
    }

    /**
     * @return the jar manifest's {@code Plugin-Version}, or {@code unknown} when not run from the plugin jar
     */
    @Override
    public String version() {
        try {
            java.net.URL self = SandboxPlugin.class.getResource("SandboxPlugin.class");
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
        if (!"true".equalsIgnoreCase(context.config("enabled").map(String::trim).orElse("false"))) {
            return;
        }
        int port;
        String configuredPort = context.config("port").map(String::trim).orElse("0");
        try {
            port = configuredPort.isEmpty() ? 0 : Integer.parseInt(configuredPort);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("plugins.sandbox.port is not a port number: " + configuredPort, e);
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
     * @return the running sandbox, empty unless the plugin is enabled and started
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
