package io.cloudpilot.platform.plugins;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.microprofile.config.Config;

/**
 * {@code cloudpilot plugins}: what the server would load with this configuration, and why not, without starting
 * it. The same {@link PluginLoader} checks run (manifest, SPI version, service file, id, endpoints, duplicates,
 * {@code plugins.<id>.enabled}); a plugin's {@code start} is not called, so a plugin that would fail only when it
 * starts is listed as loaded here and as failed by {@code GET /plugins}.
 */
public final class PluginReport {

    private PluginReport() {
    }

    /**
     * Prints the report.
     *
     * @param config the configuration the server would run with
     * @param out    where to print
     * @return 0 when no plugin would be refused, 1 when one would
     */
    public static int print(Config config, PrintStream out) {
        // the report says what the loader would log; its warnings would only repeat it
        java.util.logging.Logger loaderLog = java.util.logging.Logger.getLogger(PluginLoader.class.getName());
        loaderLog.setLevel(java.util.logging.Level.SEVERE);
        List<Path> dirs;
        try {
            dirs = PluginDirectories.of(config);
        } catch (IllegalArgumentException e) {
            out.println("cloudpilot: " + e.getMessage());
            return 1;
        }
        PluginLoader loader = new PluginLoader(PluginReport.class.getClassLoader(), dirs,
                id -> config.getOptionalValue("plugins." + id + ".enabled", Boolean.class).orElse(true));
        List<LoadedPlugin> plugins = loader.discover();
        out.println("Plugin directories (plugins.dirs):");
        for (Path dir : dirs) {
            out.println("  " + dir + (Files.isDirectory(dir) ? "" : "  (does not exist)"));
        }
        out.println();
        int width = plugins.stream().mapToInt(p -> p.id().length()).max().orElse(2);
        for (LoadedPlugin p : plugins) {
            String status = switch (p.status()) {
                case LOADED -> "loads";
                case DISABLED -> "disabled";
                case FAILED -> "REFUSED";
            };
            out.printf("%-9s %-" + width + "s  %s  from %s%n", status, p.id(), p.version(), p.source());
            if (p.status() == LoadedPlugin.Status.LOADED) {
                p.paths().forEach(path -> out.println("          " + path));
            } else {
                out.println("          " + p.reason());
            }
        }
        long loads = plugins.stream().filter(p -> p.status() == LoadedPlugin.Status.LOADED).count();
        long disabled = plugins.stream().filter(p -> p.status() == LoadedPlugin.Status.DISABLED).count();
        long refused = plugins.stream().filter(p -> p.status() == LoadedPlugin.Status.FAILED).count();
        out.println();
        out.println(loads + " would load, " + disabled + " disabled, " + refused + " refused."
                + (refused > 0 ? " The server would start without the refused ones." : ""));
        loader.classLoaders().forEach(l -> {
            try {
                l.close();
            } catch (java.io.IOException e) {
                // the process ends right after the report
            }
        });
        return refused > 0 ? 1 : 0;
    }
}
