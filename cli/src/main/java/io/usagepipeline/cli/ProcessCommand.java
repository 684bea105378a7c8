package io.usagepipeline.cli;

import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.ProcessorSettings;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.UsageProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
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
                "Exits 1 if it stopped on an error (it resumes from its last commit when started again)."})
public final class ProcessCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessCommand.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

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

    @Option(names = "--zone", paramLabel = "ZONE", description = "Billing zone (processor.zone). Default: UTC.")
    String zone;

    @Mixin
    HttpPortOption httpPort;

    @Override
    public Integer call() throws InterruptedException {
        final PipelineConfig config = options.load(httpPort.applyTo(topicPrefix.applyTo(PipelineConfig.Flags.none()))
                .set(Settings.PROCESSOR_STATE_DIR, stateDir, "--state-dir")
                .set(Settings.PROCESSOR_APPLICATION_ID, applicationId, "--application-id")
                .set(Settings.PROCESSOR_INSTANCE_ID, instanceId, "--instance-id")
                .set(Settings.PROCESSOR_ZONE, zone, "--zone"));
        final ProcessorConfig processorConfig = ProcessorSettings.from(config);
        final PrometheusMeterRegistry registry = HttpEndpoints.registry();

        final Properties streamsConfig = UsageProcessor.streamsConfig(config.get(Settings.PROCESSOR_APPLICATION_ID),
                config.kafkaProperties(), config.get(Settings.PROCESSOR_STATE_DIR));
        if (!config.get(Settings.PROCESSOR_INSTANCE_ID).isEmpty()) {
            streamsConfig.put(StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
                    config.get(Settings.PROCESSOR_INSTANCE_ID));
        }
        final UsageProcessor processor = new UsageProcessor(processorConfig,
                new ProcessorMetrics(registry, Clock.systemUTC()), streamsConfig);
        final KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(processor.streams());
        streamsMetrics.bindTo(registry);
        final Optional<HttpEndpoints> http = HttpEndpoints.startIfEnabled(config, registry,
                () -> new HttpEndpoints.Health(processor.isHealthy(), processor.state().name()));

        final CountDownLatch stopped = new CountDownLatch(1);
        processor.streams().setStateListener((now, before) -> {
            LOG.info("processor state {} -> {}", before, now);
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                stopped.countDown();
            }
        });
        final Thread hook = new Thread(() -> {
            LOG.info("stopping the processor (at most {})", CLOSE_TIMEOUT);
            // logged here, not by the state listener: that runs on Streams' own close thread, which the JVM may
            // not wait for once this hook returns
            if (processor.close(CLOSE_TIMEOUT)) {
                LOG.info("processor stopped cleanly");
            }
            stopped.countDown();
        }, "processor-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        LOG.info("processing {} on {} as '{}' (maxGap {}, grace {}, horizon {}, zone {})",
                io.usagepipeline.events.Topics.RAW.name(processorConfig.topicPrefix()), config.bootstrapServers(),
                config.get(Settings.PROCESSOR_APPLICATION_ID), processorConfig.maxGap(), processorConfig.grace(),
                processorConfig.horizon(), processorConfig.billingZone());
        processor.start();
        stopped.await();

        final boolean failed = processor.state() == KafkaStreams.State.ERROR;
        if (failed) {
            // stopped on its own: the hook would only wait for nothing
            Runtime.getRuntime().removeShutdownHook(hook);
            processor.close(CLOSE_TIMEOUT);
        }
        streamsMetrics.close();
        http.ifPresent(HttpEndpoints::close);
        return failed ? ExitCodes.FAILED : ExitCodes.OK;
    }
}
