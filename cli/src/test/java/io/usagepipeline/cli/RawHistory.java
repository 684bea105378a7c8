package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.bench.BenchDataset;
import io.usagepipeline.collector.RawPublisher;
import io.usagepipeline.events.BillingRecords;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.PeriodRecord;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.RecordStatus;
import io.usagepipeline.events.Topics;
import io.usagepipeline.processor.ProcessorConfig;
import io.usagepipeline.processor.ProcessorMetrics;
import io.usagepipeline.processor.UsageProcessor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;

/**
 * A fixed raw history for the ITs that interrupt processors: every tenant's hourly polls in slot order, except that
 * tenant 0's polls of day 2, 09:00 arrive 30 hours late (restating a closed day) and every poll of day 3, 12:00 is
 * published twice; and the uninterrupted run it is compared with.
 */
record RawHistory(int tenants, int days) {

    static final Instant FIRST = Instant.parse("2026-09-01T00:00:00Z");
    /** How long after its slot began each poll was made. */
    private static final Duration DELAY = Duration.ofSeconds(30);

    RawHistory {
        if (days < 4) {
            throw new IllegalArgumentException("the late and duplicated polls need four days");
        }
    }

    /** Publishes the history to {@code prefix}'s raw topic; returns how many records that was. */
    long publish(final String bootstrap, final String prefix) {
        return publish(bootstrap, prefix, 0, days * 24);
    }

    /**
     * Publishes the hours {@code [fromHour, toHour)} of the history, as {@link #publish(String, String)} would in
     * that stretch (the late polls arrive with the hour they are late to); returns how many records that was.
     */
    long publish(final String bootstrap, final String prefix, final int fromHour, final int toHour) {
        final BenchDataset dataset = new BenchDataset(tenants);
        final Instant late = FIRST.plus(Duration.ofHours(24 + 9));
        final Instant duplicated = FIRST.plus(Duration.ofHours(48 + 12));
        long published = 0;
        try (RawPublisher publisher = new RawPublisher(Map.of("bootstrap.servers", bootstrap), prefix)) {
            for (int hour = fromHour; hour < toHour; hour++) {
                final Instant slot = FIRST.plus(Duration.ofHours(hour));
                for (int tenant = 0; tenant < tenants; tenant++) {
                    if (tenant == 0 && slot.equals(late)) {
                        continue;
                    }
                    for (final RawPoll poll : dataset.polls(tenant, slot, DELAY)) {
                        publisher.publish(poll);
                        published++;
                        if (slot.equals(duplicated)) {
                            publisher.publish(poll);
                            published++;
                        }
                    }
                }
                if (slot.equals(late.plus(Duration.ofHours(30)))) {
                    for (final RawPoll poll : dataset.polls(0, late, DELAY)) {
                        publisher.publish(poll);
                        published++;
                    }
                }
            }
            publisher.flush();
        }
        return published;
    }

    /** The observations the history holds, each once. */
    long observations() {
        return (long) tenants * days * 24 * BenchDataset.SERIES_PER_TENANT;
    }

    /**
     * One processor, never interrupted, over the raw topic of {@code rawPrefix}, writing under {@code outputPrefix};
     * returns once it has committed the whole topic.
     */
    static void processUninterrupted(final Admin admin, final String bootstrap, final String rawPrefix,
                                     final String outputPrefix, final Path stateDir, final Duration stall)
            throws Exception {
        final Map<TopicPartition, Long> ends = GroupProgress.endOffsets(admin, List.of(Topics.RAW.name(rawPrefix)));
        final String applicationId = outputPrefix + "uninterrupted";
        try (UsageProcessor reference = new UsageProcessor(ProcessorConfig.defaults().withTopicPrefix(rawPrefix),
                new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                UsageProcessor.streamsConfig(applicationId, Map.of("bootstrap.servers", bootstrap), stateDir),
                outputPrefix)) {
            reference.start();
            new GroupProgress(admin, applicationId).await(ends, 0, stall, remaining -> { });
        }
    }

    /**
     * Asserts that the billing records under {@code prefix} are, period by period and field by field, those of the
     * uninterrupted run under {@code referencePrefix}, where the late polls restated closed days; returns the
     * reference's records by period key.
     */
    static TreeMap<String, PeriodRecord> assertSameBillingRecords(final String bootstrap, final String prefix,
                                                                  final String referencePrefix,
                                                                  final String description) {
        final Map<String, Object> client = Map.of("bootstrap.servers", bootstrap);
        final TreeMap<String, PeriodRecord> expected = BillingRecords.latest(client,
                Topics.BILLING_RECORDS.name(referencePrefix), record -> true);
        final TreeMap<String, PeriodRecord> actual = BillingRecords.latest(client,
                Topics.BILLING_RECORDS.name(prefix), record -> true);
        assertThat(expected.values()).as("the late polls restate closed days")
                .anyMatch(record -> record.status() == RecordStatus.RESTATED);
        assertThat(actual).as(description).containsExactlyEntriesOf(expected);
        return expected;
    }
}
