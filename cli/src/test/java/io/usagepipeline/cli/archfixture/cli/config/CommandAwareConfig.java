package io.usagepipeline.cli.archfixture.cli.config;

import io.usagepipeline.cli.archfixture.cli.command.StartCommand;

/** Breaks the rules on purpose: configuration that knows which command reads it. */
public final class CommandAwareConfig {
    public String readBy() {
        return StartCommand.name();
    }
}
