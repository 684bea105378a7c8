package io.usagepipeline.collector;

import io.usagepipeline.events.KafkaRefusals;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.Topics;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes raw polls to {@code usage.raw.v1}: key = poll target (so every poll of a target, and so every series,
 * lands in one partition), record timestamp = {@code polledAt} (stream time for the processor). The producer is
 * idempotent with acks=all, so a retried send is never written twice.
 */
public final class RawPublisher implements AutoCloseable {

    private final KafkaProducer<String, RawPoll> producer;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public RawPublisher(final Map<String, Object> kafka, final String topicPrefix) {
        final Map<String, Object> config = producerConfig(kafka);
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "usage-pipeline-collector");
        this.producer = new KafkaProducer<>(config, Topics.RAW.keySerde().serializer(),
                Topics.RAW.valueSerde().serializer());
        this.topic = Topics.RAW.name(topicPrefix);
    }

    /** The settings of every producer that writes raw polls (the collector, {@code raw import}). */
    public static Map<String, Object> producerConfig(final Map<String, Object> kafka) {
        final Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd");
        // a poll of thousands of workloads is one record of several MiB; the topic allows 16 MiB
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 * 1024 * 1024);
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 20);
        return config;
    }

    public void publish(final RawPoll poll) {
        producer.send(new ProducerRecord<>(topic, null, poll.polledAt().toEpochMilli(), poll.pollTarget(), poll),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
    }

    /** Waits until every poll published so far is acknowledged; fails if any was not. */
    public void flush() {
        producer.flush();
        final Exception error = failure.getAndSet(null);
        if (error != null) {
            throw notTaken(error);
        }
    }

    /** Why Kafka did not take a raw poll: a secured Kafka's refusal says all in its line, anything else has a trace. */
    static IllegalStateException notTaken(final Throwable error) {
        return KafkaRefusals.of(error)
                .map(refused -> new IllegalStateException("Kafka did not take every raw poll: " + refused))
                .orElseGet(() -> new IllegalStateException("Kafka did not take every raw poll: " + error.getMessage(),
                        error));
    }

    @Override
    public void close() {
        producer.close();
    }
}
