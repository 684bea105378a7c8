package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code usage-pipeline broker} as a user runs it: the shaded jar in its own JVM, stopped the way Ctrl-C stops it
 * (SIGTERM runs the same shutdown hook as SIGINT), and started again on the same directory.
 */
class BrokerCommandIT {

    private static final Path JAR = Path.of("target", "usage-pipeline.jar");

    @Test
    void shouldKeepTopicsAndRecordsAcrossAStopAndARestart(@TempDir final Path dataDir) throws Exception {
        final int port = freePort();
        final String bootstrap = "localhost:" + port;

        final Process first = start(port, dataDir);
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap),
                     new StringSerializer(), new StringSerializer())) {
            admin.createTopics(List.of(new NewTopic("survivor", 1, (short) 1))).all().get();
            producer.send(new ProducerRecord<>("survivor", "key", "still here")).get();
        }
        stop(first);

        final Process second = start(port, dataDir);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "survivor-check", "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("survivor"));
            final List<String> values = new CopyOnWriteArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                final ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                records.forEach(record -> values.add(record.value()));
                return !values.isEmpty();
            });
            assertThat(values).containsExactly("still here");
        } finally {
            stop(second);
        }
    }

    private static Process start(final int port, final Path dataDir) throws IOException {
        assertThat(JAR).as("the shaded jar is built in the package phase").exists();
        final Process process = new ProcessBuilder(javaBinary(), "-jar", JAR.toString(), "broker",
                "--port", String.valueOf(port), "--data-dir", dataDir.toString())
                .redirectErrorStream(true)
                .start();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                in.lines().forEach(line -> {
                    lines.add(line);
                    System.out.println("[broker] " + line);
                });
            } catch (final IOException e) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(60))
                .failFast("the broker exited", () -> !process.isAlive())
                .until(() -> lines.stream().anyMatch(line -> line.contains("Kafka is ready: bootstrap servers localhost:" + port)));
        return process;
    }

    private static void stop(final Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the shutdown hook stops the broker cleanly, as on Ctrl-C
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("broker stopped").isTrue();
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
