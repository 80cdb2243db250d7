package io.cloudpilot.platform.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.cloudpilot.k8s.syntax.Names;
import io.cloudpilot.spi.ApiException;
import io.fabric8.kubernetes.api.model.AuthInfo;
import io.fabric8.kubernetes.api.model.Cluster;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.NamedAuthInfo;
import io.fabric8.kubernetes.api.model.NamedAuthInfoBuilder;
import io.fabric8.kubernetes.api.model.NamedCluster;
import io.fabric8.kubernetes.api.model.NamedClusterBuilder;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Registers the contexts of a kubeconfig file in server mode's registry ({@code cloudpilot import-kubeconfig}), each
 * as a kubeconfig registration of that one context (server, TLS data, token or client certificate, all encrypted in
 * the registry as {@code POST /k8s/cluster/add} stores them). Files the kubeconfig names (a CA, a client certificate
 * or key, a token file) are read now, by the operator running the command, and stored inline. A context whose user
 * runs an {@code exec} credential plugin or an {@code auth-provider} is not imported: a registration never runs a
 * command (such kubeconfigs belong in {@code registry.kubeconfig-dir}). Reasons name contexts and fields, never
 * credentials.
 */
public final class KubeconfigImport {

    /** A file a kubeconfig names is read up to this size. */
    private static final int MAX_FILE = 256 * 1024;

    /**
     * What to import and how.
     *
     * @param contexts    the contexts to import; empty: the current context (or all, with {@code allContexts})
     * @param allContexts every context of the file
     * @param name        the cluster name, for a single context; empty: derived from the context's name
     * @param verify      check each cluster's {@code GET /version} before storing it
     * @param replace     replace a cluster already registered under the same name (default: skip it)
     */
    public record Options(List<String> contexts, boolean allContexts, Optional<String> name, boolean verify,
                          boolean replace) {
    }

    private final ClusterRegistry registry;
    private final Options options;

    /**
     * @param registry where the clusters go
     * @param options  what to import and how
     */
    public KubeconfigImport(ClusterRegistry registry, Options options) {
        this.registry = registry;
        this.options = options;
    }

    /**
     * @param file the kubeconfig
     * @return one outcome per context asked for, in the order asked (the file's order with {@code --all-contexts})
     * @throws IllegalArgumentException when the file cannot be read or is not a kubeconfig, or names no context to use
     */
    public List<ImportOutcome> run(Path file) {
        io.fabric8.kubernetes.api.model.Config model = parse(file);
        List<NamedContext> all = model.getContexts() == null ? List.of() : model.getContexts();
        List<String> wanted;
        if (options.allContexts()) {
            wanted = all.stream().map(NamedContext::getName).toList();
            if (wanted.isEmpty()) {
                throw new IllegalArgumentException(file + " has no contexts");
            }
        } else if (!options.contexts().isEmpty()) {
            wanted = options.contexts();
        } else if (model.getCurrentContext() != null && !model.getCurrentContext().isBlank()) {
            wanted = List.of(model.getCurrentContext());
        } else {
            throw new IllegalArgumentException(file + " has no current-context: name contexts with --context NAME, "
                    + "or import every one with --all-contexts");
        }
        if (options.name().isPresent() && wanted.size() != 1) {
            throw new IllegalArgumentException("--name names one cluster, but " + wanted.size() + " contexts are to be "
                    + "imported; leave it out to name each cluster after its context");
        }
        Map<String, String> namesUsed = new HashMap<>();
        List<ImportOutcome> outcomes = new ArrayList<>();
        for (String contextName : wanted) {
            outcomes.add(importContext(file, model, contextName, namesUsed));
        }
        return outcomes;
    }

    private ImportOutcome importContext(Path file, io.fabric8.kubernetes.api.model.Config model, String contextName,
                                        Map<String, String> namesUsed) {
        NamedContext context = Registrations.find(model.getContexts(), NamedContext::getName, contextName);
        if (context == null || context.getContext() == null) {
            return skipped(contextName, "the file has no context of this name (it has: " + names(model) + ")");
        }
        NamedCluster cluster = Registrations.find(model.getClusters(), NamedCluster::getName, context.getContext().getCluster());
        if (cluster == null || cluster.getCluster() == null) {
            return skipped(contextName, "its cluster '" + context.getContext().getCluster() + "' is not in the file");
        }
        NamedAuthInfo user = Registrations.find(model.getUsers(), NamedAuthInfo::getName, context.getContext().getUser());
        if (user == null || user.getUser() == null) {
            return skipped(contextName, "its user '" + context.getContext().getUser() + "' is not in the file: "
                    + "CloudPilot needs its credentials");
        }
        AuthInfo u = user.getUser();
        if (u.getExec() != null || u.getAuthProvider() != null) {
            String how = u.getExec() != null ? "runs an exec credential plugin ('" + u.getExec().getCommand() + "')"
                    : "uses the auth-provider '" + u.getAuthProvider().getName() + "'";
            return skipped(contextName, "its user " + how + ": a registration never runs a command. Put this "
                    + "kubeconfig in registry.kubeconfig-dir on the server, or register a ServiceAccount token "
                    + "(bin/cloudpilot-remote-token; docs/registry.md)");
        }
        String name = options.name().orElseGet(() -> clusterName(contextName));
        if (name.isEmpty()) {
            return skipped(contextName, "no cluster name can be made of the context name: import it alone with --name");
        }
        String previous = namesUsed.putIfAbsent(name, contextName);
        if (previous != null) {
            return skipped(contextName, "its cluster name '" + name + "' is that of context '" + previous + "' in this "
                    + "import: import it alone with --name");
        }
        Path base = file.toAbsolutePath().getParent();
        Cluster c;
        AuthInfo inline;
        try {
            c = inline(cluster.getCluster(), base);
            inline = inline(u, base);
        } catch (Unreadable e) {
            return skipped(contextName, e.getMessage());
        }
        String text = Serialization.asYaml(new ConfigBuilder().withApiVersion("v1").withKind("Config")
                .withClusters(new NamedClusterBuilder(cluster).withCluster(c).build())
                .withUsers(new NamedAuthInfoBuilder(user).withUser(inline).build())
                .withContexts(context).withCurrentContext(context.getName()).build());
        String description = ("imported from " + file.getFileName() + ", context " + contextName);
        try {
            ClusterRegistration registration = Registrations.fromKubeconfigFile(name, text,
                    description.length() > Registrations.MAX_DESCRIPTION
                            ? description.substring(0, Registrations.MAX_DESCRIPTION) : description);
            boolean existed = registry.revision(name).isPresent();
            ClusterView stored = registry.add(registration, options.verify(), options.replace());
            return new ImportOutcome(contextName, true, "as '" + name + "': " + credentials(inline) + ", TLS "
                    + stored.tlsMode() + (options.verify() ? ", reachable (" + stored.serverVersion() + ")"
                    : ", not checked") + (existed ? ", replaced the existing registration" : ""));
        } catch (ApiException.Conflict e) {
            return skipped(contextName, "already registered as '" + name + "' (--replace replaces it)");
        } catch (ApiException e) {
            return skipped(contextName, e.getMessage().replace("Field 'kubeconfig'", "The context")
                    .replace("Field 'name'", "The cluster name '" + name + "'"));
        }
    }

    private static io.fabric8.kubernetes.api.model.Config parse(Path file) {
        String text;
        try {
            if (Files.size(file) > Registrations.MAX_KUBECONFIG) {
                throw new IllegalArgumentException(file + " is larger than " + Registrations.MAX_KUBECONFIG / 1024
                        + " KiB: is it a kubeconfig?");
            }
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        io.fabric8.kubernetes.api.model.Config model;
        try {
            model = KubeConfigUtils.parseConfigFromString(text);
        } catch (RuntimeException e) {
            model = null;
        }
        if (model == null || (model.getContexts() == null && model.getClusters() == null)) {
            // never quote the parser: its message repeats parts of the text
            throw new IllegalArgumentException(file + " is not a kubeconfig (YAML with clusters, users and contexts)");
        }
        return model;
    }

    /** A cluster name from a context name: {@code gke_proj_europe-west1_prod} becomes {@code gke-proj-europe-west1-prod}. */
    static String clusterName(String contextName) {
        String n = contextName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
        if (n.length() > Names.MAX_LABEL) {
            n = n.substring(0, Names.MAX_LABEL).replaceAll("-+$", "");
        }
        return n;
    }

    private static Cluster inline(Cluster c, Path base) {
        if (c.getCertificateAuthority() == null) {
            return c;
        }
        return new io.fabric8.kubernetes.api.model.ClusterBuilder(c).withCertificateAuthority(null)
                .withCertificateAuthorityData(base64(read(base, c.getCertificateAuthority(), "certificate-authority")))
                .build();
    }

    private static AuthInfo inline(AuthInfo u, Path base) {
        var b = new io.fabric8.kubernetes.api.model.AuthInfoBuilder(u);
        if (u.getClientCertificate() != null) {
            b.withClientCertificate(null).withClientCertificateData(base64(read(base, u.getClientCertificate(),
                    "client-certificate")));
        }
        if (u.getClientKey() != null) {
            b.withClientKey(null).withClientKeyData(base64(read(base, u.getClientKey(), "client-key")));
        }
        if (u.getTokenFile() != null) {
            b.withTokenFile(null).withToken(new String(read(base, u.getTokenFile(), "tokenFile"),
                    StandardCharsets.US_ASCII).strip());
        }
        return b.build();
    }

    private static byte[] read(Path base, String path, String field) {
        Path p = base.resolve(path);
        try {
            if (!Files.isRegularFile(p) || Files.size(p) > MAX_FILE) {
                throw new Unreadable("its " + field + " file " + p + " is missing or larger than " + MAX_FILE / 1024
                        + " KiB");
            }
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new Unreadable("its " + field + " file " + p + " cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    private static String credentials(AuthInfo u) {
        if (u.getClientCertificateData() != null && u.getClientKeyData() != null) {
            return "client certificate";
        }
        if (u.getToken() != null && !u.getToken().isBlank()) {
            return "token";
        }
        return u.getUsername() != null ? "basic auth" : "no credentials";
    }

    private static String names(io.fabric8.kubernetes.api.model.Config model) {
        return model.getContexts() == null ? "" : String.join(", ", model.getContexts().stream()
                .map(NamedContext::getName).toList());
    }

    private static ImportOutcome skipped(String context, String why) {
        return new ImportOutcome(context, false, why);
    }

    /** A file the kubeconfig names cannot be read: the context is skipped with this sentence. */
    private static final class Unreadable extends RuntimeException {
        Unreadable(String message) {
            super(message, null, false, false);
        }
    }
}
