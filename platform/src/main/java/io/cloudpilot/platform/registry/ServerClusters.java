package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.cloudpilot.platform.cluster.ClientSettings;
import io.cloudpilot.platform.cluster.ClusterObserver;
import io.cloudpilot.platform.cluster.KubeClusterContext;
import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.fabric8.kubernetes.client.VersionInfo;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Server mode: clusters registered through {@code POST /k8s/cluster/add} and kept in the {@link ClusterRegistry};
 * every cluster-scoped request names one in {@code cluster_name}.
 *
 * <p>One fabric8 client per cluster, built on first use from the stored registration
 * ({@link ClientSettings} bounds it), reused while the registration is unchanged, rebuilt when it was replaced,
 * closed when it was removed, all closed by {@link #close()}. Changes made through this server take effect at once;
 * changes made by another replica sharing the database are seen within {@code registry.refresh-interval}, when the
 * registration's revision is checked again. Listeners registered with {@link #onChange} hear of every cluster whose
 * client was replaced or dropped (the cache invalidates its entries then).
 */
public final class ServerClusters implements Clusters, ClusterObserver, AutoCloseable {

    /** Clusters registered from kubeconfig files once the plugins started ({@link #registerAtStart}). */
    public static final String REGISTER_AT_START = "registry.register-at-start";

    private static final System.Logger LOG = System.getLogger(ServerClusters.class.getName());
    /** An unchanged outcome is written again at most this often, so other replicas see checked_at move. */
    private static final long REWRITE_NANOS = Duration.ofMinutes(1).toNanos();

    private final ClusterRegistry registry;
    private final KubeconfigDirectory files;
    private final Map<String, KubeClusterContext> fileClients = new ConcurrentHashMap<>();
    private final ClientSettings settings;
    private final long refreshNanos;
    private final Map<String, Entry> clients = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, CallRecord> calls = new ConcurrentHashMap<>();
    /** Guards building and dropping clients (a lock, not a monitor: it is held across a database read). */
    private final ReentrantLock buildLock = new ReentrantLock();
    private volatile boolean closed;

    /** A built client and the registration revision it was built from. */
    private static final class Entry {
        final String revision;
        final KubeClusterContext context;
        volatile long checkedAt;

        Entry(String revision, KubeClusterContext context) {
            this.revision = revision;
            this.context = context;
            this.checkedAt = System.nanoTime();
        }
    }

    /**
     * What the calls to a cluster found.
     *
     * @param reachability reachable or unreachable
     * @param at           when, ISO-8601 UTC
     * @param error        the error sentence when unreachable
     * @param version      the last {@code gitVersion} seen, or null
     */
    private record Outcome(Reachability reachability, String at, String error, String version) {
        boolean sameState(Outcome o) {
            return o != null && reachability == o.reachability && Objects.equals(error, o.error)
                    && Objects.equals(version, o.version);
        }
    }

    /** The latest outcome of the calls made with one registration, and what of it the database holds. */
    private static final class CallRecord {
        final String revision;
        Outcome latest;
        Outcome written;
        long writtenAtNanos;
        boolean writing;

        CallRecord(String revision) {
            this.revision = revision;
        }
    }

    /**
     * Opens the registry the server's configuration ({@link ConfigProvider#getConfig()}) describes.
     *
     * @throws IllegalStateException when the secret key cannot be used, {@link IllegalArgumentException} when
     *                               {@code db.url} is not supported: the server must not start
     */
    public ServerClusters() {
        this(ConfigProvider.getConfig());
    }

    /**
     * @param config the server's configuration
     */
    public ServerClusters(Config config) {
        this(RegistryConfig.from(config), KubeconfigDirectory.scan(config.getOptionalValue(KubeconfigDirectory.KEY,
                String.class).map(String::trim).filter(s -> !s.isEmpty()).map(Path::of)));
    }

    /**
     * @param config the registry's settings
     */
    public ServerClusters(RegistryConfig config) {
        this(config, KubeconfigDirectory.none());
    }

    /**
     * @param config the registry's settings
     * @param files  the clusters defined by kubeconfig files on the server ({@code registry.kubeconfig-dir})
     */
    public ServerClusters(RegistryConfig config, KubeconfigDirectory files) {
        this(ClusterRegistry.open(config), config.clientSettings(), config.refreshInterval(), files);
    }

    /**
     * @param registry        the registry
     * @param settings        client bounds
     * @param refreshInterval how long a client is used before its registration's revision is checked again
     */
    public ServerClusters(ClusterRegistry registry, ClientSettings settings, Duration refreshInterval) {
        this(registry, settings, refreshInterval, KubeconfigDirectory.none());
    }

    /**
     * @param registry        the registry
     * @param settings        client bounds
     * @param refreshInterval how long a client is used before its registration's revision is checked again
     * @param files           the clusters defined by kubeconfig files on the server
     */
    public ServerClusters(ClusterRegistry registry, ClientSettings settings, Duration refreshInterval,
                          KubeconfigDirectory files) {
        this.registry = registry;
        this.files = files;
        for (var view : files.views()) {
            try {
                if (registry.revision(view.name()).isPresent()) {
                    LOG.log(Level.WARNING, "Cluster {0} is registered and also defined by a kubeconfig file ({1}): "
                            + "the file is used; remove one of them", view.name(), view.description());
                }
            } catch (ApiException e) {
                break; // the database is not there yet: nothing to compare with
            }
        }
        this.settings = settings;
        this.refreshNanos = Math.max(0, refreshInterval.toNanos());
        registry.onChange(this::evict);
    }

    @Override
    public Mode mode() {
        return Mode.SERVER;
    }

    @Override
    public ClusterContext resolve(String clusterName) {
        if (clusterName == null || clusterName.isBlank()) {
            throw new ApiException.ValidationError("Query parameter 'cluster_name' is required in server mode: name "
                    + "one of the clusters of GET /k8s/cluster/list.");
        }
        Optional<KubeconfigDirectory.FileCluster> file = files.find(clusterName);
        if (file.isPresent()) {
            return fileClient(file.get());
        }
        Entry entry = clients.get(clusterName);
        if (entry != null && System.nanoTime() - entry.checkedAt < refreshNanos) {
            return entry.context;
        }
        Optional<String> revision;
        try {
            revision = registry.revision(clusterName);
        } catch (ApiException.ClusterUnavailable databaseDown) {
            if (entry != null) {
                // the registry's database is down: keep serving the client of the last known registration
                return entry.context;
            }
            throw databaseDown;
        }
        if (revision.isEmpty()) {
            if (entry != null) {
                evict(clusterName);
            }
            throw new ApiException.ClusterNotFound("No cluster named '" + clusterName + "' is registered: see "
                    + "GET /k8s/cluster/list, or register it with POST /k8s/cluster/add.");
        }
        if (entry != null && entry.revision.equals(revision.get())) {
            entry.checkedAt = System.nanoTime();
            return entry.context;
        }
        return build(clusterName);
    }

    /** A file cluster's client, built on first use (its exec plugin runs then) and kept: the file is read once. */
    private ClusterContext fileClient(KubeconfigDirectory.FileCluster file) {
        KubeClusterContext context = fileClients.get(file.name());
        if (context != null) {
            return context;
        }
        buildLock.lock();
        try {
            if (closed) {
                throw new ApiException.ClusterUnavailable("The server is shutting down.", null);
            }
            context = fileClients.get(file.name());
            if (context == null) {
                try {
                    context = new KubeClusterContext(file.name(), settings.build(KubeconfigDirectory.clientConfig(file)));
                } catch (RuntimeException e) {
                    // the exec plugin's output may hold a credential: only the file and the kind of failure are told
                    throw new ApiException.ClusterUnavailable("CloudPilot cannot build a client for cluster '"
                            + file.name() + "' from its kubeconfig file " + file.file() + " (" + (e instanceof
                            IllegalArgumentException ? e.getMessage() : e.getClass().getSimpleName())
                            + "): check the file and that its exec credential plugin runs on this server.", null);
                }
                fileClients.put(file.name(), context);
            }
            return context;
        } finally {
            buildLock.unlock();
        }
    }

    /** @return the clusters defined by kubeconfig files on the server */
    public KubeconfigDirectory files() {
        return files;
    }

    private ClusterContext build(String name) {
        buildLock.lock();
        try {
            if (closed) {
                throw new ApiException.ClusterUnavailable("The server is shutting down.", null);
            }
            StoredCluster stored = registry.find(name).orElseThrow(() -> new ApiException.ClusterNotFound(
                    "No cluster named '" + name + "' is registered: see GET /k8s/cluster/list, or register it with "
                            + "POST /k8s/cluster/add."));
            Entry current = clients.get(name);
            if (current != null && current.revision.equals(stored.revision())) {
                current.checkedAt = System.nanoTime();
                return current.context;
            }
            ClusterRegistration registration = registry.open(stored);
            KubeClusterContext context;
            try {
                context = new KubeClusterContext(name, settings.build(Registrations.clientConfig(registration)));
            } catch (RuntimeException e) {
                throw new ApiException.ClusterUnavailable("CloudPilot cannot build a client for cluster '" + name
                        + "' from its registration: register it again with replace: true.", e);
            }
            Entry previous = clients.put(name, new Entry(stored.revision(), context));
            if (previous != null) {
                closeQuietly(name, previous);
                notifyListeners(name);
            }
            return context;
        } finally {
            buildLock.unlock();
        }
    }

    /**
     * Every registration, with what CloudPilot's calls to each cluster found since the check at registration:
     * reachability, {@code checked_at} and {@code last_error} follow the latest call, {@code server_version} the latest
     * {@code GET /version} (registration, {@code /k8s/cluster/info}).
     *
     * @return the registrations and the clusters of kubeconfig files, sorted by name
     */
    public List<ClusterView> list() {
        List<ClusterView> all = new ArrayList<>();
        for (var row : registry.rows()) {
            // a file's cluster shadows a registration of the same name (a warning said so at start)
            if (files.find(row.name()).isEmpty()) {
                all.add(view(row));
            }
        }
        all.addAll(files.views());
        all.sort(java.util.Comparator.comparing(ClusterView::name));
        return all;
    }

    private ClusterView view(StoredCluster row) {
        CallRecord r = calls.get(row.name());
        Outcome latest = null;
        if (r != null && r.revision.equals(row.revision())) {
            synchronized (r) {
                latest = r.latest;
            }
        }
        // another replica may have called the cluster more recently: the newer outcome wins
        boolean newer = latest != null && (row.checkedAt() == null || latest.at().compareTo(row.checkedAt()) >= 0);
        return ClusterView.of(newer ? row.withCalls(latest.reachability(), latest.at(), latest.error(),
                latest.version()) : row);
    }

    @Override
    public void answered(String cluster, Object result) {
        String version = result instanceof VersionInfo v ? v.getGitVersion() : null;
        observed(cluster, Reachability.REACHABLE, null, version);
    }

    @Override
    public void unreachable(String cluster, String error) {
        observed(cluster, Reachability.UNREACHABLE, error, null);
    }

    /** Keeps the outcome in memory and writes it to the registry when it changed (or a minute passed), off the call. */
    private void observed(String cluster, Reachability reachability, String error, String version) {
        Entry entry = clients.get(cluster);
        if (entry == null || closed) {
            return;
        }
        CallRecord r = calls.compute(cluster, (k, old) -> old != null && old.revision.equals(entry.revision) ? old
                : new CallRecord(entry.revision));
        boolean write;
        synchronized (r) {
            String seen = version != null ? version : r.latest == null ? null : r.latest.version();
            r.latest = new Outcome(reachability, ClusterRegistry.now(), error, seen);
            write = !r.writing && (!r.latest.sameState(r.written) || System.nanoTime() - r.writtenAtNanos > REWRITE_NANOS);
            r.writing |= write;
        }
        if (write) {
            Thread.ofVirtual().name("cloudpilot-cluster-status-" + cluster).start(() -> write(cluster, r));
        }
    }

    private void write(String cluster, CallRecord r) {
        while (true) {
            Outcome o;
            synchronized (r) {
                o = r.latest;
            }
            try {
                registry.recordCalls(cluster, r.revision, o.reachability(), o.at(), o.error(), o.version());
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Recording the reachability of cluster {0} failed: {1}", cluster, e.toString());
                synchronized (r) {
                    r.writing = false;
                }
                return;
            }
            synchronized (r) {
                r.written = o;
                r.writtenAtNanos = System.nanoTime();
                if (r.latest.sameState(o)) {
                    r.writing = false;
                    return;
                }
            }
        }
    }

    /**
     * Registers (or replaces) the clusters of {@value #REGISTER_AT_START} ({@code NAME=FILE,...}, absolute paths):
     * kubeconfig files that plugins write as they start ({@code cloudpilot demo}'s sandbox). Called once the plugins
     * started and before the first request, so a file's cluster is served from the start.
     *
     * @param config the server's configuration
     * @throws IllegalArgumentException when an entry is not {@code NAME=ABSOLUTE_PATH}
     * @throws ApiException             when a file's content is unusable (a missing file is logged and skipped)
     */
    public void registerAtStart(Config config) {
        for (String entry : config.getOptionalValue(REGISTER_AT_START, String.class).orElse("").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            Path file = equals > 0 ? Path.of(entry.substring(equals + 1).trim()) : null;
            if (file == null || !file.isAbsolute()) {
                throw new IllegalArgumentException(REGISTER_AT_START + " entry '" + entry.trim()
                        + "' is not NAME=ABSOLUTE_PATH");
            }
            String name = entry.substring(0, equals).trim();
            if (!Files.exists(file)) {
                // the plugin that writes it did not start (or is not installed): the server serves the others
                LOG.log(Level.WARNING, "Cluster {0} not registered at start: no kubeconfig at {1}", name, file);
                continue;
            }
            registerFromKubeconfig(name, file, "Registered at start from " + file);
        }
    }

    /**
     * Registers a cluster from a kubeconfig file, replacing a registration of that name, without checking it
     * ({@link #registerAtStart}). The kubeconfig may name an {@code http://} server; like any
     * registered kubeconfig it must carry inline credentials (no exec, auth-provider or file paths).
     *
     * @param name        the cluster's name (DNS-1123 label)
     * @param kubeconfig  the kubeconfig file; its current context is used
     * @param description free text, or null
     * @return the stored registration
     * @throws ApiException when the file or its content is unusable, or the database is unavailable
     */
    public ClusterView registerFromKubeconfig(String name, Path kubeconfig, String description) {
        String text;
        try {
            text = Files.readString(kubeconfig);
        } catch (IOException e) {
            throw new ApiException.ValidationError("Cannot read the kubeconfig " + kubeconfig + " ("
                    + e.getClass().getSimpleName() + ").");
        }
        ClusterRegistration registration = Registrations.fromKubeconfigFile(name, text, description);
        return registry.add(registration, false, true);
    }

    /**
     * @param listener called with a cluster's name when its registration was replaced or removed (here or, seen
     *                 on the next resolve, by another replica) and its client closed
     */
    public void onChange(Consumer<String> listener) {
        listeners.add(listener);
    }

    /** @return the registry behind this mode */
    public ClusterRegistry registry() {
        return registry;
    }

    /** @return whether the registry's database is usable (readiness) */
    public boolean healthy() {
        return registry.healthy();
    }

    /** @return why the registry's database is not usable, when it is not */
    public Optional<String> lastError() {
        return registry.lastError();
    }

    private void evict(String name) {
        Entry previous;
        buildLock.lock();
        try {
            previous = clients.remove(name);
            calls.remove(name);
        } finally {
            buildLock.unlock();
        }
        if (previous != null) {
            closeQuietly(name, previous);
        }
        notifyListeners(name);
    }

    private void notifyListeners(String name) {
        for (Consumer<String> listener : listeners) {
            try {
                listener.accept(name);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A cluster change listener failed for {0}: {1}", name, e.toString());
            }
        }
    }

    private static void closeQuietly(String name, Entry entry) {
        try {
            entry.context.close();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Closing the client of cluster {0} failed: {1}", name, e.toString());
        }
    }

    /** Closes every client and the registry's database connections. */
    @Override
    public void close() {
        List<Map.Entry<String, Entry>> all;
        buildLock.lock();
        try {
            closed = true;
            all = new ArrayList<>(clients.entrySet());
            clients.clear();
        } finally {
            buildLock.unlock();
        }
        all.forEach(e -> closeQuietly(e.getKey(), e.getValue()));
        fileClients.values().forEach(KubeClusterContext::close);
        fileClients.clear();
        registry.close();
    }
}
