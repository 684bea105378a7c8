package io.usagepipeline.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;
import java.util.function.ToIntFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A whole topic as a consumer of the contract sees it: committed records only ({@code read_committed}), every
 * partition from the beginning up to the end it had when reading started, without a consumer group.
 */
public final class CommittedRecords {

    private static final Duration POLL = Duration.ofMillis(500);

    private CommittedRecords() {
    }

    /** Hands every committed record of the topic, in partition order, to {@code each}. */
    public static <V> void forEach(final Map<String, Object> kafka, final String topic, final Deserializer<V> values,
                            final Consumer<ConsumerRecord<String, V>> each) {
        forEach(kafka, topic, values, each, (read, total) -> { });
    }

    /** How far a read has come: offsets read, of those the topic had when the read began (records and markers). */
    @FunctionalInterface
    public interface Reading {
        void read(long offsets, long total);
    }

    /** As {@link #forEach(Map, String, Deserializer, Consumer)}, telling {@code reading} after each poll. */
    public static <V> void forEach(final Map<String, Object> kafka, final String topic, final Deserializer<V> values,
                                   final Consumer<ConsumerRecord<String, V>> each, final Reading reading) {
        read(kafka, topic, values, each, reading, (beginning, end) -> beginning);
    }

    /**
     * Hands the committed records among the last {@code offsets} offsets of each partition to {@code each}: the
     * topic's newest records, without reading it all (transaction markers take offsets too).
     */
    public static <V> void forEachNewest(final Map<String, Object> kafka, final String topic,
                                         final Deserializer<V> values, final int offsets,
                                         final Consumer<ConsumerRecord<String, V>> each) {
        read(kafka, topic, values, each, (read, total) -> { }, (beginning, end) -> Math.max(beginning, end - offsets));
    }

    private static <V> void read(final Map<String, Object> kafka, final String topic, final Deserializer<V> values,
                                 final Consumer<ConsumerRecord<String, V>> each, final Reading reading,
                                 final LongBinaryOperator from) {
        final Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // reading a topic that is not there finds nothing, where a broker that creates topics on use would create it
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            final Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final Map<TopicPartition, Long> starts = new HashMap<>();
            for (final TopicPartition partition : partitions) {
                starts.put(partition, from.applyAsLong(beginnings.get(partition), ends.get(partition)));
                consumer.seek(partition, starts.get(partition));
            }
            final long total = partitions.stream().mapToLong(p -> ends.get(p) - starts.get(p)).sum();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                consumer.poll(POLL).forEach(each);
                reading.read(partitions.stream().mapToLong(p -> Math.min(consumer.position(p), ends.get(p))
                        - starts.get(p)).sum(), total);
            }
        }
    }

    /** Every committed value of the topic (tombstones included, as null). */
    public static <V> List<V> values(final Map<String, Object> kafka, final String topic, final Deserializer<V> values) {
        final List<V> read = new ArrayList<>();
        forEach(kafka, topic, values, record -> read.add(record.value()));
        return read;
    }

    /**
     * The latest revision of every key: what a compacted topic keeps for a reader that comes late, and what the
     * contract's revision rule says wins (for charge lines, billing records).
     *
     * @param key      the key of a value
     * @param revision the revision of a value; a later record of an equal revision replaces the earlier one
     */
    public static <V> Map<String, V> latest(final Map<String, Object> kafka, final String topic,
                                            final Deserializer<V> values, final Function<V, String> key,
                                            final ToIntFunction<V> revision) {
        final Map<String, V> latest = new TreeMap<>();
        forEach(kafka, topic, values, record -> {
            if (record.value() != null) {
                latest.merge(key.apply(record.value()), record.value(),
                        (held, next) -> revision.applyAsInt(next) >= revision.applyAsInt(held) ? next : held);
            }
        });
        return latest;
    }

    /** How many committed records the topic holds, tombstones included. */
    public static long count(final Map<String, Object> kafka, final String topic) {
        final long[] count = {0};
        forEach(kafka, topic, new ByteArrayDeserializer(), record -> count[0]++);
        return count[0];
    }
}
