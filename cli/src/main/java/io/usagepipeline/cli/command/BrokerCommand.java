package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.BrokerService;
import io.usagepipeline.cli.run.RunSettings;
import io.usagepipeline.embedded.BrokerStartException;
import io.usagepipeline.embedded.EmbeddedKafkaBroker;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Runner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "broker", mixinStandardHelpOptions = true,
        description = {
                "Runs a single-node Kafka (KRaft broker and controller) in this process until Ctrl-C.",
                "For development and the demo: every replication factor is 1, so transactions and exactly-once "
                        + "processing work. Topics and records survive a restart on the same --data-dir."})
public final class BrokerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML configuration file (broker.* keys).")
    Path configFile;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Client port on localhost (broker.port). Default: 9092.")
    Integer port;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where topics and records are kept (broker.dataDir). Default: .usage-pipeline/broker.")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = PipelineConfig.load(configFile, System.getenv(), PipelineConfig.Flags.none()
                .set(Settings.BROKER_PORT, port, "--port")
                .set(Settings.BROKER_DATA_DIR, dataDir, "--data-dir"));

        final EmbeddedKafkaBroker broker;
        try {
            broker = EmbeddedKafkaBroker.builder()
                    .port(config.get(Settings.BROKER_PORT))
                    .dataDir(config.get(Settings.BROKER_DATA_DIR).toAbsolutePath())
                    .build()
                    .start();
        } catch (final BrokerStartException e) {
            spec.commandLine().getErr().println("broker: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        LOG.info("Kafka is ready: bootstrap servers {} (data in {}); press Ctrl-C to stop",
                broker.bootstrapServers(), broker.dataDir());
        return Runner.run(List.of(new BrokerService(broker)), Runner.registry(), Runner.Endpoints.NONE,
                RunSettings.CLOSE_TIMEOUT);
    }
}
