package io.usagepipeline.bench;

import java.time.Duration;
import java.util.ArrayList;
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
 * What a stage wrote: the committed records of its output topics and of its changelogs, counted and measured (key
 * and value bytes, before compression) by reading them back.
 */
record WrittenVolume(long records, long bytes) {

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
            long records = 0;
            long bytes = 0;
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                }
            }
            return new WrittenVolume(records, bytes);
        }
    }
}
