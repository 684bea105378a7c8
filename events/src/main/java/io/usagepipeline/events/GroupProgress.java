package io.usagepipeline.events;

import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (a Streams application or the sink) has got through its input, read from the offsets it
 * committed. Under exactly-once a committed offset means the outputs of everything before it are committed too, so
 * "committed up to the end" is the moment the results can be read.
 */
public final class GroupProgress {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Admin admin;
    private final String group;

    public GroupProgress(final Admin admin, final String group) {
        this.admin = admin;
        this.group = group;
    }

    /** The current end offset of every partition of the topics. */
    public static Map<TopicPartition, Long> endOffsets(final Admin admin, final Collection<String> topics)
            throws ExecutionException, InterruptedException {
        return offsets(admin, topics, OffsetSpec.latest());
    }

    /**
     * For every partition of the topics, the first offset whose timestamp is at or after {@code epochMillis}, or the
     * end offset when there is none.
     */
    public static Map<TopicPartition, Long> offsetsForTime(final Admin admin, final Collection<String> topics,
                                                    final long epochMillis)
            throws ExecutionException, InterruptedException {
        final Map<TopicPartition, Long> atTime = offsets(admin, topics, OffsetSpec.forTimestamp(epochMillis));
        final Map<TopicPartition, Long> ends = endOffsets(admin, topics);
        return atTime.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                entry -> entry.getValue() < 0 ? ends.get(entry.getKey()) : entry.getValue()));
    }

    /**
     * Whether the topic has been written to: some partition's end offset is above 0. With {@code committedOnly}, the
     * end offset a {@code read_committed} consumer sees, before any transaction still open.
     */
    public static boolean holdsRecords(final Admin admin, final String topic, final boolean committedOnly)
            throws ExecutionException, InterruptedException {
        final ListOffsetsOptions options = committedOnly ? new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)
                : new ListOffsetsOptions();
        return offsets(admin, List.of(topic), OffsetSpec.latest(), options).values().stream().anyMatch(end -> end > 0);
    }

    /** How many records the topic holds: from each partition's oldest offset left to its end. */
    public static long records(final Admin admin, final String topic) throws ExecutionException, InterruptedException {
        final Map<TopicPartition, Long> oldest = offsets(admin, List.of(topic), OffsetSpec.earliest());
        return endOffsets(admin, List.of(topic)).entrySet().stream()
                .mapToLong(end -> end.getValue() - oldest.get(end.getKey())).sum();
    }

    private static Map<TopicPartition, Long> offsets(final Admin admin, final Collection<String> topics,
                                                     final OffsetSpec spec)
            throws ExecutionException, InterruptedException {
        return offsets(admin, topics, spec, new ListOffsetsOptions());
    }

    private static Map<TopicPartition, Long> offsets(final Admin admin, final Collection<String> topics,
                                                     final OffsetSpec spec, final ListOffsetsOptions options)
            throws ExecutionException, InterruptedException {
        final Map<TopicPartition, OffsetSpec> request = admin.describeTopics(topics).allTopicNames().get().values()
                .stream().flatMap(topic -> topic.partitions().stream()
                        .map(p -> new TopicPartition(topic.name(), p.partition())))
                .collect(Collectors.toMap(p -> p, p -> spec));
        return admin.listOffsets(request, options).all().get().entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
    }

    /**
     * The partitions of {@code topics} whose records from the group's committed offset on are no longer all there
     * (deleted by the topic's retention or by hand before the group read them), each with its committed offset and
     * the oldest offset left. A partition the group never committed is not among them: it starts at the oldest left.
     */
    public Map<TopicPartition, Gap> deletedUnread(final Collection<String> topics)
            throws ExecutionException, InterruptedException {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        final Map<TopicPartition, Gap> gaps = new TreeMap<>(
                Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        offsets(admin, topics, OffsetSpec.earliest()).forEach((partition, oldest) -> {
            final OffsetAndMetadata at = committed.get(partition);
            if (at != null && at.offset() < oldest) {
                gaps.put(partition, new Gap(at.offset(), oldest));
            }
        });
        return gaps;
    }

    /** Offsets {@code from} (inclusive) to {@code to} (exclusive) of a partition, deleted before they were read. */
    public record Gap(long from, long to) {
        public long records() {
            return to - from;
        }
    }

    /** Records of {@code targets} the group has not yet committed (a partition it never committed counts whole). */
    public long remaining(final Map<TopicPartition, Long> targets) throws ExecutionException, InterruptedException {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        long remaining = 0;
        for (final Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
            final OffsetAndMetadata at = committed.get(target.getKey());
            remaining += Math.max(0, target.getValue() - (at == null ? 0 : at.offset()));
        }
        return remaining;
    }

    /**
     * Polls the group's committed offsets until at most {@code atMost} records of {@code targets} are left.
     * Between polls, {@code whileWaiting} gets the records left: to show progress, or to throw when the consumer
     * died. Fails when nothing moved for {@code stall}, so a stuck consumer cannot hang the caller.
     */
    public void await(final Map<TopicPartition, Long> targets, final long atMost, final Duration stall,
                      final LongConsumer whileWaiting) throws ExecutionException, InterruptedException {
        long remaining = remaining(targets);
        long lastMove = System.nanoTime();
        while (remaining > atMost) {
            whileWaiting.accept(remaining);
            if (System.nanoTime() - lastMove > stall.toNanos()) {
                throw new IllegalStateException(group + " made no progress for " + stall + " with " + remaining
                        + " records left");
            }
            Thread.sleep(POLL.toMillis()); // the committed offsets are the only signal of progress there is
            final long now = remaining(targets);
            if (now < remaining) {
                lastMove = System.nanoTime();
            }
            remaining = now;
        }
    }

    /** Commits {@code offsets} for the group before it first runs, so that it starts there. */
    public void startAt(final Map<TopicPartition, Long> offsets) throws ExecutionException, InterruptedException {
        admin.alterConsumerGroupOffsets(group, offsets.entrySet().stream().collect(Collectors.toMap(
                Map.Entry::getKey, entry -> new OffsetAndMetadata(entry.getValue())))).all().get();
    }
}
