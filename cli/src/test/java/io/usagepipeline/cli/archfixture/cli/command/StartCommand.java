package io.usagepipeline.cli.archfixture.cli.command;

/** A command: it parses flags and may use what the config and run packages offer. */
public final class StartCommand {
    public static String name() {
        return "start";
    }
}
