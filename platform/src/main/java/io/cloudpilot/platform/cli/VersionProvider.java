package io.cloudpilot.platform.cli;

import io.cloudpilot.platform.CloudPilotServer;

import picocli.CommandLine.IVersionProvider;

/** {@code --version} and {@code version}: {@code cloudpilot <version>}. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"cloudpilot " + version()};
    }

    /** @return the build's version, {@code dev} outside a built jar */
    static String version() {
        return CloudPilotServer.version();
    }
}
