package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.RawPoll;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A processor without changelogs (as a replay runs) whose task Kafka Streams closes on an error: under exactly-once
 * it deletes the task's state, and a store without a changelog cannot come back. The processor must stop rather than
 * go on from its last commit with empty stores. The error is the one a zombie causes: another producer takes the
 * stream thread's transactional id, so the thread's next transaction is fenced and its tasks are closed dirty.
 */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class ReplayStateLossIT {

    private static final Instant DAY = Instant.parse("2026-03-10T00:00:00Z");

    @Test
    void shouldStopWhenATaskComesBackWithoutItsStateInARunWithoutChangelogs(final KafkaBroker kafka,
                                                                            @TempDir final Path stateDir)
            throws Exception {
        final String prefix = "state-loss.";
        final String applicationId = prefix + "app";
        final Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            new TopicProvisioner(admin, prefix, 1, 0).ensureAll();
            final ProcessorConfig config = ProcessorConfig.defaults().withTopicPrefix(prefix);
            // the live profile, so that its observations show when it has processed and committed
            try (UsageProcessor processor = new UsageProcessor(config,
                    new ProcessorMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                    UsageProcessor.streamsConfig(applicationId, client, stateDir, Profile.LIVE), prefix,
                    Profile.LIVE, false)) {
                processor.start();
                assertThat(processor.awaitRunning(Duration.ofSeconds(60))).isTrue();
                send(kafka, prefix, 0, 12);
                awaitObservations(kafka, prefix, 12);

                // a zombie takes the stream thread's transactional id: the thread's next transaction is fenced
                final String transactionalId = admin.listTransactions().all().get().stream()
                        .map(TransactionListing::transactionalId).filter(id -> id.startsWith(applicationId))
                        .findFirst().orElseThrow();
                try (KafkaProducer<byte[], byte[]> zombie = new KafkaProducer<>(Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId),
                        new ByteArraySerializer(), new ByteArraySerializer())) {
                    zombie.initTransactions();
                }
                send(kafka, prefix, 12, 24);

                await("the processor stops").atMost(Duration.ofSeconds(120))
                        .until(() -> processor.state() == KafkaStreams.State.ERROR);
                assertThat(processor.failure()).hasValueSatisfying(failure -> assertThat(root(failure))
                        .hasMessageContaining("was opened again without the state it had, in a run without "
                                + "changelogs"));
            }
        }
    }

    private static Throwable root(final Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    /** Hourly polls of one AWS account from {@code fromHour} (inclusive) to {@code toHour}, counted from DAY. */
    private static void send(final KafkaBroker kafka, final String prefix, final int fromHour, final int toHour) {
        try (KafkaProducer<String, RawPoll> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Topics.RAW.keySerde().serializer(), Topics.RAW.valueSerde().serializer())) {
            for (int hour = fromHour; hour < toHour; hour++) {
                final RawPoll poll = Polls.aws(DAY.plus(Duration.ofHours(hour)), 4);
                producer.send(new ProducerRecord<>(Topics.RAW.name(prefix), null, poll.polledAt().toEpochMilli(),
                        poll.pollTarget(), poll));
            }
            producer.flush();
        }
    }

    private static void awaitObservations(final KafkaBroker kafka, final String prefix, final int count) {
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
