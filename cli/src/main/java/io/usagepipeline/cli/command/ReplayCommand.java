package io.usagepipeline.cli.command;

import io.usagepipeline.cli.config.PipelineConfig;
import io.usagepipeline.cli.config.Settings;
import io.usagepipeline.cli.run.JsonLines;
import io.usagepipeline.cli.run.KafkaCheck;
import io.usagepipeline.cli.run.RateReplay;
import io.usagepipeline.cli.run.ReplayTopics;
import io.usagepipeline.cli.run.ReplayWindow;
import io.usagepipeline.events.BillingRecords;
import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RecordDifferences;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorSettings;
import io.usagepipeline.processor.Profile;
import io.usagepipeline.processor.Replay;
import io.usagepipeline.processor.Run;
import io.usagepipeline.rating.RaterSettings;
import io.usagepipeline.runtime.Directories;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Progress;
import io.usagepipeline.runtime.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {
                "Recomputes the billing periods that overlap [--from, --to) from usage.raw.v1: the processor's "
                        + "topology runs under a fresh application id, from the raw polls those periods depend on "
                        + "(the month holding --from, less maxGap, the horizon and the grace), to the end the raw "
                        + "topic has when the replay starts, then stops by itself. Its state is temporary and keeps no "
                        + "changelogs: a replay that fails is run again. It runs no alert rules: it needs the "
                        + "records, not alerts about the past.",
                "Writes the latest revision of each recomputed billing record to --out (JSON lines, sorted by key). "
                        + "The live outputs are never touched: the replay writes under a prefix of its own, removed "
                        + "afterwards unless --output-prefix names one to keep.",
                "Use the same configuration as the live processor (zones, maxGap, grace, horizon, tenantMaps).",
                "When the configuration has a rate card ('rating:'), the recomputed records are also priced, by "
                        + "the rater alone under a fresh application id, and the lines go beside --out "
                        + "(replay-charges.jsonl).",
                "With --compare, exits 1 when the recomputed records differ from the live billing.records.v1, or "
                        + "their charge lines from the live billing.charges.v1, after listing every difference."})
public final class ReplayCommand implements Callable<Integer> {

    /** Restoring a large state before the first commit can take a while; longer than this is a stuck replay. */
    private static final Duration STALL = Duration.ofMinutes(10);

    @Mixin
    ConfigOptions options;

    @Mixin
    TopicPrefixOption topicPrefix;

    @Option(names = "--from", paramLabel = "TIME", required = true, converter = InstantConverter.class,
            description = "Start of the window: an instant (2026-10-01T00:00:00Z) or a date (2026-10-01, UTC).")
    Instant from;

    @Option(names = "--to", paramLabel = "TIME", required = true, converter = InstantConverter.class,
            description = "End of the window (exclusive), in the same forms.")
    Instant to;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "replay.jsonl",
            description = "Where the recomputed records go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--output-prefix", paramLabel = "PREFIX",
            description = "Keep the replay's output topics under this prefix (e.g. 'audit-2026-10.'); it must not "
                    + "be in use yet. Default: a temporary prefix, deleted when the replay ends.")
    String outputPrefix;

    @Option(names = "--compare", description = "Compare with the live billing.records.v1 and list every difference.")
    boolean compare;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final PipelineConfig config = options.load(topicPrefix.applyTo(PipelineConfig.Flags.none()));
        final ProcessorSettings settings = ProcessorSettings.bind(config, config.get(Settings.TOPICS_PREFIX));
        final ProcessorConfig processorConfig = settings.billing();
        final ReplayWindow window = new ReplayWindow(from, to);
        final PrintWriter console = spec.commandLine().getOut();
        final String runId = UUID.randomUUID().toString().substring(0, 8);
        final String appId = "usage-pipeline-replay-" + runId;
        final String prefix = outputPrefix != null ? outputPrefix : "replay-" + runId + ".";
        final String rawTopic = Topics.RAW.name(processorConfig.topicPrefix());
        final Map<String, Object> kafka = config.kafkaProperties();
        // it failed on an UnknownTopicOrPartitionException
        KafkaCheck.require(config, processorConfig.topicPrefix(), Topics.RAW, Topics.BILLING_RECORDS);

        try (Admin admin = Admin.create(kafka)) {
            requireUnused(admin, prefix);
            try {
                final Instant lookback = processorConfig.replayLookbackFrom(from);
                final long polls = recompute(admin, settings, kafka, appId, prefix, rawTopic, lookback, console);
                final Map<String, PeriodRecord> replayed = BillingRecords.latest(kafka,
                        Topics.BILLING_RECORDS.name(prefix), window::covers);
                JsonLines.write(out, replayed.values(), Topics.BILLING_RECORDS.valueSerde().serializer());
                console.printf("replayed %s raw polls of %s from %s: %s billing records for [%s, %s) in %s%n",
                        Progress.count(polls), rawTopic, lookback, Progress.count(replayed.size()), from, to,
                        out.toAbsolutePath());
                if (outputPrefix != null) {
                    console.printf("the replay's topics are kept under the prefix '%s'%n", prefix);
                }
                final int records = compare ? compare(kafka, processorConfig, window, replayed, console)
                        : ExitCodes.OK;
                final int charges = config.section(RaterSettings.RATING).isPresent()
                        ? reprice(config, processorConfig.topicPrefix(), prefix, replayed, console) : ExitCodes.OK;
                return Math.max(records, charges);
            } finally {
                // the outputs stay when --output-prefix asked for them; the changelogs and the group never do
                ReplayTopics.remove(admin, appId, outputPrefix == null ? prefix : null);
            }
        }
    }

    /**
     * Prices the recomputed billing records with the configuration's rate card (the rater alone, over the months of
     * the window), writes the lines beside {@code --out}, and with {@code --compare} compares them with the live
     * charges.
     */
    private int reprice(final PipelineConfig config, final String livePrefix, final String replayPrefix,
                        final Map<String, PeriodRecord> replayed, final PrintWriter console) throws Exception {
        final YearMonth first = YearMonth.from(from.atZone(ZoneOffset.UTC));
        final YearMonth last = YearMonth.from(to.minusMillis(1).atZone(ZoneOffset.UTC));
        final RateReplay rater = new RateReplay(config.kafkaProperties(), replayPrefix, livePrefix,
                RaterSettings.bind(config, first).card(), first, last, null);
        // no month closed in the window: nothing to price, so no rater to start
        final boolean anyMonth = replayed.values().stream().anyMatch(record -> record.granularity()
                == Granularity.MONTH);
        final Map<String, ChargeLine> lines = anyMonth ? rater.run(console) : Map.of();
        final String name = out.getFileName().toString();
        final Path file = out.resolveSibling((name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name)
                + "-charges.jsonl");
        JsonLines.write(file, lines.values(), Topics.CHARGES.valueSerde().serializer());
        console.printf("priced the recomputed records of %s to %s with the configuration's rate card: %s charge "
                + "lines in %s%n", first, last, Progress.count(lines.size()), file.toAbsolutePath());
        return compare ? rater.compare(lines, console, false) : ExitCodes.OK;
    }

    private void requireUnused(final Admin admin, final String prefix) throws ExecutionException,
            InterruptedException {
        final String billing = Topics.BILLING_RECORDS.name(prefix);
        if (admin.listTopics().names().get().contains(billing)) {
            throw new ConfigException("--output-prefix '" + prefix + "': topic " + billing + " already exists; a "
                    + "replay writes to topics of its own, so choose a new prefix");
        }
    }

    /** Runs the topology from the lookback to the raw topic's current end; returns the raw polls read. */
    private long recompute(final Admin admin, final ProcessorSettings settings, final Map<String, Object> kafka,
                           final String appId, final String prefix, final String rawTopic, final Instant lookback,
                           final PrintWriter console) throws Exception {
        final Replay replay = Replay.of(admin, rawTopic, lookback);
        new TopicProvisioner(admin, prefix, replay.partitions(), 0).ensureAll();
        final long total = replay.total();
        final Path stateDir = Files.createTempDirectory("usage-pipeline-replay-");
        final Progress progress = new Progress(console, System.console() != null, total);
        try {
            // a recomputation: the state dir goes at the end, and a failed replay is run again from the start
            replay.run(settings.billing(), settings.replayStreamsConfig(appId, kafka, stateDir), prefix,
                    Profile.REPLAY, Run.RECOMPUTATION,
                    read -> progress.update(read, progress.of(read, "raw polls")), STALL);
        } finally {
            Directories.deleteRecursively(stateDir);
        }
        progress.finish(Progress.count(total) + " raw polls");
        return total;
    }

    private int compare(final Map<String, Object> kafka, final ProcessorConfig config, final ReplayWindow window,
                        final Map<String, PeriodRecord> replayed, final PrintWriter console) {
        final String liveTopic = Topics.BILLING_RECORDS.name(config.topicPrefix());
        final BillingRecords.Compacted compacted = BillingRecords.compacted(kafka, liveTopic, window::covers);
        final Map<String, PeriodRecord> live = compacted.latest();
        if (live.isEmpty() && replayed.isEmpty()) {
            console.printf("NOTHING TO COMPARE: neither %s nor the replay has a billing record in [%s, %s); check "
                    + "--from, --to and the topic prefix%n", liveTopic, window.from(), window.to());
            return ExitCodes.FAILED;
        }
        if (!compacted.conflicts().isEmpty()) {
            // a compacted topic keeps one of them: which one a consumer sees depends on when it reads
            console.printf("CONFLICT: %d keys of %s hold two different records of one revision (two processors "
                    + "writing one topic?):%n", compacted.conflicts().size(), liveTopic);
            compacted.conflicts().forEach(conflict -> console.printf("  %s%n", conflict));
            return ExitCodes.FAILED;
        }
        final List<RecordDifferences.Difference> differences = RecordDifferences.between("live", live, "replay",
                replayed);
        if (differences.isEmpty()) {
            console.printf("identical: the %s records of %s in the window equal the replay's, field by field%n",
                    Progress.count(live.size()), liveTopic);
            return ExitCodes.OK;
        }
        final Set<String> keys = new TreeSet<>(live.keySet());
        keys.addAll(replayed.keySet());
        console.printf("DIFFERENT: %s of %s keys differ between %s and the replay:%n",
                Progress.count(differences.size()), Progress.count(keys.size()), liveTopic);
        differences.forEach(difference -> console.printf("  %s: %s%n", difference.key(), difference.description()));
        return ExitCodes.FAILED;
    }
}
