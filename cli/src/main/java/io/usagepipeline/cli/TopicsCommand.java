package io.usagepipeline.cli;

import picocli.CommandLine.Command;

@Command(name = "topics", mixinStandardHelpOptions = true,
        description = "Manages the topics of the usage-pipeline contract.",
        subcommands = TopicsCreateCommand.class)
public final class TopicsCommand implements Runnable {

    @picocli.CommandLine.Spec
    private picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
