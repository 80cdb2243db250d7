package io.cloudpilot.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars at test time from Java source text: compiled against the test's class path, with a
 * manifest and a service file as the plugin parent pom would write them. The jars are not on the class path.
 */
public final class PluginJars {

    private PluginJars() {
    }

    /**
     * @param jar       where to write the jar
     * @param sources   class name → source text
     * @param manifest  manifest attributes (Plugin-Id, Plugin-Spi-Version), may be empty
     * @param service   the Plugin implementation to name in META-INF/services, or null for none
     * @return the jar
     * @throws IOException when the jar cannot be written
     */
    public static Path build(Path jar, Map<String, String> sources, Map<String, String> manifest, String service)
            throws IOException {
        return build(jar, sources, manifest, service, List.of());
    }

    /**
     * Like {@link #build(Path, Map, Map, String)}, compiled against further jars (libraries the plugin bundles).
     *
     * @param jar       where to write the jar
     * @param sources   class name → source text
     * @param manifest  manifest attributes, may be empty
     * @param service   the Plugin implementation to name in META-INF/services, or null for none
     * @param libraries jars to compile against, besides the test's class path
     * @return the jar
     * @throws IOException when the jar cannot be written
     */
    public static Path build(Path jar, Map<String, String> sources, Map<String, String> manifest, String service,
                             List<Path> libraries) throws IOException {
        Path work = Files.createTempDirectory("plugin-src-");
        Path src = work.resolve("src");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        // the libraries first: a plugin's own copy of a class wins over the test class path's, as at run time
        StringBuilder classPath = new StringBuilder();
        libraries.forEach(l -> classPath.append(l).append(java.io.File.pathSeparator));
        classPath.append(System.getProperty("java.class.path"));
        List<String> args = new ArrayList<>(List.of("--release", "21", "-proc:none", "-d", classes.toString(),
                "-cp", classPath.toString()));
        for (Map.Entry<String, String> e : sources.entrySet()) {
            Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue());
            args.add(file.toString());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException("test plugin did not compile: " + sources.keySet());
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
            if (service != null) {
                out.putNextEntry(new JarEntry("META-INF/services/io.cloudpilot.spi.Plugin"));
                OutputStream o = out;
                o.write((service + "\n").getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * A fresh plugin directory holding the hello plugin (id {@code hello}) as {@code hello.jar}.
     *
     * @return the directory
     * @throws IOException when it cannot be written
     */
    public static Path helloPluginDirectory() throws IOException {
        Path dir = Files.createTempDirectory("plugins-");
        build(dir.resolve("hello.jar"), helloPlugin("ext.hello", "hello", ""),
                Map.of("Plugin-Id", "hello", "Plugin-Spi-Version", "1"), "ext.hello.HelloPlugin");
        return dir;
    }

    /**
     * Sources of a small plugin with endpoints under /{id}: {@code /greeting} (uses injected platform services),
     * {@code /nodes} (counts nodes through the shared cache), {@code /slow?ms=} (sleeps) and {@code /error?type=}
     * (throws each error type of the contract).
     *
     * @param pkg       its Java package
     * @param id        its plugin id
     * @param startBody the body of its start method
     * @return class name → source
     */
    public static Map<String, String> helloPlugin(String pkg, String id, String startBody) {
        return Map.of(
                pkg + ".HelloPlugin", """
                        package %1$s;
                        import java.util.Set;
                        import io.cloudpilot.spi.*;
                        public class HelloPlugin implements Plugin {
                            public String id() { return "%2$s"; }
                            public String version() { return "1.2.3"; }
                            public Set<Class<?>> resources() { return Set.of(HelloResource.class); }
                            public void start(PluginContext context) throws Exception { %3$s }
                        }
                        """.formatted(pkg, id, startBody),
                pkg + ".HelloResource", """
                        package %1$s;
                        import jakarta.inject.Inject;
                        import jakarta.ws.rs.*;
                        import io.cloudpilot.spi.*;
                        /** Says hello from a plugin jar. */
                        @Path("/%2$s")
                        @Produces("application/json")
                        public class HelloResource {
                            @Inject Clusters clusters;
                            @Inject PluginContext context;
                            public record Greeting(String greetingText, String pluginId, String mode) {}
                            /** A greeting. */
                            @GET @Path("/greeting")
                            public Greeting greeting() {
                                return new Greeting("hello", context.pluginId(), clusters.mode().name());
                            }
                            @Inject ResourceCache cache;
                            public record NodeCount(String clusterName, int nodes) {}
                            /** Counts the cluster's nodes through the shared cache. */
                            @GET @Path("/nodes")
                            public NodeCount nodes(@QueryParam("cluster_name") String clusterName,
                                                   @QueryParam("force_refresh") boolean forceRefresh) {
                                ClusterContext cluster = clusters.resolve(clusterName);
                                java.util.List<?> nodes = cache.get(CacheKey.list(cluster.name(), CacheKind.NODES, ""), forceRefresh,
                                        () -> cluster.client().nodes().list().getItems());
                                return new NodeCount(cluster.name(), nodes.size());
                            }
                            /** Sleeps, to test the platform's request deadline (cloudpilot.request-timeout). */
                            @GET @Path("/slow")
                            public Greeting slow(@QueryParam("ms") long ms) throws InterruptedException {
                                Thread.sleep(ms);
                                return new Greeting("slept", context.pluginId(), clusters.mode().name());
                            }
                            /** Throws the error named by type. */
                            @GET @Path("/error")
                            public Greeting error(@QueryParam("type") String type) {
                                throw switch (type) {
                                    case "ValidationError" -> new ApiException.ValidationError("bad input");
                                    case "Unauthenticated" -> new ApiException.Unauthenticated("who are you");
                                    case "Forbidden" -> new ApiException.Forbidden("not you", null);
                                    case "ClusterNotFound" -> new ApiException.ClusterNotFound("no such cluster");
                                    case "NotFound" -> new ApiException.NotFound("no such thing");
                                    case "IstioNotInstalled" -> new ApiException.IstioNotInstalled("no istio");
                                    case "Conflict" -> new ApiException.Conflict("taken");
                                    case "InternalError" -> new ApiException.InternalError("oops", null);
                                    case "ClusterUnavailable" -> new ApiException.ClusterUnavailable("down", null);
                                    case "ClusterTimeout" -> new ApiException.ClusterTimeout("slow", null);
                                    default -> new IllegalStateException("secret-detail-42 must not leak");
                                };
                            }
                        }
                        """.formatted(pkg, id));
    }
}
