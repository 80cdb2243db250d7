package io.cloudpilot.platform.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.cloudpilot.platform.cluster.ClientSettings;

import org.eclipse.microprofile.config.Config;

/**
 * The settings of the cluster registry (server mode). Every key is documented in {@code docs/configuration.md}.
 *
 * @param dataDir         {@code cloudpilot.data-dir}: the SQLite file and the key file live here
 * @param dbUrl           {@code db.url}: a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL; empty = SQLite at
 *                        {@code <data-dir>/cloudpilot.db}
 * @param dbUser          {@code db.user}
 * @param dbPassword      {@code db.password}; never logged or shown
 * @param secretKey       {@code cloudpilot.secret-key} (env {@code CLOUDPILOT_SECRET_KEY}): base64 of 32 bytes;
 *                        empty = the key file {@code <data-dir>/secret.key}; never logged or shown
 * @param previousSecretKeys {@code cloudpilot.previous-secret-keys} (env {@code CLOUDPILOT_PREVIOUS_SECRET_KEYS}):
 *                        comma-separated base64 keys that still decrypt during a key rotation; never logged
 * @param poolSize        {@code db.pool-size}: database connections kept at most
 * @param refreshInterval {@code registry.refresh-interval}: how long a cluster's client is used before the
 *                        registry is asked again whether the registration changed (another replica may have
 *                        replaced or removed it)
 * @param clientSettings  the bounds of cluster clients ({@code cluster.*})
 */
public record RegistryConfig(Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
                             Optional<String> dbPassword, Optional<String> secretKey,
                             Optional<String> previousSecretKeys, int poolSize,
                             Duration refreshInterval, ClientSettings clientSettings) {

    /** The default of {@code cloudpilot.data-dir}, as the platform resolves it. */
    public static final String DEFAULT_DATA_DIR = "data";

    /**
     * @param config the server's configuration
     * @return the registry's settings
     */
    public static RegistryConfig from(Config config) {
        return new RegistryConfig(
                Path.of(config.getOptionalValue("cloudpilot.data-dir", String.class).orElse(DEFAULT_DATA_DIR)),
                nonBlank(config, "db.url"),
                nonBlank(config, "db.user"),
                config.getOptionalValue("db.password", String.class),
                nonBlank(config, "cloudpilot.secret-key"),
                nonBlank(config, "cloudpilot.previous-secret-keys"),
                Math.max(1, config.getOptionalValue("db.pool-size", Integer.class).orElse(4)),
                config.getOptionalValue("registry.refresh-interval", Duration.class).orElse(Duration.ofSeconds(10)),
                ClientSettings.from(config));
    }

    private static Optional<String> nonBlank(Config config, String key) {
        return config.getOptionalValue(key, String.class).map(String::trim).filter(s -> !s.isEmpty());
    }

    /** Never shows the password or the key. */
    @Override
    public String toString() {
        return "RegistryConfig[dataDir=" + dataDir + ", db=" + dbUrl.map(Database::redact).orElse("sqlite (default)")
                + ", dbUser=" + dbUser.orElse("-") + ", dbPassword=" + (dbPassword.isPresent() ? "***" : "-")
                + ", secretKey=" + (secretKey.isPresent() ? "*** (configured)" : "key file")
                + ", previousSecretKeys=" + (previousSecretKeys.isPresent() ? "***" : "-")
                + ", poolSize=" + poolSize + ", refreshInterval=" + refreshInterval + "]";
    }
}
