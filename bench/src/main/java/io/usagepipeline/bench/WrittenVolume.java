package io.usagepipeline.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a stage wrote: the committed records of its output topics and of its changelogs, counted and measured (key and
 * value bytes, before compression) by reading them back, and a sample of them to write again at about the same cost,
 * compression included: from each partition its first records in their order, as many as its share of all, each with
 * its topic and partition, interleaved across partitions in proportion. Order matters: a partition's consecutive
 * records are compressed together, and a uniform random sample took 38% more room on disk than the stage's own.
 */
record WrittenVolume(long records, long bytes, List<Written> sample) {

    /** About how many records the sample keeps: tens of MiB, and far more than one producer batch holds. */
    static final int SAMPLE_SIZE = 50_000;

    /** One record as the stage wrote it. */
    record Written(TopicPartition partition, byte[] key, byte[] value) {
    }

    /** The average size of a written record, in bytes. */
    int bytesPerRecord() {
        return records == 0 ? 0 : (int) Math.round((double) bytes / records);
    }

    /**
     * Every topic whose name starts with one of {@code prefixes}: an application's output prefix, and its
     * application id followed by '-' for its changelogs (read before any other application with that start exists).
     */
    static WrittenVolume of(final Admin admin, final String bootstrap, final String... prefixes) throws Exception {
        final Set<String> topics = admin.listTopics().names().get().stream()
                .filter(topic -> List.of(prefixes).stream().anyMatch(topic::startsWith))
                .collect(Collectors.toSet());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final String topic : topics) {
                consumer.partitionsFor(topic).forEach(info -> partitions.add(
                        new TopicPartition(info.topic(), info.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            // read_committed stops at the last stable offset, which the transaction markers lie before or at
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
            final long all = Math.max(1, partitions.stream()
                    .mapToLong(partition -> ends.get(partition) - starts.get(partition)).sum());
            final Map<TopicPartition, Long> shares = new HashMap<>();
            partitions.forEach(partition -> shares.put(partition,
                    (ends.get(partition) - starts.get(partition)) * SAMPLE_SIZE / all + 1));
            final Map<TopicPartition, List<Written>> firsts = new HashMap<>();
            long records = 0;
            long bytes = 0;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                    final TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    final List<Written> first = firsts.computeIfAbsent(partition, p -> new ArrayList<>());
                    if (first.size() < shares.get(partition)) {
                        first.add(new Written(partition, record.key(), record.value()));
                    }
                }
            }
            return new WrittenVolume(records, bytes, interleaved(firsts.values()));
        }
    }

    /** The records of every list in one, each list's in its order and spread evenly over the whole. */
    private static List<Written> interleaved(final Collection<List<Written>> lists) {
        record Placed(double at, Written record) {
        }
        final List<Placed> placed = new ArrayList<>();
        for (final List<Written> list : lists) {
            for (int i = 0; i < list.size(); i++) {
                placed.add(new Placed((i + 0.5) / list.size(), list.get(i)));
            }
        }
        placed.sort(Comparator.comparingDouble(Placed::at));
        return placed.stream().map(Placed::record).toList();
    }
}
