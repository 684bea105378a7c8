package io.usagepipeline.processor;

import static org.awaitility.Awaitility.await;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Hourly raw polls of one AWS account ({@link Polls#aws}) on a real broker, for the ITs that stop or fence a running
 * processor part-way through a day, and a wait for what the processor has committed of them.
 */
final class AwsHours {

    /** The day the polls' hours count from. */
    static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");

    private AwsHours() {
    }

    /** Publishes the polls of hours {@code fromHour} (inclusive) to {@code toHour} after DAY's start. */
    static void send(final KafkaBroker kafka, final String prefix, final int fromHour, final int toHour,
                     final int workloads) {
        final List<RawPoll> polls = new ArrayList<>();
        for (int hour = fromHour; hour < toHour; hour++) {
            polls.add(Polls.aws(DAY.plus(Duration.ofHours(hour)), workloads));
        }
        send(kafka, prefix, polls);
    }

    /** Publishes raw polls in order, each stamped with its polledAt, as the collector does. */
    static void send(final KafkaBroker kafka, final String prefix, final List<RawPoll> polls) {
        try (KafkaProducer<String, RawPoll> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Topics.RAW.keySerde().serializer(), Topics.RAW.valueSerde().serializer())) {
            for (final RawPoll poll : polls) {
                producer.send(new ProducerRecord<>(Topics.RAW.name(prefix), null, poll.polledAt().toEpochMilli(),
                        poll.pollTarget(), poll));
            }
            producer.flush();
        }
    }

    /** Waits until the processor has committed {@code count} observations: its work so far is in its state. */
    static void awaitObservations(final KafkaBroker kafka, final String prefix, final int count) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, prefix + "observations-reader",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.OBSERVATIONS.name(prefix)));
            final int[] seen = {0};
            await("observations").atMost(Duration.ofSeconds(120)).until(() -> {
                seen[0] += consumer.poll(Duration.ofMillis(200)).count();
                return seen[0] >= count;
            });
        }
    }
}
