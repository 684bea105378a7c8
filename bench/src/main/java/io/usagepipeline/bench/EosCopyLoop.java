package io.usagepipeline.bench;

import io.usagepipeline.processor.UsageProcessor;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
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
 * the client settings the processor's Kafka Streams uses under exactly-once. Whatever the processor does beyond this
 * is its cost.
 */
final class EosCopyLoop {

    private static final Duration COMMIT_INTERVAL = Duration.ofMillis(100); // Kafka Streams' default under EOS

    private EosCopyLoop() {
    }

    /** Copies {@code expected} records of {@code from} to {@code to}; returns the seconds it took. */
    static double copy(final String bootstrap, final String from, final String to, final long expected,
                       final String id) {
        return run(bootstrap, from, expected, id, 1, (record, sent) -> new ProducerRecord<>(to, null,
                record.timestamp(), record.key(), record.value()));
    }

    /**
     * Reads {@code expected} records of {@code from} and writes, for each, {@code recordsPerInput} records (on
     * average) taken in turn from {@code written}, each to its partition of the topic named {@code to} + its
     * topic: what a stage wrote, in bytes and compression, spread as it spread them. Returns the seconds it took.
     */
    static double writeAsMuch(final String bootstrap, final String from, final String to, final long expected,
                              final String id, final double recordsPerInput,
                              final List<WrittenVolume.Written> written) {
        return run(bootstrap, from, expected, id, recordsPerInput, (record, sent) -> {
            final WrittenVolume.Written copy = written.get((int) (sent % written.size()));
            return new ProducerRecord<>(to + copy.partition().topic(), copy.partition().partition(),
                    record.timestamp(), copy.key(), copy.value());
        });
    }

    /** @param output the record to write for a record read, given how many were written before it */
    private static double run(final String bootstrap, final String from, final long expected, final String id,
                              final double recordsPerInput,
                              final BiFunction<ConsumerRecord<byte[], byte[]>, Long, ProducerRecord<byte[], byte[]>>
                                      output) {
        final Map<String, Object> consumerProps = new HashMap<>();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, id);
        consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000); // as Kafka Streams sets it
        consumerProps.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, // as the processor's main consumer has it
                (int) UsageProcessor.MAIN_CONSUMER_BACKOFF.toMillis());
        final Map<String, Object> producerProps = new HashMap<>();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, id); // what the bench reads its waits by
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
            double owed = 0; // records to write, carried from one input record to the next
            long sent = 0;
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
                    owed += recordsPerInput;
                    for (; owed >= 1; owed--) {
                        producer.send(output.apply(record, sent++));
                    }
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
