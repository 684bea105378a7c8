package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.BillingRecords;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay (no changelogs, values held between commits) whose tasks move to another stream thread of the same
 * instance part-way: the rebalance commits, so what a task held (its series, its target's snapshot, the day of history
 * it was adding to) goes to its store, which keeps it for the thread that takes the task over ({@code HeapState}):
 * that thread must go on from there. Its billing records must equal, field by field, those of a replay that was never
 * interrupted, including the restatements that late polls cause after the move, which read the history written
 * before it.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300) // a hung test fails here, not at CI's limit
class ReplayTaskMoveIT {

    private static final int ACCOUNTS = 8;
    private static final int HOURS = 5 * 24;
    /** The hour whose polls are held back, and the hour after which they arrive: 30 hours late, a closed day. */
    private static final int LATE_HOUR = 24 + 9;
    private static final int LATE_AFTER = LATE_HOUR + 30;
    /** The hour the second half of the history starts with; the move happens before it is published. */
    private static final int SECOND_HALF = 60;
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void shouldGiveTheRecordsOfAnUninterruptedReplayWhenTasksMoveToAnotherThread(final KafkaBroker kafka,
                                                                                 @TempDir final Path dir)
            throws Exception {
        final String prefix = "move.";
        final Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        final ProcessorConfig config = ProcessorConfig.defaults().withTopicPrefix(prefix);
        try (Admin admin = Admin.create(client)) {
            new TopicProvisioner(admin, prefix, 6, 0).ensureAll();
            new TopicProvisioner(admin, "still.", 6, 0).ensureAll();
            final ProcessorMetrics metrics = new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
            // one thread, and no commit before the move (a transaction may stay open up to a minute in a replay):
            // whatever the tasks hold then is in their held values alone
            final Properties streams = UsageProcessor.streamsConfig("move-app", client, dir.resolve("moved"),
                    Profile.REPLAY);
            streams.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
            streams.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Duration.ofSeconds(50).toMillis());
            try (UsageProcessor processor = new UsageProcessor(config, metrics, streams, prefix, Profile.REPLAY,
                    Run.RECOMPUTATION)) {
                processor.start();
                assertThat(processor.awaitRunning(WAIT)).isTrue();
                final List<RawPoll> first = polls(0, SECOND_HALF);
                AwsHours.send(kafka, prefix, first);
                await("the first half read").atMost(WAIT).until(() -> metrics.rawPollsRead() == first.size());
                assertThat(admin.listConsumerGroupOffsets("move-app").partitionsToOffsetAndMetadata().get())
                        .as("nothing committed before the move").isEmpty();

                assertThat(processor.streams().addStreamThread()).isPresent();
                await("both threads hold raw partitions").atMost(WAIT)
                        .until(() -> threadsWithRawPartitions(admin, "move-app", Topics.RAW.name(prefix)) == 2);
                final List<RawPoll> second = polls(SECOND_HALF, HOURS);
                AwsHours.send(kafka, prefix, second);
                await("everything read").atMost(WAIT)
                        .until(() -> metrics.rawPollsRead() == first.size() + second.size());
                assertThat(processor.close(WAIT)).as("closed cleanly, committing").isTrue();
            }

            final Properties still = UsageProcessor.streamsConfig("still-app", client, dir.resolve("still"),
                    Profile.REPLAY);
            still.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
            final ProcessorMetrics stillMetrics = new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
            try (UsageProcessor uninterrupted = new UsageProcessor(config, stillMetrics, still, "still.",
                    Profile.REPLAY, Run.RECOMPUTATION)) {
                uninterrupted.start();
                await("the uninterrupted replay read everything").atMost(WAIT)
                        .until(() -> stillMetrics.rawPollsRead() == (long) ACCOUNTS * HOURS);
                assertThat(uninterrupted.close(WAIT)).isTrue();
            }
        }

        final TreeMap<String, PeriodRecord> expected = BillingRecords.latest(client,
                Topics.BILLING_RECORDS.name("still."), record -> true);
        final TreeMap<String, PeriodRecord> actual = BillingRecords.latest(client,
                Topics.BILLING_RECORDS.name(prefix), record -> true);
        assertThat(expected.values()).as("every account's late poll restates its closed day")
                .filteredOn(record -> record.status() == RecordStatus.RESTATED).hasSizeGreaterThanOrEqualTo(ACCOUNTS);
        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    /**
     * Hourly polls of every account for hours [from, to) after {@link AwsHours#DAY}, in slot order, with a level
     * that changes every hour; each account's poll of {@link #LATE_HOUR} is published after {@link #LATE_AFTER}.
     */
    private static List<RawPoll> polls(final int from, final int to) {
        final List<RawPoll> polls = new ArrayList<>();
        for (int hour = from; hour < to; hour++) {
            for (int account = 0; account < ACCOUNTS; account++) {
                if (hour != LATE_HOUR) {
                    polls.add(poll(account, hour));
                }
            }
            if (hour == LATE_AFTER) {
                for (int account = 0; account < ACCOUNTS; account++) {
                    polls.add(poll(account, LATE_HOUR));
                }
            }
        }
        return polls;
    }

    private static RawPoll poll(final int account, final int hour) {
        return Polls.aws("aws-" + account, "tenant-" + account, AwsHours.DAY.plus(Duration.ofHours(hour)),
                1 + (hour * 7 + account * 3) % 5);
    }

    /** The members of the group (one per stream thread) that hold at least one raw partition. */
    private static long threadsWithRawPartitions(final Admin admin, final String group, final String rawTopic)
            throws Exception {
        return admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().stream()
                .map(MemberDescription::assignment)
                .filter(assignment -> assignment.topicPartitions().stream()
                        .anyMatch(partition -> partition.topic().equals(rawTopic)))
                .count();
    }
}
