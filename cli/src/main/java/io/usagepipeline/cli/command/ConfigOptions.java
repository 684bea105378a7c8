package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.PipelineConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that talks to Kafka shares. */
public final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file (see README). Environment variables and flags override it.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers. Default: kafka.bootstrap.servers from the config, "
                    + "else KAFKA_BOOTSTRAP_SERVERS, else " + PipelineConfig.DEFAULT_BOOTSTRAP_SERVERS + ".")
    String bootstrapServers;

    /** Loads the layered configuration with this command's flags on top. */
    PipelineConfig load(final PipelineConfig.Flags flags) {
        flags.kafka("bootstrap.servers", bootstrapServers, "--bootstrap-servers");
        return PipelineConfig.load(configFile, System.getenv(), flags);
    }
}
