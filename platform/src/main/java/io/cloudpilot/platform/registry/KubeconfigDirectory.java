package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.cloudpilot.k8s.syntax.Names;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;

/**
 * Clusters defined by kubeconfig files the operator places on the server ({@code registry.kubeconfig-dir}): one file
 * per cluster, named after the file ({@code eks-prod.yaml} is cluster {@code eks-prod}), used with its current
 * context as {@code kubectl} would use it: {@code exec} credential plugins (EKS, GKE, AKS) run, files it names are
 * read. This is the only way a cluster's credentials may run a command: the HTTP API and the imports refuse such
 * kubeconfigs, since a caller of the API choosing a command would be remote command execution. Read once at start;
 * {@code POST /k8s/cluster/add} and {@code DELETE /k8s/cluster/remove} refuse these names.
 */
public final class KubeconfigDirectory {

    /** The configuration key. */
    public static final String KEY = "registry.kubeconfig-dir";
    private static final System.Logger LOG = System.getLogger(KubeconfigDirectory.class.getName());
    private static final List<String> SUFFIXES = List.of(".yaml", ".yml", ".kubeconfig", ".conf");

    /**
     * One cluster of the directory.
     *
     * @param name the cluster's name
     * @param file its kubeconfig
     * @param view how the API lists it
     */
    public record FileCluster(String name, Path file, ClusterView view) {
    }

    private final Optional<Path> dir;
    private final Map<String, FileCluster> clusters;

    private KubeconfigDirectory(Optional<Path> dir, Map<String, FileCluster> clusters) {
        this.dir = dir;
        this.clusters = clusters;
    }

    /** @return no directory: no file clusters */
    public static KubeconfigDirectory none() {
        return new KubeconfigDirectory(Optional.empty(), Map.of());
    }

    /**
     * Reads every kubeconfig of the directory; a file that cannot be used is logged (WARNING, with the reason) and
     * left out, the others are served.
     *
     * @param dir the directory, if configured
     * @return its clusters
     */
    public static KubeconfigDirectory scan(Optional<Path> dir) {
        if (dir.isEmpty()) {
            return none();
        }
        Map<String, FileCluster> found = new TreeMap<>();
        if (!Files.isDirectory(dir.get())) {
            LOG.log(Level.WARNING, "{0}={1} is not a directory: no cluster is defined by kubeconfig files", KEY,
                    dir.get());
            return new KubeconfigDirectory(dir, Map.of());
        }
        try (Stream<Path> files = Files.list(dir.get())) {
            for (Path file : files.sorted(Comparator.comparing(Path::toString)).toList()) {
                String fileName = file.getFileName().toString();
                if (fileName.startsWith(".") || !Files.isRegularFile(file)) {
                    continue; // hidden files and the ..data links of a mounted Secret or ConfigMap
                }
                String name = SUFFIXES.stream().filter(fileName::endsWith).findFirst()
                        .map(s -> fileName.substring(0, fileName.length() - s.length())).orElse(fileName);
                if (!Names.isDns1123Label(name)) {
                    LOG.log(Level.WARNING, "{0}: not a cluster: the file name (without .yaml, .yml, .kubeconfig or "
                            + ".conf) must be a DNS-1123 label, the cluster''s name", file);
                    continue;
                }
                if (found.containsKey(name)) {
                    LOG.log(Level.WARNING, "{0}: not a cluster: {1} already defines cluster {2}", file,
                            found.get(name).file(), name);
                    continue;
                }
                try {
                    found.put(name, read(name, file));
                } catch (IllegalArgumentException e) {
                    LOG.log(Level.WARNING, "{0}: not a cluster: {1}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}={1} cannot be listed ({2}): no cluster is defined by kubeconfig files", KEY,
                    dir.get(), e.getClass().getSimpleName());
        }
        if (!found.isEmpty()) {
            LOG.log(Level.INFO, "Clusters defined by kubeconfig files in {0}: {1}", dir.get(), found.keySet());
        }
        return new KubeconfigDirectory(dir, Map.copyOf(found));
    }

    private static FileCluster read(String name, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        if (size > Registrations.MAX_KUBECONFIG) {
            throw new IllegalArgumentException("larger than " + Registrations.MAX_KUBECONFIG / 1024 + " KiB");
        }
        io.fabric8.kubernetes.api.model.Config model;
        String updated;
        try {
            model = KubeConfigUtils.parseConfigFromString(Files.readString(file));
            updated = Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (IOException | RuntimeException e) {
            // never quote the parser: its message repeats parts of the text
            throw new IllegalArgumentException("not a readable kubeconfig (" + e.getClass().getSimpleName() + ")");
        }
        String current = model == null ? null : model.getCurrentContext();
        NamedContext context = current == null ? null : Registrations.find(model.getContexts(), NamedContext::getName,
                current);
        if (context == null || context.getContext() == null) {
            throw new IllegalArgumentException("no current-context naming one of its contexts");
        }
        NamedCluster cluster = Registrations.find(model.getClusters(), NamedCluster::getName,
                context.getContext().getCluster());
        NamedAuthInfo user = Registrations.find(model.getUsers(), NamedAuthInfo::getName,
                context.getContext().getUser());
        if (cluster == null || cluster.getCluster() == null || cluster.getCluster().getServer() == null
                || user == null || user.getUser() == null) {
            throw new IllegalArgumentException("the current context's cluster (with a server) or user is missing");
        }
        Cluster c = cluster.getCluster();
        AuthInfo u = user.getUser();
        String server = c.getServer();
        TlsMode tls = server.toLowerCase(Locale.ROOT).startsWith("http://") ? TlsMode.PLAIN_HTTP
                : Boolean.TRUE.equals(c.getInsecureSkipTlsVerify()) ? TlsMode.INSECURE_SKIP_VERIFY
                : c.getCertificateAuthorityData() != null || c.getCertificateAuthority() != null
                ? TlsMode.VERIFIED_CA_DATA : TlsMode.VERIFIED_SYSTEM_TRUST;
        String how = u.getExec() != null ? "exec credential plugin '" + u.getExec().getCommand() + "'"
                : u.getAuthProvider() != null ? "auth-provider '" + u.getAuthProvider().getName() + "'"
                : "the credentials of its user";
        ClusterView view = new ClusterView(name, server, "kubeconfig file " + file + ", context " + current + ", "
                + how, updated, updated, tls.wire(), AuthKind.KUBECONFIG_FILE.wire(), Reachability.UNKNOWN.wire(), null,
                null, null);
        return new FileCluster(name, file, view);
    }

    /**
     * @param name a cluster name
     * @return the cluster a file defines under that name
     */
    public Optional<FileCluster> find(String name) {
        return Optional.ofNullable(name == null ? null : clusters.get(name));
    }

    /** @return the clusters of the directory, by name */
    public List<ClusterView> views() {
        return new ArrayList<>(clusters.values().stream().map(FileCluster::view).toList());
    }

    /** @return the directory, when configured */
    public Optional<Path> directory() {
        return dir;
    }

    /**
     * @param cluster a cluster of the directory
     * @return its client configuration, read from its file now (an exec plugin runs here, and again whenever fabric8
     *         refreshes the credentials)
     * @throws IllegalArgumentException when the file can no longer be read or its credentials cannot be obtained
     */
    public static Config clientConfig(FileCluster cluster) {
        try {
            return Config.fromKubeconfig(null, cluster.file().toFile());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the kubeconfig file " + cluster.file() + " cannot be used now ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
