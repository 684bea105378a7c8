package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.usagepipeline.cli.run.DemoSummary;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.CommittedRecords;
import io.usagepipeline.events.Granularity;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.Instants;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.Keys;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code process} command in a child JVM, killed with SIGKILL at random points three times while it works
 * through a fixed raw history ({@link RawHistory}: in order, plus late and duplicate polls), then left to finish: its
 * billing records must equal, field by field, those of an uninterrupted run over the same history, and its
 * observations must be there exactly once. The {@code sink} runs downstream and is killed with it: its files end with
 * every revision once and the latest figures of every day.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class ProcessorCrashIT {

    private static final RawHistory HISTORY = new RawHistory(30, 6);
    private static final int KILLS = 3;
    private static final Duration WAIT = Duration.ofMinutes(3);
    /**
     * A killed member stays in the group until its session times out (45 s by default). With an instance id
     * (static membership) the restarted one takes its place at once: well within this.
     */
    private static final Duration REJOIN = Duration.ofSeconds(30);

    @Test
    void shouldGiveTheUninterruptedFiguresAfterRepeatedSigkills(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        final String bootstrap = kafka.bootstrapServers();
        final Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        // -Dseed=N repeats a run: the kill points follow from it
        final long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("ProcessorCrashIT seed " + seed + " (rerun with -Dseed=" + seed + ")");
        final Random random = new Random(seed);
        final Path files = dir.resolve("files");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            new TopicProvisioner(admin, "crash.", 3, 0).ensureAll();
            new TopicProvisioner(admin, "reference.", 3, 0).ensureAll();
            final long polls = HISTORY.publish(bootstrap, "crash.");
            final Map<TopicPartition, Long> ends = GroupProgress.endOffsets(admin,
                    List.of(Topics.RAW.name("crash.")));
            final GroupProgress victim = new GroupProgress(admin, "crash-victim");
            final String[] process = {"process", "--bootstrap-servers", bootstrap, "--prefix", "crash.",
                    "--application-id", "crash-victim", "--instance-id", "crash-victim-1", "--state-dir",
                    dir.resolve("state").toString()};
            // the sink downstream, killed with it each time
            final String[] sink = {"sink", "--bootstrap-servers", bootstrap, "--prefix", "crash.", "--csv-dir",
                    files.toString()};

            for (int kill = 1; kill <= KILLS; kill++) {
                // a point in the next stretch of the work, chosen at random
                final long target = polls * kill / (KILLS + 1) + random.nextInt((int) (polls / (KILLS + 1)));
                try (CliProcess processor = CliProcess.start(process);
                     CliProcess sinkProcess = CliProcess.start(sink)) {
                    processor.awaitOutput("REBALANCING -> RUNNING", REJOIN);
                    victim.await(ends, polls - target, WAIT, running(processor));
                    // and then a random moment later, most likely inside a transaction (they commit every 100 ms)
                    Thread.sleep(random.nextInt(250));
                    processor.kill();
                    sinkProcess.kill();
                }
            }
            try (CliProcess processor = CliProcess.start(process);
                 CliProcess sinkProcess = CliProcess.start(sink)) {
                processor.awaitOutput("REBALANCING -> RUNNING", REJOIN);
                victim.await(ends, 0, WAIT, running(processor));
                final long revisions = CommittedRecords.count(client, Topics.BILLING_RECORDS.name("crash."));
                await().atMost(WAIT).failFast("the sink exited", () -> !sinkProcess.isAlive())
                        .until(() -> historyLines(files).size() >= revisions);
                // everything is committed and written: how this last run ends changes nothing
                processor.kill();
                sinkProcess.kill();
            }
            RawHistory.processUninterrupted(admin, bootstrap, "crash.", "reference.", dir.resolve("reference-state"),
                    WAIT);
        }

        final TreeMap<String, PeriodRecord> expected = RawHistory.assertSameBillingRecords(bootstrap, "crash.",
                "reference.", "seed " + seed);
        assertThat(CommittedRecords.count(client, Topics.OBSERVATIONS.name("crash.")))
                .as("observations exactly once, seed %d", seed)
                .isEqualTo(CommittedRecords.count(client, Topics.OBSERVATIONS.name("reference.")))
                .isEqualTo(HISTORY.observations());

        // the sink's files: every revision on the topic once, and the latest revision of every day as computed
        final List<String> recordIds = historyLines(files).stream()
                .map(line -> readTree(line).get("record").get("recordId").asText()).toList();
        assertThat(recordIds).as("seed %d", seed).doesNotHaveDuplicates()
                .hasSize((int) CommittedRecords.count(client, Topics.BILLING_RECORDS.name("crash.")));
        final Map<String, Map<String, String>> days = dayRows(files);
        final List<PeriodRecord> expectedDays = expected.values().stream()
                .filter(record -> record.granularity() == Granularity.DAY).toList();
        assertThat(days).hasSize(expectedDays.size());
        for (final PeriodRecord record : expectedDays) {
            final Map<String, String> row = days.get(record.periodKey());
            assertThat(row).as(record.periodKey()).isNotNull();
            assertThat(row.get("recordId")).isEqualTo(record.recordId().toString());
            assertThat(new BigDecimal(row.get("unitHours"))).isEqualByComparingTo(record.unitHours());
        }
    }

    private static List<String> historyLines(final Path files) throws IOException {
        final Path history = files.resolve("history.jsonl");
        return Files.exists(history) ? Files.readAllLines(history) : List.of();
    }

    private static JsonNode readTree(final String line) {
        try {
            return Json.mapper().readTree(line);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every row of the sink's day files, by period key. */
    private static Map<String, Map<String, String>> dayRows(final Path files) throws IOException {
        final Map<String, Map<String, String>> rows = new HashMap<>();
        try (Stream<Path> dayFiles = Files.list(files.resolve("day"))) {
            for (final Path file : dayFiles.toList()) {
                DemoSummary.rows(file).forEach(row -> rows.put(Keys.periodKey(row.get("seriesKey"),
                        Granularity.DAY, Instants.parse(row.get("periodStart"))), row));
            }
        }
        return rows;
    }

    /** Between polls of the progress: the processor must still be there. */
    private static LongConsumer running(final CliProcess processor) {
        return remaining -> assertThat(processor.isAlive()).as("the processor is running").isTrue();
    }
}
