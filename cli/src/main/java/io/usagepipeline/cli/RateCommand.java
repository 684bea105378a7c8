package io.usagepipeline.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.RatingSettings;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.events.Topics;
import io.usagepipeline.rating.Rater;
import io.usagepipeline.rating.RaterMetrics;
import io.usagepipeline.rating.RaterService;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.runtime.Runner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rate", mixinStandardHelpOptions = true,
        description = {
                "Runs the rater (Kafka Streams, exactly-once): the MONTH records of billing.records.v1 in, priced "
                        + "lines per tenant and month out to billing.charges.v1 (each license type, a minimum "
                        + "top-up, the TOTAL with cost and margin), UNPRICED alerts to usage.alerts.v1, until Ctrl-C.",
                "The rate card is the 'rating:' block of --config (see the README). A restated record re-prices "
                        + "its line: a RESTATED revision with the delta follows, and the TOTAL after it.",
                "On every start it prices again each month it holds, so an edited card shows as RESTATED lines "
                        + "with their deltas; lines the edit does not change are not published again.",
                "Exits 2 on a card it cannot price with (naming the key), 1 if it stopped on an error or Kafka "
                        + "has not answered for rater.kafkaTimeout."})
public final class RateCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RateCommand.class);

    @Mixin
    ConfigOptions options;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Local state stores (rater.stateDir). Default: .usage-pipeline/rater-state.")
    Path stateDir;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Kafka Streams application id (rater.applicationId). Default: usage-pipeline-rater.")
    String applicationId;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Mixin
    HttpPortOption httpPort;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(httpPort.applyTo(topicPrefix.applyTo(PipelineConfig.Flags.none()))
                .set(Settings.RATER_STATE_DIR, stateDir, "--state-dir")
                .set(Settings.RATER_APPLICATION_ID, applicationId, "--application-id"));
        final RatingConfig rating = RatingSettings.from(config, YearMonth.now(ZoneOffset.UTC));
        final PrometheusMeterRegistry registry = Runner.registry();
        final String prefix = config.get(Settings.TOPICS_PREFIX);
        final Rater rater = new Rater(rating, new RaterMetrics(registry),
                Rater.streamsConfig(config.get(Settings.RATER_APPLICATION_ID), config.kafkaProperties(),
                        config.get(Settings.RATER_STATE_DIR)), prefix, prefix);
        LOG.info("rating {} into {} on {} as '{}' ({} card versions, currency {})",
                Topics.BILLING_RECORDS.name(prefix), Topics.CHARGES.name(prefix), config.bootstrapServers(),
                config.get(Settings.RATER_APPLICATION_ID),
                rating.cards().values().stream().mapToInt(List::size).sum(), rating.currency());
        return Runner.run(List.of(new RaterService(rater, RunSettings.probe(config), RunSettings.bounds(config),
                config.get(Settings.RATER_KAFKA_TIMEOUT), registry, Clock.systemUTC())),
                registry, RunSettings.endpoints(config), RunSettings.CLOSE_TIMEOUT);
    }
}
