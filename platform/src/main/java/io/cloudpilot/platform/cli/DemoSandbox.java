package io.cloudpilot.platform.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.cloudpilot.platform.plugins.PluginDirectories;
import io.cloudpilot.platform.registry.RegistryConfig;
import io.cloudpilot.platform.registry.ServerClusters;

import org.eclipse.microprofile.config.Config;

/**
 * The one contract between {@code cloudpilot demo} and the demo plugin (decision 0050): the command adds
 * {@code <cloudpilot.home>/demo/plugins} to the plugin directories and names, in the plugin's own key
 * {@code plugins.demo.kubeconfig}, the file the plugin writes its sandbox's kubeconfig to as it starts; that file is
 * what the server serves: registered as cluster {@code sandbox} once the plugins started
 * ({@code registry.register-at-start}) in server mode, {@code instant.kubeconfig} in instant mode. The platform
 * itself knows neither the plugin nor its keys.
 */
final class DemoSandbox {

    /** The cluster name the demo's sandbox is registered under. */
    static final String CLUSTER = "sandbox";
    /** The demo plugin's own key for the kubeconfig it writes. */
    static final String KUBECONFIG_KEY = "plugins.demo.kubeconfig";

    private final Path kubeconfig;

    private DemoSandbox(Path kubeconfig) {
        this.kubeconfig = kubeconfig;
    }

    /**
     * Adds the demo's settings to the command-line flags.
     *
     * @param config the configuration the flags came from (data directory, home, plugin directories)
     * @param flags  the flags, changed in place
     * @return the demo, which says (missing()) whether the plugin wrote the kubeconfig
     * @throws IllegalArgumentException when there is no installation to find the demo plugin in, or a plugin
     *                                  directory is relative
     */
    static DemoSandbox configure(Config config, Map<String, String> flags) {
        String home = config.getOptionalValue("cloudpilot.home", String.class).filter(h -> !h.isBlank())
                .orElseThrow(() -> new IllegalArgumentException("the demo plugin is looked for in "
                        + "<cloudpilot.home>/demo/plugins, and cloudpilot.home is not set (bin/cloudpilot sets it)"));
        List<Path> dirs = new ArrayList<>(PluginDirectories.of(config));
        dirs.add(Path.of(home.trim()).toAbsolutePath().resolve("demo").resolve("plugins").normalize());
        Path dataDir = Path.of(config.getOptionalValue("cloudpilot.data-dir", String.class)
                .orElse(RegistryConfig.DEFAULT_DATA_DIR));
        Path kubeconfig = dataDir.resolve("demo").resolve("kubeconfig.yaml").toAbsolutePath().normalize();
        flags.put("plugins.dirs", dirs.stream().map(Path::toString).collect(Collectors.joining(",")));
        flags.putIfAbsent("mode", "server");
        flags.put(KUBECONFIG_KEY, kubeconfig.toString());
        flags.putIfAbsent("instant.kubeconfig", kubeconfig.toString());
        String registered = config.getOptionalValue(ServerClusters.REGISTER_AT_START, String.class)
                .filter(s -> !s.isBlank()).map(s -> s + ",").orElse("");
        flags.put(ServerClusters.REGISTER_AT_START, registered + CLUSTER + "=" + kubeconfig);
        try {
            // a file left by an earlier run would hide a demo plugin that did not start
            Files.deleteIfExists(kubeconfig);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot replace " + kubeconfig + ": " + e.getMessage(), e);
        }
        return new DemoSandbox(kubeconfig);
    }

    /** @return why the demo has no sandbox when the plugin wrote no kubeconfig, else empty */
    String missing() {
        return Files.isRegularFile(kubeconfig) ? "" : "the demo plugin did not start the sandbox cluster (no "
                + kubeconfig + "): is demo/plugins/demo/ installed, and plugins.demo.enabled not false? "
                + "`cloudpilot plugins -D plugins.dirs=...` shows what would load";
    }
}
