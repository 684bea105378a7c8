package io.usagepipeline.cli.command;

import picocli.CommandLine.Option;

/** {@code --verbose} of the long interactive commands, read by {@link LogFile} before the command runs. */
public final class VerboseOption {

    @Option(names = "--verbose",
            description = "Show the detailed log here instead of writing it to .usage-pipeline/logs/.")
    boolean verbose;
}
