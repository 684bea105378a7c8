package io.usagepipeline.cli.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The physical limit of a read-process-write stage on this machine: records copied unchanged from one topic to
 * another by one thread with exactly-once transactions, {@code read_committed}, committing every 100 ms and with
 * the producer settings Kafka Streams uses under exactly-once. Whatever the processor does beyond this is its cost.
 */
final class EosCopyLoop {

    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100); // Kafka Streams' default under EOS

    private EosCopyLoop() {
    }

    /** Copies {@code expected} records of {@code from} to {@code to}; returns the seconds it took. */
    static double copy(final String bootstrap, final String from, final String to, final long expected,
                       final String id) {
        final Map<String, Object> consumerProps = new HashMap<>();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, id);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000); // as Kafka Streams sets it
        final Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 100); // as Kafka Streams sets it
        producerProps.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"); // as the processor sets it

        final long started = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(),
                     new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(from));
            long copied = 0;
            final Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            long lastCommit = System.nanoTime();
            boolean open = false;
            while (copied < expected) {
                final ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                for (final ConsumerRecord<byte[], byte[]> record : records) {
                    if (!open) {
                        producer.beginTransaction();
                        open = true;
                    }
                    producer.send(new ProducerRecord<>(to, null, record.timestamp(), record.key(), record.value()));
                    positions.put(new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                    copied++;
                }
                if (open && (copied >= expected || System.nanoTime() - lastCommit >= COMMIT_INTERVAL.toNanos())) {
                    producer.sendOffsetsToTransaction(positions, consumer.groupMetadata());
                    producer.commitTransaction();
                    open = false;
                    lastCommit = System.nanoTime();
                }
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }
}
