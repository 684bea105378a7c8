package io.usagepipeline.embedded;

import org.testcontainers.kafka.KafkaContainer;

/**
 * The opt-in broker for machines with Docker: the official {@code apache/kafka} image of the Kafka version we build
 * against, with the same single-node settings as {@link EmbeddedKafkaBroker}. A separate class so that Testcontainers
 * is loaded only when chosen.
 */
final class TestcontainersKafka implements KafkaBroker, AutoCloseable {

    static final String IMAGE = "apache/kafka:4.3.1";

    private final KafkaContainer container;

    private TestcontainersKafka(final KafkaContainer container) {
        this.container = container;
    }

    static TestcontainersKafka start() {
        final KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false");
        container.start();
        return new TestcontainersKafka(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void close() {
        container.stop();
    }
}
