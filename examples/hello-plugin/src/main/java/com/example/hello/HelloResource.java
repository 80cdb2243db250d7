package com.example.hello;

import io.cloudpilot.spi.ApiException;
import io.cloudpilot.spi.ClusterContext;
import io.cloudpilot.spi.Clusters;
import io.cloudpilot.spi.KubernetesPermission;
import io.cloudpilot.spi.PluginContext;
import io.cloudpilot.spi.ResourceCache;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The hello plugin's endpoints. The platform wraps every returned record in {@code {code, message, data}} and
 * turns every {@link ApiException} into the same envelope with its status.
 */
@Path("/hello")
@Produces("application/json")
@Tag(name = "hello", description = "The example plugin")
public class HelloResource {

    private static final int MAX_NAME = 64;

    @Inject
    Clusters clusters;
    @Inject
    ResourceCache cache;
    @Inject
    PluginContext context;

    /**
     * A greeting.
     *
     * @param greetingText what the plugin says
     * @param pluginId     the plugin that said it
     */
    public record Greeting(String greetingText, String pluginId) {
    }

    /**
     * Says hello.
     *
     * @param name who to greet (default: world), at most 64 characters
     * @return the greeting
     */
    @GET
    @Path("/greeting")
    @Operation(summary = "Says hello", description = "The example plugin's simplest endpoint.")
    public Greeting greeting(@QueryParam("name") String name) {
        String who = name == null || name.isBlank() ? "world" : name.strip();
        if (who.length() > MAX_NAME) {
            throw new ApiException.ValidationError("Parameter 'name' is longer than " + MAX_NAME + " characters.");
        }
        return new Greeting("hello, " + who, context.pluginId());
    }

    /**
     * Lists which namespaces of a cluster have an owner ({@code plugins.hello.owner-label}, default {@code team}).
     *
     * @param clusterName  the cluster (required in server mode)
     * @param forceRefresh read the cluster instead of the cache
     * @return the namespaces with and without an owner
     */
    @GET
    @Path("/namespaces")
    @KubernetesPermission(verb = "list", resource = "namespaces", namespaceParameter = "")
    @Operation(summary = "Namespace owners", description = "Which namespaces carry the owner label, and which not.")
    public NamespaceOwners.Report namespaces(@QueryParam("cluster_name") String clusterName,
                                             @QueryParam("force_refresh") boolean forceRefresh) {
        ClusterContext cluster = clusters.resolve(clusterName);
        return NamespaceOwners.of(context).read(cluster, cache, forceRefresh);
    }
}
