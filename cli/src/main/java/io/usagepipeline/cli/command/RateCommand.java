package io.usagepipeline.cli.command;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.JsonLines;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.cli.run.RateReplay;
import io.usagepipeline.cli.run.RunSettings;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Topics;
import io.usagepipeline.rating.Rater;
import io.usagepipeline.rating.RaterMetrics;
import io.usagepipeline.rating.RaterService;
import io.usagepipeline.rating.RaterSettings;
import io.usagepipeline.rating.RatingRun;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Progress;
import io.usagepipeline.runtime.Runner;
import io.usagepipeline.runtime.RunnerSettings;
import io.usagepipeline.runtime.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "rate", mixinStandardHelpOptions = true,
        description = {
                "Runs the rater (Kafka Streams, exactly-once): the MONTH records of billing.records.v1 and Veeam's "
                        + "monthly license reports in; priced lines per tenant and month out to billing.charges.v1 "
                        + "(each license type, a minimum top-up, the TOTAL with cost and margin), reconciliation "
                        + "lines to billing.reconciliation.v1 and UNPRICED alerts to usage.alerts.v1, until Ctrl-C.",
                "The rate card is the 'rating:' block of --config (see the README). A restated record re-prices "
                        + "its line: a RESTATED revision with the delta follows, and the TOTAL after it.",
                "It also reconciles each month with Veeam's monthly license report (usage.reports.v1): our points "
                        + "against Veeam's per tenant and workload type, with the cause of every variance, to "
                        + "billing.reconciliation.v1, revised whenever either side changes.",
                "On every start it prices again each month it holds, so an edited card shows as RESTATED lines "
                        + "with their deltas; lines the edit does not change are not published again. The console "
                        + "says, a line per month, what each round published and what it did to the month's TOTALs.",
                "With --replay it prices the months --from to --to again from the live billing records, under a "
                        + "fresh application id and into topics of its own (the live charges are never touched), "
                        + "writes the lines to --out and, with --compare, lists every line the card in --config prices "
                        + "otherwise than the live charges do, and what they change per tenant and month: what a new "
                        + "card would change, before the live rater is restarted with it.",
                "Exits 2 on a card it cannot price with (naming the key), one in another currency than the lines "
                        + "it published (a month keeps the currency it was first priced in), or under an application "
                        + "id with no state where billing.charges.v1 already holds lines (see --new-state), 1 if it "
                        + "stopped on an error or Kafka has not answered for rater.kafkaTimeout; with --compare, 1 "
                        + "when lines differ."})
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

    @Option(names = "--replay", description = "Price --from to --to again under a fresh application id (see above).")
    boolean replay;

    @Option(names = "--from", paramLabel = "MONTH", converter = MonthConverter.class,
            description = "With --replay: the first month to price, e.g. 2026-10.")
    YearMonth from;

    @Option(names = "--to", paramLabel = "MONTH", converter = MonthConverter.class,
            description = "With --replay: the last month to price (inclusive). Default: --from.")
    YearMonth to;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "rate-replay.jsonl",
            description = "With --replay: where the lines go, one JSON line each. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--output-prefix", paramLabel = "PREFIX",
            description = "With --replay: keep its charges on topics under this prefix; it must not be in use yet. "
                    + "Default: a temporary prefix, deleted when the replay ends.")
    String outputPrefix;

    @Option(names = "--compare", description = "With --replay: compare with the live billing.charges.v1, list "
            + "every line priced otherwise and add up what they change per tenant and month.")
    boolean compare;

    @Option(names = "--new-state", description = "Start although this application id has no state and "
            + "billing.charges.v1 already holds lines (refused otherwise: see the README's 'Rating'), only once "
            + "'rate --replay --compare' has found every line priced as published.")
    boolean newState;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(httpPort.applyTo(topicPrefix.applyTo(PipelineConfig.Flags.none()))
                .set(RaterSettings.STATE_DIR, stateDir, "--state-dir")
                .set(RaterSettings.APPLICATION_ID, applicationId, "--application-id"));
        if (replay) {
            if (newState) {
                throw new ConfigException("--new-state goes with the live rater, not with --replay");
            }
            return replay(config);
        }
        if (from != null || to != null || compare || outputPrefix != null) {
            throw new ConfigException("--from, --to, --compare and --output-prefix go with --replay");
        }
        final RaterSettings settings = RaterSettings.bind(config, YearMonth.now(ZoneOffset.UTC));
        final RunnerSettings run = RunnerSettings.bind(config);
        config.directory(RaterSettings.STATE_DIR);
        final RatingConfig rating = settings.card();
        final PrometheusMeterRegistry registry = Runner.registry();
        final String prefix = config.get(Settings.TOPICS_PREFIX);
        final boolean answered = KafkaCheck.requireTopics(config, prefix, Topics.BILLING_RECORDS, Topics.REPORTS,
                Topics.CHARGES, Topics.ALERTS, Topics.RECONCILIATION);
        if (answered) {
            KafkaCheck.requireOwnHistory(config, Rater.outputHistory(settings.applicationId(), prefix),
                    RaterSettings.APPLICATION_ID, newState);
            Rater.requirePublishedCurrency(config.kafkaProperties(), settings.applicationId(), rating);
        }
        final RaterMetrics metrics = new RaterMetrics(registry);
        final Supplier<Rater> raters = () -> new Rater(rating, metrics,
                settings.streamsConfig(config.kafkaProperties()), RatingRun.live(prefix));
        LOG.info("rating {} into {} on {} as '{}' (card versions {}, currency {})",
                Topics.BILLING_RECORDS.name(prefix), Topics.CHARGES.name(prefix), config.bootstrapServers(),
                settings.applicationId(), rating.cards().values().stream().mapToInt(List::size).sum(),
                rating.currency());
        return Runner.run(List.of(new RaterService(raters, RunSettings.probe(config), run.bounds(),
                settings.kafkaTimeout(), registry, Clock.systemUTC())), registry, run.endpoints(),
                RunSettings.CLOSE_TIMEOUT);
    }

    private int replay(final PipelineConfig config) throws Exception {
        if (from == null) {
            throw new ConfigException("--replay needs --from (a month such as 2026-10)");
        }
        final String prefix = config.get(Settings.TOPICS_PREFIX);
        final RateReplay replayRun = new RateReplay(config.kafkaProperties(), prefix, prefix,
                RaterSettings.bind(config, from).card(), from, to == null ? from : to, outputPrefix);
        // after the months and the card, which are refused without waiting for Kafka
        KafkaCheck.require(config, prefix, Topics.BILLING_RECORDS, Topics.CHARGES);
        final PrintWriter console = spec.commandLine().getOut();
        final Map<String, ChargeLine> lines = replayRun.run(console);
        JsonLines.write(out, lines.values(), Topics.CHARGES.valueSerde().serializer());
        console.printf("priced %s to %s again: %s charge lines in %s%n", replayRun.from(), replayRun.to(),
                Progress.count(lines.size()), out.toAbsolutePath());
        return compare ? replayRun.compare(lines, console, true) : ExitCodes.OK;
    }
}
