package io.usagepipeline.cli.run;

import io.usagepipeline.events.ChargeLine;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.RecordDifferences;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import io.usagepipeline.rating.RaterReplay;
import io.usagepipeline.rating.RatingRun;
import io.usagepipeline.rating.card.RatingConfig;
import io.usagepipeline.runtime.Directories;
import io.usagepipeline.runtime.ExitCodes;
import io.usagepipeline.runtime.Progress;
import io.usagepipeline.runtime.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/**
 * The rater run again over some months, under a fresh application id and into topics of its own; the live charges
 * are never touched. {@code rate --replay} prices the live billing records with another card (what a new card would
 * change, before the live rater is restarted with it); {@code replay} prices the billing records it recomputed.
 *
 * @param inputPrefix  the prefix of the billing records priced: the live one, or a processor replay's
 * @param livePrefix   the prefix of the live charges compared with
 * @param outputPrefix where the replay's charges are kept; null for a temporary prefix removed at the end
 */
public record RateReplay(Map<String, Object> kafka, String inputPrefix, String livePrefix, RatingConfig rating,
                  YearMonth from, YearMonth to, String outputPrefix) {

    /** Longer than this without progress is a stuck replay. */
    private static final Duration STALL = Duration.ofMinutes(10);

    public RateReplay {
        if (to.isBefore(from)) {
            throw new ConfigException("--to (" + to + ") must not be before --from (" + from + ")");
        }
    }

    public boolean covers(final ChargeLine line) {
        final YearMonth month = YearMonth.parse(line.month());
        return !month.isBefore(from) && !month.isAfter(to);
    }

    /** Runs the replay to the end of the billing records there are now; returns its latest lines by charge key. */
    public Map<String, ChargeLine> run(final PrintWriter console) throws Exception {
        final String runId = UUID.randomUUID().toString().substring(0, 8);
        final String appId = "usage-pipeline-rate-replay-" + runId;
        final String into = outputPrefix != null ? outputPrefix : "rate-replay-" + runId + ".";
        try (Admin admin = Admin.create(kafka)) {
            final String charges = Topics.CHARGES.name(into);
            if (admin.listTopics().names().get().contains(charges)) {
                throw new ConfigException("--output-prefix '" + into + "': topic " + charges + " already exists; a "
                        + "replay writes to topics of its own, so choose a new prefix");
            }
            try {
                final String billing = Topics.BILLING_RECORDS.name(inputPrefix);
                new TopicProvisioner(admin, into, GroupProgress.endOffsets(admin, List.of(billing)).size(), 0)
                        .ensureAll();
                price(admin, appId, into, console);
                final Map<String, ChargeLine> latest = latestCharges(charges);
                if (outputPrefix != null) {
                    console.printf("the replay's charges are kept on %s%n", charges);
                }
                return latest;
            } finally {
                ReplayTopics.remove(admin, appId, outputPrefix == null ? into : null);
            }
        }
    }

    /** Runs the rater over every billing record there is now, with a progress line, until it has priced them. */
    private void price(final Admin admin, final String appId, final String into, final PrintWriter console)
            throws Exception {
        final RaterReplay replay = RaterReplay.of(admin, RatingRun.replay(inputPrefix, into, from, to));
        final long total = replay.total();
        final Progress progress = new Progress(console, System.console() != null, total);
        final Path stateDir = Files.createTempDirectory("usage-pipeline-rate-replay-");
        try {
            replay.run(kafka, rating, appId, stateDir,
                    read -> progress.update(read, progress.of(read, "billing records")), STALL);
        } finally {
            Directories.deleteRecursively(stateDir);
        }
        progress.finish(Progress.count(total) + " billing records");
    }

    private Map<String, ChargeLine> latestCharges(final String topic) {
        return CommittedRecords.latest(kafka, topic, Topics.CHARGES.valueSerde().deserializer(),
                ChargeLine::chargeKey, ChargeLine::revision);
    }

    /**
     * Compares with the live charges of the same months; exit code 0 when they price every line alike.
     *
     * @param requireSome true when no line on either side is a failure (the months asked for hold nothing to
     *                    price); false when that is expected (a window in which no month has closed)
     */
    public int compare(final Map<String, ChargeLine> replayed, final PrintWriter console, final boolean requireSome) {
        final String liveTopic = Topics.CHARGES.name(livePrefix);
        final Map<String, ChargeLine> live = new TreeMap<>(latestCharges(liveTopic));
        live.values().removeIf(line -> !covers(line));
        if (live.isEmpty() && replayed.isEmpty()) {
            if (!requireSome) {
                console.printf("no charge lines to compare: no month from %s to %s has closed%n", from, to);
                return ExitCodes.OK;
            }
            console.printf("NOTHING TO COMPARE: neither %s nor the replay has a charge line from %s to %s; check "
                    + "--from, --to and the topic prefix%n", liveTopic, from, to);
            return ExitCodes.FAILED;
        }
        final List<RecordDifferences.Difference> differences = RecordDifferences.betweenCharges("live", live,
                "replay", replayed);
        if (differences.isEmpty()) {
            console.printf("identical: the %d live charge lines from %s to %s are priced as the replay prices them%n",
                    live.size(), from, to);
            return ExitCodes.OK;
        }
        console.printf("DIFFERENT: %d charge lines from %s to %s are priced otherwise by the replay:%n",
                differences.size(), from, to);
        ChargeChanges.describe(live, replayed, differences).forEach(console::println);
        return ExitCodes.FAILED;
    }
}
