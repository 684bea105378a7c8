package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import picocli.CommandLine.Option;

/** {@code --prefix}, shared by every command that names the contract's topics. */
public final class TopicPrefixOption {

    @Option(names = "--prefix", paramLabel = "PREFIX",
            description = "Topic-name prefix (topics.prefix), e.g. 'prod.'. Default: none.")
    String prefix;

    PipelineConfig.Flags applyTo(final PipelineConfig.Flags flags) {
        return flags.set(Settings.TOPICS_PREFIX, prefix, "--prefix");
    }
}
