package io.cloudpilot.platform.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.fabric8.kubernetes.client.Config;

/**
 * Instant mode: the one cluster CloudPilot runs in (service account), else the one of the local kubeconfig's
 * current context. An explicitly configured kubeconfig ({@code instant.kubeconfig}) wins over both.
 * The client is built on first use, so a kubeconfig written while the server starts (the demo's sandbox) is
 * found.
 */
public final class InstantClusters implements Clusters, AutoCloseable {

    /** The name of the in-cluster cluster. */
    public static final String IN_CLUSTER = "in-cluster";
    private static final Path SA_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private final Optional<Path> explicitKubeconfig;
    private final ClientSettings settings;
    private volatile KubeClusterContext context;

    /**
     * @param explicitKubeconfig {@code instant.kubeconfig}, if configured
     * @param settings           client bounds
     */
    public InstantClusters(Optional<Path> explicitKubeconfig, ClientSettings settings) {
        this.explicitKubeconfig = explicitKubeconfig;
        this.settings = settings;
    }

    @Override
    public Mode mode() {
        return Mode.INSTANT;
    }

    @Override
    public ClusterContext resolve(String clusterName) {
        KubeClusterContext ctx = context();
        if (clusterName != null && !clusterName.isBlank() && !clusterName.equals(ctx.name())) {
            throw new ApiException.ClusterNotFound("This server runs in instant mode on cluster '" + ctx.name()
                    + "'; cluster_name '" + clusterName + "' is not it. Omit cluster_name or give '" + ctx.name() + "'.");
        }
        return ctx;
    }

    private KubeClusterContext context() {
        KubeClusterContext ctx = context;
        if (ctx == null) {
            synchronized (this) {
                ctx = context;
                if (ctx == null) {
                    ctx = build();
                    context = ctx;
                }
            }
        }
        return ctx;
    }

    private KubeClusterContext build() {
        if (explicitKubeconfig.isPresent()) {
            return fromKubeconfig(explicitKubeconfig.get());
        }
        String host = System.getenv("KUBERNETES_SERVICE_HOST");
        if (host != null && Files.isReadable(SA_TOKEN)) {
            return new KubeClusterContext(IN_CLUSTER, settings.build(Config.autoConfigure(null)));
        }
        String env = System.getenv("KUBECONFIG");
        Path path = env != null && !env.isBlank()
                ? Path.of(env.split(java.io.File.pathSeparator)[0])
                : Path.of(System.getProperty("user.home"), ".kube", "config");
        return fromKubeconfig(path);
    }

    private KubeClusterContext fromKubeconfig(Path path) {
        if (!Files.isReadable(path)) {
            throw new ApiException.ClusterUnavailable("Instant mode found no cluster: not running inside Kubernetes and "
                    + "no readable kubeconfig at " + path + ". Set KUBECONFIG or instant.kubeconfig.", null);
        }
        try {
            Config config = Config.fromKubeconfig(null, path.toFile());
            String name = config.getCurrentContext() != null ? config.getCurrentContext().getName() : "kubeconfig";
            return new KubeClusterContext(name, settings.build(config));
        } catch (RuntimeException e) {
            throw new ApiException.ClusterUnavailable("Instant mode cannot use the kubeconfig at " + path
                    + ": it is not a valid kubeconfig with a current context.", e);
        }
    }

    @Override
    public void close() {
        KubeClusterContext ctx = context;
        if (ctx != null) {
            ctx.close();
        }
    }
}
