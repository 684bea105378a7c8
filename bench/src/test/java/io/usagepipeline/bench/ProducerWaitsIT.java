package io.usagepipeline.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stage's waits at commits: its own producers' only, from the stage's start only, a producer closed within the stage
 * included, as each producer counts them.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(300) // a hung test fails here, not at CI's limit
class ProducerWaitsIT {

    private static final String TOPIC = "producer-waits";

    @Test
    void shouldCountTheStagesProducersWaitsAtCommitsFromItsStartOnly(final KafkaBroker kafka) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get();
        }
        try (KafkaProducer<String, String> before = producer(kafka, "stage-before");
             KafkaProducer<String, String> other = producer(kafka, "other")) {
            transaction(before, true);
            final double beforeAtStart = waitedNanos(before);

            final double waited;
            try (ProducerWaits waits = new ProducerWaits(clientId -> clientId.startsWith("stage-"))) {
                try (KafkaProducer<String, String> started = producer(kafka, "stage-started")) {
                    transaction(started, true);
                    transaction(other, true);
                    transaction(before, false);
                    waited = waitedNanos(started) + waitedNanos(before) - beforeAtStart;

                    assertThat(waited).isPositive();
                    assertThat(waits.seconds().orElseThrow()).isCloseTo(waited / 1e9, within(1e-9));
                }
                // closed within the stage: what it waited still counts
                assertThat(waits.seconds().orElseThrow()).isCloseTo(waited / 1e9, within(1e-9));
            }
        }
    }

    private static KafkaProducer<String, String> producer(final KafkaBroker kafka, final String id) {
        final KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, id,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, id), new StringSerializer(), new StringSerializer());
        producer.initTransactions();
        return producer;
    }

    /** One transaction of a few records; with {@code flush}, flushed before its commit, as Kafka Streams does. */
    private static void transaction(final KafkaProducer<String, String> producer, final boolean flush) {
        producer.beginTransaction();
        for (int i = 0; i < 20; i++) {
            producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i));
        }
        if (flush) {
            producer.flush();
        }
        producer.commitTransaction();
    }

    /** What the producer counts of its waits at commits so far, in nanoseconds. */
    private static double waitedNanos(final KafkaProducer<String, String> producer) {
        return producer.metrics().entrySet().stream()
                .filter(metric -> metric.getKey().group().equals("producer-metrics") && List.of(
                        "flush-time-ns-total", "txn-send-offsets-time-ns-total", "txn-commit-time-ns-total")
                        .contains(metric.getKey().name()))
                .mapToDouble(metric -> ((Number) metric.getValue().metricValue()).doubleValue()).sum();
    }
}
