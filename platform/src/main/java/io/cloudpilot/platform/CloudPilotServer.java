package io.cloudpilot.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.cloudpilot.platform.http.ProductVersion;
import io.cloudpilot.platform.http.WebServerFilters;
import io.cloudpilot.platform.http.edge.HttpEdge;
import io.cloudpilot.platform.plugins.PluginDirectories;
import io.cloudpilot.platform.security.Security;
import io.cloudpilot.platform.wiring.PlatformExtension;
import io.cloudpilot.spi.Clusters;
import io.helidon.config.mp.MpConfigSources;
import io.helidon.config.yaml.mp.YamlMpConfigSource;
import io.helidon.microprofile.server.Server;

import jakarta.enterprise.inject.spi.CDI;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Starts and stops one CloudPilot server: the launcher's {@code serve} and {@code demo}, and the test kit,
 * start it the same way. Configuration, weakest first: built-in defaults ({@code microprofile-config.properties}),
 * the config file, environment variables, system properties, then the overrides (command-line flags).
 */
public final class CloudPilotServer implements AutoCloseable {

    private static final int FILE_ORDINAL = 200;
    private static final int OVERRIDE_ORDINAL = 1000;

    private final Server server;
    private final Config config;

    private CloudPilotServer(Server server, Config config) {
        this.server = server;
        this.config = config;
    }

    /**
     * Starts a server.
     *
     * @param configFile a YAML or properties file, if any
     * @param overrides  settings that win over every other source (flags; tests)
     * @return the running server
     */
    public static CloudPilotServer start(Optional<Path> configFile, Map<String, String> overrides) {
        Config config = config(configFile, overrides);
        // refuse at once, with the reason, to serve an unauthenticated API on a public address or to load plugins
        // from a relative directory
        Security.from(config);
        HttpEdge.prepare(config);
        PluginDirectories.of(config);
        ConfigProviderResolver.instance().registerConfig(config, Thread.currentThread().getContextClassLoader());
        Server server = Server.builder().config(config).build().start();
        if (server.port() < 0) {
            server.stop();
            throw new IllegalStateException("the HTTP server did not start on "
                    + config.getOptionalValue("server.host", String.class).orElse("127.0.0.1") + ":"
                    + config.getOptionalValue("server.port", String.class).orElse("8000")
                    + " (address in use, or not an address of this machine); see the log above");
        }
        try {
            HttpEdge.check(config);
        } catch (IllegalStateException e) {
            server.stop();
            throw e;
        }
        return new CloudPilotServer(server, config);
    }

    /**
     * @param configFile a config file, if any
     * @param overrides  the strongest settings
     * @return the configuration a server with these inputs runs with
     */
    public static Config config(Optional<Path> configFile, Map<String, String> overrides) {
        Map<String, String> strongest = new HashMap<>(overrides);
        // Map the launcher's short names onto Helidon's keys.
        move(strongest, "host", "server.host");
        move(strongest, "port", "server.port");
        move(strongest, "mode", "cloudpilot.mode");
        var builder = ConfigProviderResolver.instance().getBuilder()
                .addDefaultSources()
                .addDiscoveredSources()
                .addDiscoveredConverters();
        if (configFile.isPresent()) {
            Path file = configFile.get();
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("Config file " + file + " does not exist or is not readable");
            }
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            ConfigSource source = name.endsWith(".properties")
                    ? MpConfigSources.create(file)
                    : YamlMpConfigSource.create(file);
            builder.withSources(new WithOrdinal(source, FILE_ORDINAL));
        }
        builder.withSources(new WithOrdinal(MpConfigSources.create("overrides", strongest), OVERRIDE_ORDINAL));
        return builder.build();
    }

    private static void move(Map<String, String> map, String from, String to) {
        String v = map.remove(from);
        if (v != null) {
            map.put(to, v);
        }
    }

    /** @return CloudPilot's version (the platform jar's), {@code dev} when not run from a built jar */
    public static String version() {
        return ProductVersion.get();
    }

    /** @return the port the server listens on */
    public int port() {
        return server.port();
    }

    /** @return the base URL, e.g. {@code http://127.0.0.1:8000} */
    public String url() {
        String host = config.getOptionalValue("server.host", String.class).orElse("127.0.0.1");
        if (host.equals("0.0.0.0") || host.equals("::")) {
            host = "127.0.0.1";
        }
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /** @return the clusters this server serves */
    public Clusters clusters() {
        return CDI.current().getBeanManager().getExtension(PlatformExtension.class).platform().clusters();
    }

    /** @return the configuration the server runs with */
    public Config config() {
        return config;
    }

    /**
     * Lets the requests in flight finish while refusing new ones, for at most {@code shutdown.grace-period}
     * (default 30 s); call {@link #close()} next.
     *
     * @return true when every request finished in time
     */
    public boolean drain() {
        Duration grace = config.getOptionalValue("shutdown.grace-period", Duration.class).orElse(Duration.ofSeconds(30));
        return CDI.current().getBeanManager().getExtension(WebServerFilters.class).inFlight().drain(grace);
    }

    /** Stops the server and its plugins. */
    @Override
    public void close() {
        server.stop();
    }

    /** A config source with a fixed ordinal. */
    private record WithOrdinal(ConfigSource delegate, int ordinal) implements ConfigSource {
        @Override
        public Set<String> getPropertyNames() {
            return delegate.getPropertyNames();
        }

        @Override
        public Map<String, String> getProperties() {
            return delegate.getProperties();
        }

        @Override
        public String getValue(String propertyName) {
            return delegate.getValue(propertyName);
        }

        @Override
        public String getName() {
            return delegate.getName();
        }

        @Override
        public int getOrdinal() {
            return ordinal;
        }
    }
}
