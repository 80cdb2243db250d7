package io.cloudpilot.platform.registry;

import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.cloudpilot.platform.cluster.ClientSettings;
import io.cloudpilot.platform.cluster.UpstreamErrors;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;

/**
 * The cluster registry: validated registrations, their credentials sealed with {@link SecretBox}, stored through
 * JDBC ({@link ClusterStore}), checked against the cluster's {@code GET /version} before they are stored.
 *
 * <p>Configuration errors (a malformed key, a key file others can read, an unsupported {@code db.url}) stop the
 * server when the registry is opened. A database that cannot be reached does not: the registry reports it through
 * {@link #healthy()} (readiness) and answers 503 until the database is back; the schema is migrated on the first
 * operation that finds the database reachable.
 */
public final class ClusterRegistry implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClusterRegistry.class.getName());
    private static final long HEALTH_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Database db;
    private final ClusterStore store;
    private final SecretBox box;
    private final String keySource;
    private final ClientSettings verifySettings;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final FirstUse migration = new FirstUse();
    private volatile int schemaVersion;
    private volatile boolean healthy = true;
    private volatile String lastError;
    private volatile long lastHealthCheck = System.nanoTime() - HEALTH_RECHECK_NANOS;

    /**
     * What a check of {@code GET /version} found.
     *
     * @param reachability  reachable or unreachable
     * @param checkedAt     when, ISO-8601 UTC
     * @param error         the error sentence, or null
     * @param serverVersion the cluster's {@code gitVersion}, or null
     */
    record Check(Reachability reachability, String checkedAt, String error, String serverVersion) {
    }

    ClusterRegistry(Database db, SecretBox box, String keySource, ClientSettings clientSettings) {
        this.db = db;
        this.store = new ClusterStore(db);
        this.box = box;
        this.keySource = keySource;
        // the check on add is bounded by the connect timeout and never retried
        this.verifySettings = new ClientSettings(clientSettings.connectTimeout(), clientSettings.connectTimeout(), 0);
    }

    /**
     * Opens the registry: loads the key, chooses the database, migrates the schema if the database is reachable.
     *
     * @param config the registry's settings
     * @return the registry
     * @throws SecretKeys.InvalidKeyException when the key cannot be used (the server must not start)
     * @throws IllegalArgumentException       when {@code db.url} is not supported (the server must not start)
     */
    public static ClusterRegistry open(RegistryConfig config) {
        SecretKeys.Loaded key;
        Database db;
        try {
            key = SecretKeys.load(config.secretKey(), config.dataDir());
            db = Database.of(config);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "The cluster registry cannot start: {0}", e.getMessage());
            throw e;
        }
        SecretBox box;
        try {
            box = new SecretBox(key.key(), SecretKeys.previous(config.previousSecretKeys()));
        } catch (RuntimeException e) {
            db.close();
            LOG.log(Level.ERROR, "The cluster registry cannot start: {0}", e.getMessage());
            throw e;
        }
        ClusterRegistry registry = new ClusterRegistry(db, box, key.source(), config.clientSettings());
        if (db.dialect() == Database.Dialect.POSTGRESQL && config.secretKey().isEmpty()) {
            LOG.log(Level.WARNING, "The cluster registry is in PostgreSQL but its secret key comes from the local file {0}:"
                    + " replicas sharing the database need the same key. Set cloudpilot.secret-key "
                    + "(CLOUDPILOT_SECRET_KEY) to the same value on every replica.", key.source());
        }
        registry.start();
        return registry;
    }

    private void start() {
        try {
            ensureMigrated();
            List<StoredCluster> all = store.list();
            markHealthy();
            List<String> otherKey = new ArrayList<>();
            List<String> damaged = new ArrayList<>();
            for (StoredCluster c : all) {
                try {
                    openSecrets(c);
                } catch (SecretBox.UnreadableException e) {
                    (e.failure() == SecretBox.Failure.KEY_CHANGED ? otherKey : damaged).add(c.name());
                }
            }
            LOG.log(Level.INFO, "Cluster registry: {0}, schema version {1}, {2} cluster(s); credentials encrypted with the "
                    + "key of {3}", db.description(), schemaVersion, all.size(), keySource);
            if (!otherKey.isEmpty()) {
                LOG.log(Level.WARNING, "The credentials of {0} registered cluster(s) {1} were encrypted with another secret "
                        + "key: they cannot be used until that key is restored ({2}) or they are registered again with "
                        + "replace: true.", otherKey.size(), otherKey, keySource);
            }
            if (!damaged.isEmpty()) {
                LOG.log(Level.WARNING, "The stored credentials of cluster(s) {0} fail their integrity check: register them "
                        + "again with replace: true.", damaged);
            }
        } catch (SQLException e) {
            markUnhealthy(e);
            LOG.log(Level.ERROR, "Cluster registry: {0} cannot be used: {1}. The server starts, readiness reports DOWN, "
                    + "and registry calls answer 503 until it can.", db.description(), lastError);
        }
    }

    /**
     * @param listener called with a cluster's name after it was added, replaced or removed
     */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /**
     * Registers a cluster: checks it (unless {@code verify} is false), then stores it.
     *
     * @param registration a validated registration
     * @param verify       whether to check {@code GET /version} first
     * @param replace      whether an existing registration of the name is replaced
     * @return the stored registration
     * @throws ApiException 409 when the name exists and not {@code replace}; 403 when the cluster rejects the
     *                      credentials; 503 when it cannot be reached; nothing is stored then
     */
    public ClusterView add(ClusterRegistration registration, boolean verify, boolean replace) {
        String name = registration.name();
        ensureReady();
        boolean existed = sql(() -> store.revision(name)).isPresent();
        if (existed && !replace) {
            throw conflict(name);
        }
        Check check = verify ? verify(registration) : buildOnly(registration);
        String now = now();
        StoredCluster row = new StoredCluster(name, registration.apiServer(), registration.description(),
                registration.authKind(), registration.tlsMode(), registration.caData(),
                registration.token() == null ? null : box.seal(name, registration.token()),
                registration.kubeconfig() == null ? null : box.seal(name, registration.kubeconfig()),
                UUID.randomUUID().toString(), now, now, check.reachability(), check.checkedAt(), check.error(),
                check.serverVersion());
        StoredCluster saved = sql(() -> store.save(row, replace)).orElseThrow(() -> conflict(name));
        LOG.log(Level.INFO, "Cluster {0} {1}: {2}, TLS {3}, auth {4}, {5}", name,
                existed ? "replaced" : "registered", saved.apiServer(),
                saved.tlsMode().wire(), saved.authKind().wire(), verify ? "verified" : "not verified");
        changed(name);
        return ClusterView.of(saved);
    }

    /**
     * @return every registration, sorted by name
     */
    public List<ClusterView> list() {
        return rows().stream().map(ClusterView::of).toList();
    }

    /**
     * @return every registration as stored (credentials sealed), sorted by name
     */
    public List<StoredCluster> rows() {
        ensureReady();
        return sql(store::list);
    }

    /**
     * @param name a cluster's name
     * @throws ApiException.ClusterNotFound when it is not registered
     */
    public void remove(String name) {
        ensureReady();
        if (!sql(() -> store.delete(name))) {
            throw notFound(name);
        }
        LOG.log(Level.INFO, "Cluster {0} removed from the registry", name);
        changed(name);
    }

    /**
     * Checks a registered cluster's {@code GET /version} and records the outcome; never fails for an unreachable
     * cluster (the outcome says so).
     *
     * @param name a cluster's name
     * @return the registration with the new outcome
     */
    public ClusterView check(String name) {
        StoredCluster stored = find(name).orElseThrow(() -> notFound(name));
        Check check;
        try {
            check = verify(open(stored));
        } catch (ApiException e) {
            check = new Check(Reachability.UNREACHABLE, now(), e.getMessage(), null);
        }
        Check done = check;
        sql(() -> {
            store.recordCheck(name, stored.revision(), done.reachability(), done.checkedAt(), done.error(),
                    done.serverVersion());
            return null;
        });
        return find(name).map(ClusterView::of).orElseThrow(() -> notFound(name));
    }

    /**
     * Records what CloudPilot's own calls to a cluster found, unless the registration was replaced meanwhile.
     *
     * @param name          the cluster
     * @param revision      the registration the calls were made with
     * @param reachability  reachable or unreachable
     * @param checkedAt     when, ISO-8601 UTC
     * @param error         the last error sentence, or null
     * @param serverVersion the {@code gitVersion} the cluster reported, or null to keep the stored one
     * @throws ApiException.ClusterUnavailable when the database is unavailable
     */
    public void recordCalls(String name, String revision, Reachability reachability, String checkedAt, String error,
                            String serverVersion) {
        ensureReady();
        sql(() -> {
            store.recordCheck(name, revision, reachability, checkedAt, error, serverVersion);
            return null;
        });
    }

    /**
     * @param name a cluster's name
     * @return its row, if registered
     */
    public Optional<StoredCluster> find(String name) {
        ensureReady();
        return sql(() -> store.find(name));
    }

    /**
     * @param name a cluster's name
     * @return the revision of its registration, if registered (a new value after every add or replace)
     */
    public Optional<String> revision(String name) {
        ensureReady();
        return sql(() -> store.revision(name));
    }

    /**
     * @param stored a row
     * @return the registration with its credentials decrypted
     * @throws ApiException.ClusterUnavailable when they cannot be decrypted (the key changed, or the row was altered)
     */
    public ClusterRegistration open(StoredCluster stored) {
        try {
            return openSecrets(stored);
        } catch (SecretBox.UnreadableException e) {
            if (e.failure() == SecretBox.Failure.KEY_CHANGED) {
                throw new ApiException.ClusterUnavailable("Cannot decrypt the credentials of cluster '" + stored.name()
                        + "': the secret key changed since they were stored. Restore the previous key (" + keySource
                        + "), add it to cloudpilot.previous-secret-keys, or register the cluster again with replace: "
                        + "true.", null);
            }
            throw new ApiException.ClusterUnavailable("Cannot decrypt the credentials of cluster '" + stored.name()
                    + "': the stored value is damaged or was altered. Register the cluster again with replace: true.",
                    null);
        }
    }

    private ClusterRegistration openSecrets(StoredCluster s) throws SecretBox.UnreadableException {
        String token = s.tokenSealed() == null ? null : box.open(s.name(), s.tokenSealed());
        String kubeconfig = s.kubeconfigSealed() == null ? null : box.open(s.name(), s.kubeconfigSealed());
        return new ClusterRegistration(s.name(), s.apiServer(), s.description(), s.authKind(), s.tlsMode(), s.caData(),
                token, kubeconfig);
    }

    /**
     * Whether the database is usable; checked again (a cheap query) at most every 5 s.
     *
     * @return true when the last check or operation succeeded
     */
    public boolean healthy() {
        long now = System.nanoTime();
        if (now - lastHealthCheck >= HEALTH_RECHECK_NANOS) {
            lastHealthCheck = now;
            try {
                ensureMigrated();
                store.ping();
                markHealthy();
            } catch (SQLException e) {
                markUnhealthy(e);
            }
        }
        return healthy;
    }

    /** @return why the database is not usable, when it is not */
    public Optional<String> lastError() {
        return healthy ? Optional.empty() : Optional.ofNullable(lastError);
    }

    /** @return the registry's database, which CloudPilot's audit log shares */
    public Database database() {
        return db;
    }

    /** @return where the registry is stored (no password) */
    public String description() {
        return db.description();
    }

    /** @return the schema version, 0 before the first successful migration */
    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public void close() {
        db.close();
    }

    /** Checks {@code GET /version} with a client bounded by the connect timeout and no retries. */
    private Check verify(ClusterRegistration r) {
        KubernetesClient client = build(r);
        try (client) {
            VersionInfo version = client.getKubernetesVersion();
            return new Check(Reachability.REACHABLE, now(), null, version == null ? null : version.getGitVersion());
        } catch (RuntimeException e) {
            throw verifyFailure(r, e);
        }
    }

    /** With {@code verify: false}: the client must still be buildable (certificates and keys parse). */
    private Check buildOnly(ClusterRegistration r) {
        build(r).close();
        return new Check(Reachability.UNKNOWN, null, null, null);
    }

    private KubernetesClient build(ClusterRegistration r) {
        try {
            return verifySettings.build(Registrations.clientConfig(r));
        } catch (RuntimeException e) {
            throw Registrations.invalid("The credentials or CA data of cluster '" + r.name() + "' cannot be used to "
                    + "build a client: check the certificate and key data.", r.authKind().wire());
        }
    }

    private ApiException verifyFailure(ClusterRegistration r, RuntimeException e) {
        String name = r.name();
        int code = e instanceof KubernetesClientException k ? k.getCode() : 0;
        if (code == 401 || code == 403) {
            return new ApiException.Forbidden("Cluster '" + name + "' rejected the credentials (HTTP " + code + ") when "
                    + "CloudPilot checked GET /version; nothing was stored. Check the " + (r.authKind() == AuthKind.TOKEN
                    ? "token" : "kubeconfig's user") + " and whether it has expired.", e);
        }
        if (code == 404) {
            return Registrations.invalid("The server at " + r.apiServer() + " answered GET /version with HTTP 404: it "
                    + "does not look like a Kubernetes API server; nothing was stored.",
                    r.authKind() == AuthKind.TOKEN ? "api_server" : "kubeconfig");
        }
        ApiException mapped = UpstreamErrors.map(name, e);
        String tail = " Nothing was stored; check the address and network, or register it with verify: false.";
        if (mapped instanceof ApiException.ClusterTimeout) {
            return new ApiException.ClusterTimeout("Cluster '" + name + "' did not answer GET /version at "
                    + r.apiServer() + " within " + verifySettings.connectTimeout().toSeconds() + " s." + tail, e);
        }
        return new ApiException.ClusterUnavailable(mapped.getMessage() + " (" + r.apiServer() + ")" + tail, e);
    }

    private void ensureReady() {
        try {
            ensureMigrated();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void ensureMigrated() throws SQLException {
        migration.ensure(() -> {
            schemaVersion = Migrations.migrate(db);
            resealWithCurrentKey();
        });
    }

    /**
     * A key rotation: every credential sealed with one of {@code cloudpilot.previous-secret-keys} is sealed again with
     * the current key, all in one transaction, once per start (docs/registry.md).
     */
    private void resealWithCurrentKey() throws SQLException {
        if (box.previousKeys() == 0) {
            return;
        }
        List<String> unreadable = new ArrayList<>();
        int moved = store.reseal((name, sealed) -> {
            if (sealed == null || !box.sealedWithPreviousKey(sealed)) {
                return sealed;
            }
            try {
                return box.reseal(name, sealed);
            } catch (SecretBox.UnreadableException e) {
                unreadable.add(name); // damaged: left as it is, reported at start like any damaged row
                return sealed;
            }
        });
        LOG.log(Level.INFO, "Secret key rotation: the credentials of {0} cluster(s) were encrypted again with the key "
                + "of {1}, in one transaction. {2}", moved, keySource, unreadable.isEmpty()
                ? "No stored credential uses a previous key any more: cloudpilot.previous-secret-keys can be removed "
                        + "once every replica runs with the current key."
                : "The credentials of " + unreadable + " could not be read and were left as they are.");
    }

    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    /** A database call; failures become 503 and mark the registry unhealthy. */
    private <T> T sql(SqlCall<T> call) {
        try {
            T result = call.call();
            markHealthy();
            return result;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private ApiException unavailable(SQLException e) {
        markUnhealthy(e);
        LOG.log(Level.WARNING, "Cluster registry database ({0}) failed: {1}", db.description(), lastError);
        return new ApiException.ClusterUnavailable("The cluster registry's database is unavailable; try again shortly "
                + "(GET /health/ready shows its state).", e);
    }

    private void markHealthy() {
        healthy = true;
        lastError = null;
    }

    private void markUnhealthy(SQLException e) {
        healthy = false;
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                .orElse("");
        message = message.strip().replaceAll("\\.+$", "");
        lastError = message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    private void changed(String name) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(name);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A registry change listener failed for cluster {0}: {1}", name, e.toString());
            }
        }
    }

    private static ApiException.Conflict conflict(String name) {
        return new ApiException.Conflict("A cluster named '" + name + "' is already registered: remove it first "
                + "(DELETE /k8s/cluster/remove?cluster_name=" + name + ") or send replace: true to replace it.");
    }

    static ApiException.ClusterNotFound notFound(String name) {
        return new ApiException.ClusterNotFound("No cluster named '" + name + "' is registered: GET /k8s/cluster/list "
                + "shows the registered clusters; POST /k8s/cluster/add registers one.");
    }

    /** @return the current time as the registry writes it: ISO-8601 UTC, whole seconds */
    public static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
