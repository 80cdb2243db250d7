package io.cloudpilot.plugin.demo;

import io.cloudpilot.sandbox.SandboxCluster;

import io.cloudpilot.spi.AuditLog;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.HealthContributor;
import io.cloudpilot.spi.Plugin;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoPluginTest {

    @Test
    void registeredWithServiceLoader() {
        List<Plugin> plugins = ServiceLoader.load(Plugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertTrue(plugins.stream().anyMatch(p -> p instanceof DemoPlugin && p.id().equals("demo")));
        DemoPlugin plugin = new DemoPlugin();
        assertTrue(plugin.resources().isEmpty());
        assertTrue(plugin.healthContributors().isEmpty());
        assertFalse(plugin.version().isBlank());
    }

    @Test
    void startsASandboxAndWritesItsKubeconfig(@TempDir Path dir) throws Exception {
        DemoPlugin plugin = new DemoPlugin();
        List<String> logged = new java.util.ArrayList<>();
        Logger logger = Logger.getLogger(DemoPlugin.class.getName());
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            plugin.start(context(dir, Map.of()));
        } finally {
            logger.removeHandler(handler);
        }
        SandboxCluster cluster = plugin.cluster().orElseThrow();
        Path kubeconfig = dir.resolve("kubeconfig.yaml");
        assertEquals(kubeconfig, plugin.kubeconfig().orElseThrow());
        assertEquals(1, logged.size());
        assertTrue(logged.get(0).contains(cluster.url()) && logged.get(0).contains(kubeconfig.toString()), logged.get(0));
        assertFalse(logged.get(0).contains(cluster.token()));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(
                kubeconfig))).build()) {
            assertEquals(4, client.nodes().list().getItems().size());
        }
        String url = cluster.url();
        plugin.close();
        assertTrue(plugin.cluster().isEmpty());
        HttpClient http = HttpClient.newHttpClient();
        assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(URI.create(url + "/version")).build(),
                HttpResponse.BodyHandlers.discarding()));
    }

    @Test
    void portAndKubeconfigFromConfiguration(@TempDir Path dir) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path file = dir.resolve("conf/sandbox.kubeconfig");
        DemoPlugin plugin = new DemoPlugin();
        plugin.start(context(dir, Map.of("port", String.valueOf(port), "kubeconfig",
                file.toString())));
        try {
            assertEquals("http://127.0.0.1:" + port, plugin.cluster().orElseThrow().url());
            assertTrue(Files.readString(file).contains("server: http://127.0.0.1:" + port));
        } finally {
            plugin.close();
        }
        assertThrows(IllegalArgumentException.class, () -> new DemoPlugin().start(context(dir, Map.of("port",
                "eighty"))));
    }

    private static PluginContext context(Path dir, Map<String, String> config) {
        return new PluginContext() {
            @Override
            public String pluginId() {
                return "demo";
            }

            @Override
            public Optional<String> config(String key) {
                return Optional.ofNullable(config.get(key));
            }

            @Override
            public Map<String, String> configuration() {
                return config;
            }

            @Override
            public Path dataDirectory() {
                return dir;
            }

            @Override
            public Clusters clusters() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ResourceCache cache() {
                throw new UnsupportedOperationException();
            }

            @Override
            public AuditLog audit() {
                return entry -> { };
            }

            @Override
            public List<HealthContributor> healthContributors() {
                return List.of();
            }
        };
    }
}
