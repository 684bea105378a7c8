package io.usagepipeline.cli.command;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.cli.run.RunSettings;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.ProcessorService;
import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.processor.UsageProcessor;
import io.usagepipeline.runtime.Runner;
import io.usagepipeline.runtime.RunnerSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "process", mixinStandardHelpOptions = true,
        description = {
                "Runs the Kafka Streams processor (exactly-once): raw polls in, observations, rolling totals and "
                        + "billing records out, until Ctrl-C.",
                "Several instances with the same application id share the work, one per raw-topic partition at most.",
                "Exits 1 if it stopped on an error, or when Kafka has not answered for processor.kafkaTimeout (it "
                        + "resumes from its last commit when started again)."})
public final class ProcessCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Local state stores (processor.stateDir). Default: .usage-pipeline/processor-state.")
    Path stateDir;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id (processor.applicationId). Default: usage-pipeline-processor.")
    String applicationId;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "Stable id of this instance (processor.instanceId), one per instance: after a crash it "
                    + "takes its partitions back at once instead of waiting for the group's session timeout.")
    String instanceId;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--zone", paramLabel = "ZONE", description = "Billing zone (processor.zone). Default: UTC. A "
            + "zone changes at the start of a month, given with that month in processor.tenantZones (README, "
            + "\"A billing zone that changes\"); changed under open periods, the processor stops, naming the entry "
            + "to give.")
    String zone;

    @Option(names = "--profile", paramLabel = "PROFILE",
            description = "LIVE (the default): every poll's observations and OPEN totals within a second. REPLAY: "
                    + "billing records only, committed every 10 s, one stream thread per core, for catching up on a "
                    + "long raw history several times faster (processor.profile; processor.streamThreads sets "
                    + "the threads).")
    String profile;

    @Option(names = "--new-state", description = "Start although this application id has no state and "
            + "billing.records.v1 already holds records (refused otherwise: see the README's 'Operating the "
            + "processor'), only once 'replay --compare' has found the records it would publish identical.")
    boolean newState;

    @Mixin
    HttpPortOption httpPort;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(httpPort.applyTo(topicPrefix.applyTo(PipelineConfig.Flags.none()))
                .set(ProcessorSettings.STATE_DIR, stateDir, "--state-dir")
                .set(ProcessorSettings.APPLICATION_ID, applicationId, "--application-id")
                .set(ProcessorSettings.INSTANCE_ID, instanceId, "--instance-id")
                .set(ProcessorSettings.ZONE, zone, "--zone")
                .set(ProcessorSettings.PROFILE, profile, "--profile"));
        final ProcessorSettings settings = ProcessorSettings.bind(config, config.get(Settings.TOPICS_PREFIX));
        final RunnerSettings run = RunnerSettings.bind(config);
        config.directory(ProcessorSettings.STATE_DIR);
        final ProcessorConfig billing = settings.billing();
        final boolean answered = KafkaCheck.requireTopics(config, billing.topicPrefix(), Topics.RAW,
                Topics.OBSERVATIONS, Topics.TOTALS, Topics.BILLING_RECORDS, Topics.DLQ, Topics.ALERTS);
        if (answered) {
            KafkaCheck.requireOwnHistory(config, UsageProcessor.outputHistory(settings.applicationId(),
                    billing.topicPrefix()), ProcessorSettings.APPLICATION_ID, newState);
        }
        final PrometheusMeterRegistry registry = Runner.registry();

        final Properties streams = settings.streamsConfig(config.kafkaProperties());
        final ProcessorMetrics metrics = new ProcessorMetrics(registry, Clock.systemUTC());
        final Supplier<UsageProcessor> processors = () -> new UsageProcessor(billing, metrics, streams,
                billing.topicPrefix(), settings.profile());
        LOG.info("processing {} on {} as '{}' (maxGap {}, grace {}, horizon {}, zone {}, profile {}, stream "
                + "threads {})", Topics.RAW.name(billing.topicPrefix()), config.bootstrapServers(),
                settings.applicationId(), billing.maxGap(), billing.grace(), inDays(billing.horizon()),
                billing.scheduleOf(ProcessorConfig.EVERY_OTHER_TENANT).describe(),
                settings.profile(), streams.get(StreamsConfig.NUM_STREAM_THREADS_CONFIG));
        return Runner.run(List.of(new ProcessorService(processors, RunSettings.probe(config), run.bounds(),
                settings.kafkaTimeout(), registry, Clock.systemUTC())), registry, run.endpoints(),
                RunSettings.CLOSE_TIMEOUT);
    }

    /** Whole days as a person writes the setting ({@code P35D}), not as Duration prints them ({@code PT840H}). */
    static String inDays(final Duration duration) {
        return duration.toSeconds() % Duration.ofDays(1).toSeconds() == 0 ? "P" + duration.toDays() + "D"
                : duration.toString();
    }
}
