package io.usagepipeline.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The prerequisites of exactly-once processing hold on the broker the tests and the demo use. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class ExactlyOnceIT {

    private static final String TOPIC = "eos-check";

    @BeforeAll
    static void createTopic(final KafkaBroker kafka) throws Exception {
        KafkaClients.createTopic(kafka.bootstrapServers(), TOPIC, 3);
    }

    @Test
    void shouldShowReadCommittedConsumersOnlyCommittedTransactions(final KafkaBroker kafka) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(kafka.bootstrapServers(), Map.of(
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "eos-check-tx",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true))) {
            producer.initTransactions();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "a", "committed-1"));
            producer.send(new ProducerRecord<>(TOPIC, "b", "committed-2"));
            producer.commitTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "c", "aborted")).get();
            producer.abortTransaction();

            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "d", "committed-3"));
            producer.commitTransaction();
        }

        // read_uncommitted sees the aborted record too, which proves it reached the log and was filtered
        assertThat(KafkaClients.readValues(kafka.bootstrapServers(), TOPIC, "read_uncommitted", 4,
                Duration.ofSeconds(30))).containsExactlyInAnyOrder("committed-1", "committed-2", "aborted",
                "committed-3");
        assertThat(KafkaClients.readValues(kafka.bootstrapServers(), TOPIC, "read_committed", 3,
                Duration.ofSeconds(30))).containsExactlyInAnyOrder("committed-1", "committed-2", "committed-3");
    }
}
