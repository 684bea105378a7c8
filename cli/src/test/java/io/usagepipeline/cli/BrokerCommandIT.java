package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usage-pipeline broker} as a user runs it: the shaded jar in its own JVM, stopped the way Ctrl-C stops it
 * (SIGTERM runs the same shutdown hook as SIGINT), and started again on the same directory.
 */
@Timeout(600) // a hung test fails here, not at CI's limit
class BrokerCommandIT {

    @Test
    void shouldKeepTopicsAndRecordsAcrossAStopAndARestart(@TempDir final Path dataDir) throws Exception {
        final int port = CliProcess.freePort();
        final String bootstrap = "localhost:" + port;

        try (CliProcess first = broker(port, dataDir)) {
            try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));
                 KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                         new StringSerializer(), new StringSerializer())) {
                admin.createTopics(List.of(new NewTopic("survivor", 1, (short) 1))).all().get();
                producer.send(new ProducerRecord<>("survivor", "key", "still here")).get();
            }
            first.stop();
            assertThat(first.printed("Kafka broker at localhost:" + port + " stopped")).isTrue();
            assertThat(warnings(first)).singleElement().asString() // the one the README says to expect
                    .contains("QuorumController - [QuorumController id=1] Performing controller activation. The "
                            + "metadata log appears to be empty.");
        }

        try (CliProcess second = broker(port, dataDir)) {
            final List<String> values = new CopyOnWriteArrayList<>();
            // closed before the broker stops, or its close would wait for a coordinator that is gone
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                    "group.id", "survivor-check", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("survivor"));
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
                    return !values.isEmpty();
                });
            }
            assertThat(values).containsExactly("still here");
            second.stop();
            assertThat(warnings(second)).singleElement().asString()
                    .endsWith("QuorumController - [QuorumController id=1] Performing controller activation.");
        }
    }

    private static List<String> warnings(final CliProcess broker) {
        return broker.lines().stream().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
    }

    private static CliProcess broker(final int port, final Path dataDir) throws Exception {
        return CliProcess.start("broker", "--port", String.valueOf(port), "--data-dir", dataDir.toString())
                .awaitOutput("Kafka is ready: bootstrap servers localhost:" + port, Duration.ofSeconds(60));
    }
}
