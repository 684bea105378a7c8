package io.usagepipeline.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.TopicProvisioner;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
                    Profile.LIVE, Run.RECOMPUTATION)) {
                processor.start();
                assertThat(processor.awaitRunning(Duration.ofSeconds(60))).isTrue();
                AwsHours.send(kafka, prefix, 0, 12, 4);
                AwsHours.awaitObservations(kafka, prefix, 12);

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
                AwsHours.send(kafka, prefix, 12, 24, 4);

                await("the processor stops").atMost(Duration.ofSeconds(120))
                        .until(() -> processor.state() == KafkaStreams.State.ERROR);
                assertThat(processor.failure()).hasValueSatisfying(failure -> assertThat(failure)
                        .hasMessageContaining("was opened again without the state it had, in a run without "
                                + "changelogs"));
            }
        }
    }
}
