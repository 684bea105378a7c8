package io.usagepipeline.rating;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.events.GroupProgress;
import io.usagepipeline.events.Topics;
import io.usagepipeline.rating.card.RatingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The rater over the billing records there are now, under an application id of its own (a {@link RatingRun#replay}
 * run): it reads them all and passes them through its repartition, then prices every month it holds, once, and
 * closes, which commits the last lines. {@code rate --replay} and {@code replay} price this way.
 */
public final class RaterReplay {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final RatingRun run;
    private final Map<TopicPartition, Long> records;

    private RaterReplay(final Admin admin, final RatingRun run, final Map<TopicPartition, Long> records) {
        this.admin = admin;
        this.run = run;
        this.records = records;
    }

    /** The billing records of the run's input prefix, to their end now. */
    public static RaterReplay of(final Admin admin, final RatingRun run) throws Exception {
        return new RaterReplay(admin, run, GroupProgress.endOffsets(admin,
                List.of(Topics.BILLING_RECORDS.name(run.inputPrefix()))));
    }

    /** How many billing records the rater reads. */
    public long total() {
        return records.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * @param read  told how many billing records the rater has read
     * @param stall longer than this without progress is a stuck rater, and fails the run
     */
    public void run(final Map<String, Object> kafka, final RatingConfig rating, final String applicationId,
                    final Path stateDir, final LongConsumer read, final Duration stall) throws Exception {
        final RaterMetrics metrics = new RaterMetrics(new SimpleMeterRegistry());
        final AtomicBoolean inputRead = new AtomicBoolean();
        final Rater rater = new Rater(rating, metrics, Rater.streamsConfig(applicationId, kafka, stateDir),
                run.pricedOnceRead(inputRead::get));
        try {
            rater.start();
            final GroupProgress group = new GroupProgress(admin, applicationId);
            final long total = total();
            group.await(records, 0, stall, remaining -> {
                read.accept(total - remaining);
                requireRunning(rater);
            });
            group.await(GroupProgress.endOffsets(admin, List.of(RatingTopology.repartitionTopic(applicationId))), 0,
                    stall, remaining -> requireRunning(rater));
            inputRead.set(true); // every record is in the rater's stores: each month is priced whole, once
            final long deadline = System.nanoTime() + stall.toNanos();
            while (metrics.pendingMonths() > 0) {
                requireRunning(rater);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the rater has not priced its months within " + stall);
                }
                Thread.sleep(100); // the rater prices pending months once a second; look again then
            }
        } finally {
            rater.closeAndLeaveGroup(CLOSE_TIMEOUT);
        }
    }

    private static void requireRunning(final Rater rater) {
        if (!rater.state().isRunningOrRebalancing() && rater.state() != KafkaStreams.State.CREATED) {
            throw new KafkaException("the rater stopped (" + rater.state() + "); its log says why");
        }
    }
}
