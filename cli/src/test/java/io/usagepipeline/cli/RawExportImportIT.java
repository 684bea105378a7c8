package io.usagepipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.usagepipeline.embedded.KafkaBroker;
import io.usagepipeline.embedded.KafkaBrokerExtension;
import io.usagepipeline.events.Json;
import io.usagepipeline.events.TopicProvisioner;
import io.usagepipeline.events.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code raw export} then {@code raw import} into another topic gives back every record: key, timestamp, bytes. */
@ExtendWith(KafkaBrokerExtension.class)
@Timeout(600) // a hung test fails here, not at CI's limit
class RawExportImportIT {

    private final StringWriter out = new StringWriter();

    private record Raw(String key, long timestamp, String value) {
    }

    @Test
    void shouldMoveRawHistoryThroughAFileUnchanged(final KafkaBroker kafka, @TempDir final Path dir)
            throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, "from.", 3, 0).ensureAll();
            new TopicProvisioner(admin, "to.", 3, 0).ensureAll();
        }
        final List<Raw> written = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 30; i++) {
                // numbers exactly as a server wrote them (1000.0, 0.330), and one record that is not JSON at all
                final String value = i == 7 ? "not json, kept as is"
                        : "{\"schema\":\"usage.raw.v1\",\"n\":" + i + ",\"pages\":[[{\"units\":1000.0,\"w\":0.330}]]}";
                final Raw raw = new Raw("src/backupServerUsage/" + (i % 4), Instant.parse("2026-03-10T00:00:00Z")
                        .plus(Duration.ofMinutes(15L * i)).toEpochMilli(), value);
                written.add(raw);
                producer.send(new ProducerRecord<>(Topics.RAW.name("from."), null, raw.timestamp(), raw.key(),
                        value.getBytes(StandardCharsets.UTF_8))).get();
            }
        }
        final Path file = dir.resolve("archive/2026-03/raw.jsonl"); // its folders made by the export

        assertThat(run("raw", "export", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", "from.",
                "--file", file.toString())).isZero();
        assertThat(Files.readAllLines(file)).hasSize(30);
        assertThat(out.toString().lines()).containsExactly(
                "100% read to the end the topic had when the export started",
                "exported 30 raw polls from from.usage.raw.v1 to " + file);
        out.getBuffer().setLength(0);
        assertThat(run("raw", "import", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", "to.",
                "--file", file.toString())).isZero();
        assertThat(out.toString().lines()).containsExactly("100% checked raw.jsonl: 30 raw polls",
                "100% 30 raw polls sent", "imported 30 raw polls from " + file + " into to.usage.raw.v1");

        assertThat(read(kafka, Topics.RAW.name("to."), 30)).containsExactlyInAnyOrderElementsOf(written);
        // a time window exports only the polls inside it: 02:00 up to 03:00 holds four 15-minute polls
        final Path window = dir.resolve("window.jsonl");
        assertThat(run("raw", "export", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", "from.",
                "--file", window.toString(), "--from", "2026-03-10T02:00:00Z", "--to", "2026-03-10T03:00:00Z"))
                .isZero();
        assertThat(Files.readAllLines(window)).hasSize(4);
    }

    /**
     * A poll target whose polls lie in two partitions, as after partitions were added to the raw topic (its older polls
     * in the partition it had, its newer ones in another), is exported in the order it was polled, every partition's
     * own order kept: read a fetch at a time, its newer polls came first, and imported so, its older ones would be
     * late polls.
     */
    @Test
    void shouldExportInTimeOrderAcrossPartitions(final KafkaBroker kafka, @TempDir final Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            new TopicProvisioner(admin, "grown.", 3, 0).ensureAll();
        }
        final Instant start = Instant.parse("2026-03-10T00:00:00Z");
        final List<Raw> expected = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            for (int hour = 0; hour < 40; hour++) {
                // the moved target is in partition 2 up to hour 29 and in 0 from hour 30 on, another in 1; at equal
                // times the lower partition comes first, which is the order the hour's two polls are listed in
                for (final String key : hour < 30 ? List.of("steady", "moved") : List.of("moved", "steady")) {
                    final int partition = key.equals("steady") ? 1 : hour < 30 ? 2 : 0;
                    final Raw raw = new Raw(key, start.plus(Duration.ofHours(hour)).toEpochMilli(), key + hour);
                    expected.add(raw);
                    producer.send(new ProducerRecord<>(Topics.RAW.name("grown."), partition, raw.timestamp(),
                            raw.key(), raw.value().getBytes(StandardCharsets.UTF_8))).get();
                }
            }
        }
        final Path file = dir.resolve("raw.jsonl");

        assertThat(run("raw", "export", "--bootstrap-servers", kafka.bootstrapServers(), "--prefix", "grown.",
                "--file", file.toString())).isZero();

        final List<Raw> exported = new ArrayList<>();
        for (final String line : Files.readAllLines(file)) {
            final var node = Json.mapper().readTree(line);
            exported.add(new Raw(node.get("key").asText(), Instant.parse(node.get("timestamp").asText())
                    .toEpochMilli(), node.get("value").asText()));
        }
        assertThat(exported).containsExactlyElementsOf(expected);
    }

    private int run(final String... args) {
        final var commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        return commandLine.execute(args);
    }

    private static List<Raw> read(final KafkaBroker kafka, final String topic, final int expected) {
        final List<Raw> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "group.id", "raw-it", "auto.offset.reset", "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> records.add(new Raw(record.key(),
                        record.timestamp(), new String(record.value(), StandardCharsets.UTF_8))));
            }
        }
        return records;
    }
}
