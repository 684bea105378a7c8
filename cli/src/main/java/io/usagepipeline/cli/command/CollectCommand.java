package io.usagepipeline.cli.command;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.cli.run.RunSettings;
import io.usagepipeline.collector.Collector;
import io.usagepipeline.collector.CollectorMetrics;
import io.usagepipeline.collector.CollectorService;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.collector.config.CollectorSettings;
import io.usagepipeline.collector.config.Source;
import io.usagepipeline.collector.poll.PollSettings;
import io.usagepipeline.collector.poll.Poller;
import io.usagepipeline.events.Topics;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Runner;
import io.usagepipeline.runtime.RunnerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "collect", mixinStandardHelpOptions = true,
        description = {
                "Polls every licensing endpoint of the configured sources (collector.sources) once per slot and "
                        + "publishes each poll to usage.raw.v1: COMPLETE with every page, or FAILED with the reason.",
                "Slots are aligned to collector.pollInterval, so two collectors of the same slot publish the same "
                        + "pollIds and the processor keeps one.",
                "A VSPC source with reports: true also polls its usage per organization and Veeam's monthly license "
                        + "reports (read-only: never their finalization, approval or settings).",
                "With --once it polls the current slot and exits 1 if any poll FAILED."})
public final class CollectCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(CollectCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--once", description = "Poll the current slot once, then exit.")
    boolean once;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--concurrency", paramLabel = "N",
            description = "Polls running at once (collector.concurrency). Default: 32.")
    Integer concurrency;

    @Mixin
    HttpPortOption httpPort;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(httpPort.applyTo(topicPrefix.applyTo(PipelineConfig.Flags.none()))
                .set(CollectorSettings.CONCURRENCY, concurrency, "--concurrency"));
        final CollectorSettings settings = CollectorSettings.bind(config);
        final RunnerSettings run = RunnerSettings.bind(config);
        // a collector without its topic polled every source, then waited a minute per poll to publish it
        KafkaCheck.require(config, config.get(Settings.TOPICS_PREFIX), Topics.RAW);
        final List<Poller> pollers = new ArrayList<>();
        for (final Source source : settings.sources()) {
            pollers.add(new Poller(source, PollSettings.DEFAULTS, Clock.systemUTC()));
        }

        final PrometheusMeterRegistry registry = Runner.registry();
        final RawPublisher publisher = new RawPublisher(config.kafkaProperties(), config.get(Settings.TOPICS_PREFIX));
        final Collector collector = new Collector(pollers, publisher, new CollectorMetrics(registry,
                Clock.systemUTC()), Clock.systemUTC(), settings.concurrency());
        LOG.info("collecting {} sources {} to {}", settings.sources().size(),
                once ? "once" : "every " + settings.pollInterval(), config.bootstrapServers());
        if (once) {
            try (publisher; collector) {
                final Collector.SlotResult result = collector.pollSlot(
                        Collector.slotStart(Clock.systemUTC().instant(), settings.pollInterval()), Duration.ZERO);
                spec.commandLine().getOut().printf("slot %s: %d polls COMPLETE, %d FAILED%n", result.slotStart(),
                        result.complete(), result.failed());
                return result.failed() == 0 ? ExitCodes.OK : ExitCodes.FAILED;
            }
        }
        return Runner.run(List.of(new CollectorService(collector, publisher, RunSettings.probe(config),
                run.bounds(), settings.pollInterval())), registry, run.endpoints(), RunSettings.CLOSE_TIMEOUT);
    }
}
