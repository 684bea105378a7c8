package io.usagepipeline.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "raw", mixinStandardHelpOptions = true,
        description = "Moves raw poll history (usage.raw.v1) to and from JSON-lines files, timestamps and keys kept: "
                + "for archiving, and for replaying into a new cluster.",
        subcommands = {RawExportCommand.class, RawImportCommand.class})
public final class RawCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
