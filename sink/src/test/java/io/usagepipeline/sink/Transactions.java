package io.usagepipeline.sink;

import io.usagepipeline.events.TopicSpec;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Records published in one transaction, as the processor and the rater publish them, for the sink's ITs to read. */
final class Transactions {

    private Transactions() {
    }

    /**
     * Sends the records in one transaction of a new transactional producer with {@code topic}'s serdes, then commits
     * it or aborts it.
     */
    static <V> void send(final String bootstrapServers, final TopicSpec<String, V> topic,
                         final List<ProducerRecord<String, V>> records, final boolean commit) {
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sink-it-" + UUID.randomUUID()),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            records.forEach(producer::send);
            producer.flush();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }
}
