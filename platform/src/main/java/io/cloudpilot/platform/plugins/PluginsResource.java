package io.cloudpilot.platform.plugins;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What plugins this server found and what they serve.
 */
@Path("/plugins")
@ApplicationScoped
@Tag(name = "Platform", description = "The server itself: plugins and clusters")
@Produces(MediaType.APPLICATION_JSON)
public class PluginsResource {

    private final InstalledPlugins plugins;

    /**
     * @param plugins this server's plugins
     */
    @Inject
    public PluginsResource(InstalledPlugins plugins) {
        this.plugins = plugins;
    }

    /** Required by CDI for the client proxy. */
    protected PluginsResource() {
        this.plugins = null;
    }

    /**
     * Every plugin found: built in, in the plugin directories, loaded or not.
     *
     * @return the plugins
     */
    @GET
    @Operation(summary = "List plugins",
            description = "Every plugin found on the class path and in the plugin directories, with its source jar, "
                    + "status (loaded, failed, disabled), the reason when it is not loaded, and the endpoints it mounts.")
    public PluginList list() {
        List<PluginView> views = plugins.all().stream()
                .map(p -> new PluginView(p.id(), p.version(), p.source(), p.status().name().toLowerCase(java.util.Locale.ROOT),
                        p.reason(), p.paths()))
                .toList();
        long loaded = views.stream().filter(v -> v.status().equals("loaded")).count();
        return new PluginList(views, views.size(), (int) loaded);
    }

    /**
     * The plugins.
     *
     * @param plugins every plugin found
     * @param count   how many were found
     * @param loaded  how many are loaded
     */
    public record PluginList(List<PluginView> plugins, int count, int loaded) {
    }

    /**
     * One plugin.
     *
     * @param id      its id
     * @param version its version
     * @param source  the jar or directory it came from
     * @param status  loaded, failed or disabled
     * @param reason  why it is not loaded, or null
     * @param paths   the endpoints it mounts
     */
    public record PluginView(String id, String version, String source, String status, String reason,
                             List<String> paths) {
    }
}
