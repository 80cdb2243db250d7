package io.cloudpilot.platform.cli;

import java.io.PrintWriter;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every command has: the common options (its own winning over those given before it) and its streams. */
abstract class Subcommand {

    @ParentCommand
    CloudPilotCommand parent;

    @Mixin
    CommonOptions common;

    @Spec
    CommandSpec spec;

    /** @return the configuration inputs the options select */
    CommonOptions.Selected selected() {
        return common.select(parent == null ? null : parent.common, spec);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
