package io.usagepipeline.cli.command;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads assigned partitions, from their positions up to given end offsets, as one sequence in the order of the
 * records' timestamps, each partition's own order kept (a merge, not a sort). A consumer hands out records a fetch
 * of a partition at a time, so a key whose records lie in two partitions (partitions were added to its topic) would
 * come out of time order, its newer records first; in time order it comes out as it was written. Only the partitions
 * whose buffered records are used up are fetched, so at most about one fetch per partition is held.
 */
final class TimeOrderedReader<K, V> {

    private static final Duration POLL = Duration.ofMillis(500);
    private static final Comparator<ConsumerRecord<?, ?>> ORDER = Comparator
            .<ConsumerRecord<?, ?>>comparingLong(ConsumerRecord::timestamp).thenComparingInt(ConsumerRecord::partition);

    private final Consumer<K, V> consumer;
    private final Map<TopicPartition, Long> ends;
    private final Map<TopicPartition, ArrayDeque<ConsumerRecord<K, V>>> buffered = new HashMap<>();

    /** @param ends the offset to stop before, per assigned partition */
    TimeOrderedReader(final Consumer<K, V> consumer, final Map<TopicPartition, Long> ends) {
        this.consumer = consumer;
        this.ends = Map.copyOf(ends);
        ends.keySet().forEach(partition -> buffered.put(partition, new ArrayDeque<>()));
    }

    /** The next record in time order, or empty once every partition is read to its end. */
    Optional<ConsumerRecord<K, V>> next() {
        List<TopicPartition> starved = starved();
        while (!starved.isEmpty()) {
            fetch(starved);
            starved = starved();
        }
        return buffered.values().stream().filter(queue -> !queue.isEmpty()).map(ArrayDeque::peekFirst).min(ORDER)
                .map(head -> buffered.get(new TopicPartition(head.topic(), head.partition())).pollFirst());
    }

    /** The partitions without a buffered record that have records left to read: the next cannot be told without. */
    private List<TopicPartition> starved() {
        return buffered.entrySet().stream().filter(entry -> entry.getValue().isEmpty()
                && consumer.position(entry.getKey()) < ends.get(entry.getKey())).map(Map.Entry::getKey).toList();
    }

    private void fetch(final List<TopicPartition> starved) {
        consumer.pause(consumer.assignment());
        consumer.resume(starved);
        for (final ConsumerRecord<K, V> record : consumer.poll(POLL)) {
            final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (record.offset() < ends.get(partition)) {
                buffered.get(partition).addLast(record);
            }
        }
    }
}
