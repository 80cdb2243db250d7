package io.cloudpilot.spi;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a cache entry holds, and so the type of its value (see {@link CacheKey}): the plural resource name in the core
 * and {@code apps} groups ({@code pods}, {@code deployments}), {@code group/version/plural} in any other group
 * ({@code networking.istio.io/v1/virtualservices}), a subresource after the resource ({@code pods/log}), or the name of
 * a read that is no resource list ({@code discovery}, {@code version}, {@code count/secrets}).
 *
 * <p>The constants are the kinds the built-in plugins read: a plugin that reads the same data with the same kind shares
 * their entries (and their watches, in {@code cache.mode=watch}).
 *
 * <p>Lists of {@link #PODS}, {@link #EVENTS}, {@link #REPLICASETS}, {@link #ENDPOINTS}, {@link #DEPLOYMENTS},
 * {@link #SERVICES} and {@link #NODES} are read by the platform and kept compact: only the fields the built-in views
 * read are set (docs/performance.md, "Compact lists"); an object of those kinds ({@link CacheKey#object}) is whole.
 *
 * @param name the kind as it appears in metrics, logs and {@code cache.ttl.<kind>}
 */
public record CacheKind(String name) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?(/[a-z0-9]([-a-z0-9.]*[a-z0-9])?)*");

    /** {@code List<Namespace>}, all namespaces. */
    public static final CacheKind NAMESPACES = new CacheKind("namespaces");
    /** {@code List<Node>}, or one {@code Node}. */
    public static final CacheKind NODES = new CacheKind("nodes");
    /** {@code List<Pod>}, or one {@code Pod}. */
    public static final CacheKind PODS = new CacheKind("pods");
    /** A container's log as one {@code String}: name {@code <pod>/<container>}, its options as the field selector. */
    public static final CacheKind POD_LOGS = new CacheKind("pods/log");
    /** {@code List<Service>}, or one {@code Service}. */
    public static final CacheKind SERVICES = new CacheKind("services");
    /** {@code List<Endpoints>}. */
    public static final CacheKind ENDPOINTS = new CacheKind("endpoints");
    /** {@code List<Event>}. */
    public static final CacheKind EVENTS = new CacheKind("events");
    /** {@code List<Secret>}. */
    public static final CacheKind SECRETS = new CacheKind("secrets");
    /** {@code List<ConfigMap>}. */
    public static final CacheKind CONFIGMAPS = new CacheKind("configmaps");
    /** {@code List<Deployment>}, or one {@code Deployment}. */
    public static final CacheKind DEPLOYMENTS = new CacheKind("deployments");
    /** {@code List<ReplicaSet>}. */
    public static final CacheKind REPLICASETS = new CacheKind("replicasets");
    /** The API server's {@code VersionInfo} (key name {@code ""}). */
    public static final CacheKind VERSION = new CacheKind("version");
    /** The versions an API group is served in, preferred first, as {@code List<String>} (key name: the group). */
    public static final CacheKind DISCOVERY = new CacheKind("discovery");

    /**
     * Checks the name: lower-case words of letters, digits, dots and dashes, separated by slashes.
     */
    public CacheKind {
        Objects.requireNonNull(name, "name is null");
        if (name.length() > 253 || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a cache kind: '" + name + "'");
        }
    }

    /**
     * @param name a kind, e.g. {@code count/secrets}
     * @return the kind
     */
    public static CacheKind of(String name) {
        return new CacheKind(name);
    }

    /**
     * A resource of a group other than core and {@code apps}.
     *
     * @param group   the API group, e.g. {@code networking.istio.io}
     * @param version its version, e.g. {@code v1}
     * @param plural  the resource's plural, e.g. {@code virtualservices}
     * @return {@code group/version/plural}
     */
    public static CacheKind resource(String group, String version, String plural) {
        return new CacheKind(group + "/" + version + "/" + plural);
    }

    /**
     * @param subresource a subresource, e.g. {@code log}
     * @return this kind's subresource, e.g. {@code pods/log}
     */
    public CacheKind subresource(String subresource) {
        return new CacheKind(name + "/" + subresource);
    }

    /** @return the name */
    @Override
    public String toString() {
        return name;
    }
}
