package io.cloudpilot.platform.plugins;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;

/**
 * Where plugins are looked for: {@code plugins.dirs} when set, else the installation's {@code plugins/}
 * ({@code <cloudpilot.home>/plugins}). Every directory is absolute: a relative one would depend on the directory the
 * server happens to be started from, and load whatever jars lie there.
 */
public final class PluginDirectories {

    private PluginDirectories() {
    }

    /**
     * @param config the server's configuration
     * @return the plugin directories, absolute, in order
     * @throws IllegalArgumentException when a configured directory is relative
     */
    public static List<Path> of(Config config) {
        Optional<String> configured = config.getOptionalValue("plugins.dirs", String.class);
        List<Path> dirs = new ArrayList<>();
        if (configured.isPresent()) {
            for (String d : configured.get().split(",")) {
                if (!d.isBlank()) {
                    dirs.add(absolute(Path.of(d.trim()), "plugins.dirs entry"));
                }
            }
            return dirs;
        }
        config.getOptionalValue("cloudpilot.home", String.class).filter(h -> !h.isBlank())
                .ifPresent(home -> dirs.add(absolute(Path.of(home.trim()), "cloudpilot.home").resolve("plugins")));
        return dirs;
    }

    private static Path absolute(Path dir, String what) {
        if (!dir.isAbsolute()) {
            throw new IllegalArgumentException(what + " '" + dir + "' is a relative path: plugin directories must be "
                    + "absolute, or the jars loaded would depend on the directory the server is started from");
        }
        return dir.normalize();
    }
}
