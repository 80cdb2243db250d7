package io.cloudpilot.platform.cli;

import io.cloudpilot.platform.Main;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} and {@code version}: {@code cloudpilot <version>}. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"cloudpilot " + version()};
    }

    /** @return the build's version, {@code dev} outside a built jar */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
