package io.usagepipeline.processor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.events.GroupProgress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The processor's topology over a stretch of the raw topic that ends: from the polls at or after an instant to the
 * end the topic had when the stretch was taken, under an application id of its own, then closed (which commits).
 * {@code replay} recomputes history this way, and {@code bench} measures the processor this way.
 */
public final class Replay {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /**
     * How long after the processor closed its last commit may take to show in the group's offsets: an exactly-once
     * commit returns once the transaction is decided, and the broker marks its offsets committed just after. Read in
     * that moment, they were still those of the commit before, and a replay that had closed cleanly was reported as
     * one that had not.
     */
    private static final Duration COMMIT_VISIBLE = Duration.ofSeconds(10);
    private static final Duration LOOK_AGAIN = Duration.ofMillis(100);
    /**
     * How often the processor's count is read between the other checks: the close starts once the count reaches the
     * stretch's end, and looking only every {@link #LOOK_AGAIN} delayed the end of every run by half of that on
     * average (50 ms of the bench's replay stage of about two seconds). The count is a sum of counters, cheap to read
     * this often.
     */
    private static final Duration LOOK_FOR_END = Duration.ofMillis(5);

    private final Admin admin;
    private final String rawTopic;
    private final Map<TopicPartition, Long> starts;
    private final Map<TopicPartition, Long> ends;

    private Replay(final Admin admin, final String rawTopic, final Map<TopicPartition, Long> starts,
                   final Map<TopicPartition, Long> ends) {
        this.admin = admin;
        this.rawTopic = rawTopic;
        this.starts = starts;
        this.ends = ends;
    }

    /** What a run reads and how long it took. */
    public record Result(long rawPolls, double seconds, long observations, long openTotals) {
    }

    /** The raw polls of {@code rawTopic} stamped at or after {@code from}, to the topic's end now. */
    public static Replay of(final Admin admin, final String rawTopic, final Instant from)
            throws ExecutionException, InterruptedException {
        final List<String> raw = List.of(rawTopic);
        return new Replay(admin, rawTopic, GroupProgress.offsetsForTime(admin, raw, from.toEpochMilli()),
                GroupProgress.endOffsets(admin, raw));
    }

    /** How many records the stretch holds. */
    public long total() {
        return ends.entrySet().stream().mapToLong(end -> end.getValue() - starts.get(end.getKey())).sum();
    }

    /** The raw topic's partitions: the outputs of a run need as many. */
    public int partitions() {
        return ends.size();
    }

    /**
     * Runs the topology of {@code config} under the application id of {@code streams} (a new one: its group starts at
     * the stretch's offsets) and {@code profile}, writing under {@code outputPrefix}; tells {@code read} how many raw
     * polls it has read; returns once it has read the whole stretch and closed.
     *
     * @param run        what the run is for: a replay is a {@link Run#RECOMPUTATION}
     * @param stall      longer than this without reading a poll is a stuck processor, and fails the run
     */
    public Result run(final ProcessorConfig config, final Properties streams, final String outputPrefix,
                      final Profile profile, final Run run, final LongConsumer read, final Duration stall)
            throws Exception {
        final String applicationId = streams.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        final GroupProgress group = new GroupProgress(admin, applicationId);
        group.startAt(starts);
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        final ProcessorMetrics metrics = new ProcessorMetrics(registry, Clock.systemUTC());
        final long total = total();
        final long started = System.nanoTime();
        final UsageProcessor processor = new UsageProcessor(config, metrics, streams, outputPrefix, profile, run);
        try {
            processor.start();
            awaitRead(processor, metrics, group, total, read, stall);
        } finally {
            processor.closeAndLeaveGroup(CLOSE_TIMEOUT); // commits what it has read: the replay profile commits rarely
        }
        final long deadline = System.nanoTime() + COMMIT_VISIBLE.toNanos();
        while (group.remaining(ends) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the processor did not commit the end of " + rawTopic
                        + " when it closed; its log says why");
            }
            Thread.sleep(LOOK_AGAIN.toMillis()); // the group's offsets are the only signal there is
        }
        return new Result(total, (System.nanoTime() - started) / 1e9,
                (long) registry.counter("usage.processor.observations").count(),
                (long) registry.counter("usage.processor.open.totals").count());
    }

    /**
     * Waits until the processor has read every raw poll of the stretch, or its group has committed the end of it
     * (when the count cannot tell: a record that is not a poll is not counted).
     */
    private void awaitRead(final UsageProcessor processor, final ProcessorMetrics metrics, final GroupProgress group,
                           final long total, final LongConsumer progress, final Duration stall) throws Exception {
        long last = -1;
        long lastMove = System.nanoTime();
        while (true) {
            final long read = metrics.rawPollsRead();
            progress.accept(Math.min(read, total));
            if (read >= total || group.remaining(ends) == 0) {
                return;
            }
            if (!processor.isHealthy()) {
                throw new IllegalStateException("the processor stopped (" + processor.state()
                        + ") before reaching the end of " + rawTopic + processor.failure()
                        .map(Replay::why).orElse("; its log says why"));
            }
            if (read != last) {
                last = read;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > stall.toNanos()) {
                throw new IllegalStateException("the processor read nothing for " + stall + " with "
                        + (total - read) + " raw polls of " + rawTopic + " left");
            }
            awaitCount(metrics, total, LOOK_AGAIN);
        }
    }

    /**
     * Why the processor stopped, as the person running the replay reads it: a full heap says what to do, since a run
     * without changelogs keeps its state there ({@code StoreOptions}) and a larger fleet needs more.
     */
    static String why(final Throwable failure) {
        if (failure instanceof OutOfMemoryError) {
            return ": the JVM's heap is full (" + failure.getMessage() + "); a replay keeps its state in the heap, "
                    + "which grows with the fleet: run it with a larger one (USAGE_PIPELINE_JAVA_OPTS=-Xmx4g)";
        }
        return ": " + failure.getMessage();
    }

    /** Waits until the processor has read {@code total} raw polls or {@code atMost} has passed. */
    private static void awaitCount(final ProcessorMetrics metrics, final long total, final Duration atMost)
            throws InterruptedException {
        final long deadline = System.nanoTime() + atMost.toNanos();
        while (metrics.rawPollsRead() < total && System.nanoTime() < deadline) {
            Thread.sleep(LOOK_FOR_END.toMillis()); // the processor's own count is the signal: look again shortly
        }
    }
}
